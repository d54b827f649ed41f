package kernel

import (
	"fmt"
	"sync"
)

// T5_S (docs/SEMANTICS.md §4b): five ternary values per byte. A row of k
// values (k a multiple of T5SBlockValues) is k/5 bytes of 32-byte blocks;
// byte p of a block holds the values p, p+32, p+64, p+96, p+128 as digits
// c_i = t_i+1 of q = ⌈v·256/243⌉, v = Σ c_i·3^(4−i). Every path decodes
// digit i of any byte q as ((q·3^i mod 256)·3) >> 8, so all 256 byte values
// (the 13 no encoder writes included) give the same result on every path.

// T5SBlockValues is the number of ternary values in one T5_S block.
const T5SBlockValues = 160

// T5SBlockBytes is the size in bytes of one T5_S block.
const T5SBlockBytes = 32

// t5sTrits[q] holds the five ternary values t_i = c_i − 1 of byte q.
var t5sTrits = func() (tab [256][5]int8) {
	for q := range tab {
		u := byte(q)
		for i := range tab[q] {
			tab[q][i] = int8(uint(u)*3>>8) - 1
			u *= 3
		}
	}
	return tab
}()

// t5sDigitIndex[q] is Σ c_i·3^(4−i) for the digits of byte q: the
// position of q's five values in a 243-entry table.
var t5sDigitIndex = func() (tab [256]uint8) {
	for q := range tab {
		v := 0
		for _, t := range t5sTrits[q] {
			v = 3*v + int(t) + 1
		}
		tab[q] = uint8(v)
	}
	return tab
}()

// MatVecT5SRef is the scalar reference of MatVecT5S: decode each value
// with the multiply-shift, then multiply and add.
func MatVecT5SRef(dst []int32, w []byte, x []int8, k int) {
	rb := k / 5
	for r := range dst {
		row := w[r*rb : (r+1)*rb]
		var s int32
		for j := 0; j < k; j++ {
			blk, i := j/T5SBlockValues, j%T5SBlockValues
			q := row[blk*T5SBlockBytes+i%32]
			u := q
			for n := i / 32; n > 0; n-- {
				u *= 3
			}
			t := int32(uint(u)*3>>8) - 1
			s += t * int32(x[j])
		}
		dst[r] = s
	}
}

// matMatStrideT5SRef is the reference of MatMatStrideT5S.
func matMatStrideT5SRef(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	for i := 0; i < tokens; i++ {
		MatVecT5SRef(dst[i*ldd:i*ldd+rows], w, x[i*k:(i+1)*k], k)
	}
}

// MatVecT5S computes dst[r] = Σ_j t[r][j]·x[j] exactly for every row
// r < len(dst) of the T5_S matrix w with k columns (k a multiple of
// T5SBlockValues; row r is bytes [r·k/5, (r+1)·k/5) of w).
func MatVecT5S(dst []int32, w []byte, x []int8, k int) {
	checkShapeT5S(len(dst), w, x, k, 1)
	active.matVecT5S(dst, w, x, k)
}

// MatMatStrideT5S is MatMatStride for a T5_S matrix: it writes
// dst[i·ldd+r] = Σ_j t[r][j]·x[i·k+j] for r < rows, i < tokens.
func MatMatStrideT5S(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	checkShapeT5S(rows, w, x, k, tokens)
	if rows <= 0 || tokens <= 0 {
		return
	}
	if ldd < rows || len(dst) < (tokens-1)*ldd+rows {
		panic(fmt.Sprintf("kernel: dst holds %d values, need %d rows at stride %d for %d tokens", len(dst), rows, ldd, tokens))
	}
	if tokens == 1 {
		active.matVecT5S(dst[:rows], w, x, k)
		return
	}
	active.matMatT5S(dst, ldd, w, x, k, rows, tokens)
}

func checkShapeT5S(rows int, w []byte, x []int8, k, tokens int) {
	if k <= 0 || k%T5SBlockValues != 0 {
		panic(fmt.Sprintf("kernel: k=%d is not a positive multiple of %d (T5_S)", k, T5SBlockValues))
	}
	if len(w) < rows*(k/5) {
		panic(fmt.Sprintf("kernel: w holds %d bytes, need %d for %d T5_S rows of %d", len(w), rows*(k/5), rows, k))
	}
	if len(x) < tokens*k {
		panic(fmt.Sprintf("kernel: x holds %d values, need %d", len(x), tokens*k))
	}
}

// The pure Go T5_S kernels. With at least lutMinRows rows, each token gets
// a table with one 256-entry row per byte position p of a matrix row:
// lut[p][q] = Σ_i t_i(q)·x_i over the five values byte q holds there, built
// from a 243-entry table of every digit combination (t5sDigitIndex maps a
// byte to its entry). A row's dot product is then one load and one add per
// weight byte. Fewer rows decode each byte with t5sTrits.

