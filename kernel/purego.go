package kernel

import "sync"

// The pure Go path ("purego") runs on every GOARCH. For each token it builds
// a lookup table with one 256-entry row per weight byte position p of a
// matrix row: lut[p][b] = Σ_i t_i(b)·x_i, the contribution of weight byte b,
// whose four codes cover the values p, p+32, p+64, p+96 of a 128-value block
// (docs/SEMANTICS.md §4). A row's dot product is then one table load and one add
// per weight byte. The table costs 256 adds per position, so matrices with
// fewer than lutMinRows rows decode the codes directly instead.

func init() {
	register(withGoFloats(&path{
		name:      "purego",
		available: true,
		priority:  1,
		matVec:    matVecGo,
		matMat:    matMatGo,
		quantize:  quantizeFast,
		matVecT5S: matVecT5SGo,
		matMatT5S: matMatT5SGo,
	}))
}

// lutMinRows is the row count from which the table pays for itself.
const lutMinRows = 32

// lut holds one token's table; see the comment at the top of the file.
type lut [][256]int16

// lutPool keeps tables between calls (a table is k/4 · 512 bytes); it holds
// memory, not work: the kernel runs on the caller's goroutine.
var lutPool = sync.Pool{New: func() any { return new(lut) }}

func matVecGo(dst []int32, w []byte, x []int8, k int) {
	matMatGo(dst, 0, w, x, k, len(dst), 1)
}

// matMatGo writes dst[t·ldd + r] = Σ_j t[r][j]·x[t·k + j].
func matMatGo(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows == 0 || tokens == 0 {
		return
	}
	w = w[:rows*k/4]
	if rows < lutMinRows {
		for t := 0; t < tokens; t++ {
			xt := x[t*k : (t+1)*k]
			out := dst[t*ldd : t*ldd+rows]
			for r := range out {
				out[r] = dotDirect(w[r*k/4:(r+1)*k/4], xt)
			}
		}
		return
	}
	tab := lutPool.Get().(*lut)
	if cap(*tab) < k/4 {
		*tab = make(lut, k/4)
	}
	t := (*tab)[:k/4]
	for i := 0; i < tokens; i++ {
		buildLUT(t, x[i*k:(i+1)*k])
		lutRows(dst[i*ldd:i*ldd+rows], w, t)
	}
	lutPool.Put(tab)
}

// codeValue maps a 2-bit code to its ternary value t = c−1 (code 3, never
// produced, gives 2 on every path).
var codeValue = [4]int16{-1, 0, 1, 2}

// buildLUT fills tab for the activations x (len(x) = 4·len(tab)) from two
// 16-entry tables, one per half byte: the high nibble holds the codes of
// values p and p+32, the low nibble those of p+64 and p+96.
func buildLUT(tab [][256]int16, x []int8) {
	var hi, lo [16]int16
	for blk := 0; blk < len(tab)/BlockBytes; blk++ {
		xb := (*[BlockValues]int8)(x[blk*BlockValues:])
		for p := 0; p < BlockBytes; p++ {
			x0, x1 := int16(xb[p]), int16(xb[p+32])
			x2, x3 := int16(xb[p+64]), int16(xb[p+96])
			for n := range 16 {
				a, b := codeValue[n>>2], codeValue[n&3]
				hi[n] = a*x0 + b*x1
				lo[n] = a*x2 + b*x3
			}
			e := &tab[blk*BlockBytes+p]
			for h := range 16 {
				row := (*[16]int16)(e[h*16:])
				v := hi[h]
				for l := range 16 {
					row[l] = v + lo[l]
				}
			}
		}
	}
}

// lutRows writes dst[r] for every row r of w (len(w) = len(dst)·len(tab)),
// four rows at a time so that the table row is shared.
func lutRows(dst []int32, w []byte, tab [][256]int16) {
	rb := len(tab)
	r := 0
	for ; r+4 <= len(dst); r += 4 {
		w0 := w[r*rb : (r+1)*rb]
		w1 := w[(r+1)*rb : (r+2)*rb][:len(w0)]
		w2 := w[(r+2)*rb : (r+3)*rb][:len(w0)]
		w3 := w[(r+3)*rb : (r+4)*rb][:len(w0)]
		t := tab[:len(w0)]
		var s0, s1, s2, s3 int32
		for i := range t {
			e := &t[i]
			s0 += int32(e[w0[i]])
			s1 += int32(e[w1[i]])
			s2 += int32(e[w2[i]])
			s3 += int32(e[w3[i]])
		}
		dst[r], dst[r+1], dst[r+2], dst[r+3] = s0, s1, s2, s3
	}
	for ; r < len(dst); r++ {
		row := w[r*rb : (r+1)*rb]
		t := tab[:len(row)]
		var s int32
		for i := range t {
			s += int32(t[i][row[i]])
		}
		dst[r] = s
	}
}

// dotDirect is the table-free dot product of one packed row with x.
func dotDirect(row []byte, x []int8) int32 {
	var s int32
	for blk := 0; blk < len(row)/BlockBytes; blk++ {
		wb := (*[BlockBytes]byte)(row[blk*BlockBytes:])
		xb := (*[BlockValues]int8)(x[blk*BlockValues:])
		for p, b := range wb {
			s += int32(codeValue[b>>6])*int32(xb[p]) +
				int32(codeValue[b>>4&3])*int32(xb[p+32]) +
				int32(codeValue[b>>2&3])*int32(xb[p+64]) +
				int32(codeValue[b&3])*int32(xb[p+96])
		}
	}
	return s
}