// t5sLutPool keeps tables between calls; it holds memory, not work.
var t5sLutPool = sync.Pool{New: func() any { return new(lut) }}

func matVecT5SGo(dst []int32, w []byte, x []int8, k int) {
	matMatT5SGo(dst, 0, w, x, k, len(dst), 1)
}

func matMatT5SGo(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows == 0 || tokens == 0 {
		return
	}
	rb := k / 5
	w = w[:rows*rb]
	if rows < lutMinRows {
		for t := 0; t < tokens; t++ {
			xt := x[t*k : (t+1)*k]
			out := dst[t*ldd : t*ldd+rows]
			for r := range out {
				out[r] = dotT5SDirect(w[r*rb:(r+1)*rb], xt)
			}
		}
		return
	}
	tab := t5sLutPool.Get().(*lut)
	if cap(*tab) < rb {
		*tab = make(lut, rb)
	}
	t := (*tab)[:rb]
	for i := 0; i < tokens; i++ {
		buildT5SLUT(t, x[i*k:(i+1)*k])
		lutRows(dst[i*ldd:i*ldd+rows], w, t)
	}
	t5sLutPool.Put(tab)
}

// buildT5SLUT fills tab (one entry per byte position of a row) for the
// activations x (len(x) = 5·len(tab)).
func buildT5SLUT(tab [][256]int16, x []int8) {
	var all [243]int16
	for blk := 0; blk < len(tab)/T5SBlockBytes; blk++ {
		xb := (*[T5SBlockValues]int8)(x[blk*T5SBlockValues:])
		for p := 0; p < T5SBlockBytes; p++ {
			x0, x1, x2 := int16(xb[p]), int16(xb[p+32]), int16(xb[p+64])
			x3, x4 := int16(xb[p+96]), int16(xb[p+128])
			n := 0
			for a := int16(-1); a <= 1; a++ {
				for b := int16(-1); b <= 1; b++ {
					ab := a*x0 + b*x1
					for c := int16(-1); c <= 1; c++ {
						abc := ab + c*x2
						for d := int16(-1); d <= 1; d++ {
							abcd := abc + d*x3
							all[n], all[n+1], all[n+2] = abcd-x4, abcd, abcd+x4
							n += 3
						}
					}
				}
			}
			e := &tab[blk*T5SBlockBytes+p]
			for q := range e {
				e[q] = all[t5sDigitIndex[q]]
			}
		}
	}
}

// dotT5SDirect is the table-free dot product of one T5_S row with x.
func dotT5SDirect(row []byte, x []int8) int32 {
	var s int32
	for blk := 0; blk < len(row)/T5SBlockBytes; blk++ {
		wb := (*[T5SBlockBytes]byte)(row[blk*T5SBlockBytes:])
		xb := (*[T5SBlockValues]int8)(x[blk*T5SBlockValues:])
		for p, q := range wb {
			t := &t5sTrits[q]
			s += int32(t[0])*int32(xb[p]) + int32(t[1])*int32(xb[p+32]) +
				int32(t[2])*int32(xb[p+64]) + int32(t[3])*int32(xb[p+96]) +
				int32(t[4])*int32(xb[p+128])
		}
	}
	return s
}

// T5SActs is one token's activations prepared for MatVecT5SActs: what the
// active path derives from them (their sum; on "avx512" their layout for
// VPDPBUSD) is computed once by Prepare instead of once per call, so that a
// matrix cut in many bands of rows pays for it once. Its buffers are reused
// from one Prepare to the next.
type T5SActs struct {
	x   []int8
	k   int
	sum int32
	xp  []int8 // laid out for the path that prepared it, or empty
	p   *path  // the path that prepared it
}

// Prepare makes a hold x (k values, a multiple of T5SBlockValues) for the
// active path. a keeps x: x must not change while a is used.
func (a *T5SActs) Prepare(x []int8, k int) {
	checkShapeT5S(0, nil, x, k, 1)
	a.x, a.k, a.p = x[:k], k, active
	a.p.prepareT5S(a)
}

// MatVecT5SActs is MatVecT5S on prepared activations: dst[r] = Σ_j
// t[r][j]·x[j] for every row r < len(dst) of w. It runs the path that
// prepared a.
func MatVecT5SActs(dst []int32, w []byte, a *T5SActs) {
	if a.p == nil {
		panic("kernel: T5SActs used before Prepare")
	}
	checkShapeT5S(len(dst), w, a.x, a.k, 1)
	if len(dst) == 0 {
		return
	}
	a.p.matVecT5SActs(dst, w, a)
}

// prepareT5SNone and matVecT5SActsPlain are the forms of paths that
// prepare nothing: the mat-vec runs on x itself.
func prepareT5SNone(a *T5SActs) { a.xp = a.xp[:0] }

func matVecT5SActsPlain(dst []int32, w []byte, a *T5SActs) {
	a.p.matVecT5S(dst, w, a.x, a.k)
}
