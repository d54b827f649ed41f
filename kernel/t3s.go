package kernel

import (
	"fmt"
	"sync"
)

// T3_S (docs/SEMANTICS.md §4c): three ternary values per 5-bit code
// c = d_0 + 3·d_1 + 9·d_2, d_i = t_i + 1. A row of k values (k a multiple
// of T3SGroupValues) is k/96 groups of 20 bytes, in chunks of up to four
// groups (the last chunk holds the groups left). A chunk of g groups holds
// n = 32·g codes: 16·g nibble bytes (byte b: code b's low four bits in the
// low nibble, code b+16·g's in the high nibble), then 4·g bytes with bit 4
// of code j at bit j mod 8 of byte j/8. Value i of code j is column
// base + i·n + j of the chunk's 3·n columns. Every path decodes value i of
// any 5-bit code c as ⌊c/3^i⌋ mod 3 − 1, so the five codes no encoder
// writes (27–31) give the same result on every path.

// T3SGroupValues is the number of ternary values in one T3_S group.
const T3SGroupValues = 96

// T3SGroupBytes is the size in bytes of one T3_S group.
const T3SGroupBytes = 20

// t3sChunkGroups is the number of groups in a whole chunk.
const t3sChunkGroups = 4

// T3SRowBytes is the size of a T3_S row of k values.
func T3SRowBytes(k int) int { return k / T3SGroupValues * T3SGroupBytes }

// t3sTrits[c] holds the three values ⌊c/3^i⌋ mod 3 − 1 of code c.
var t3sTrits = func() (tab [32][3]int8) {
	for c := range tab {
		for i, v := 0, c; i < 3; i, v = i+1, v/3 {
			tab[c][i] = int8(v%3) - 1
		}
	}
	return tab
}()

// MatVecT3SRef is the scalar reference of MatVecT3S: locate each value's
// code by the layout's definition, decode it, multiply and add.
func MatVecT3SRef(dst []int32, w []byte, x []int8, k int) {
	rb := T3SRowBytes(k)
	groups := k / T3SGroupValues
	for r := range dst {
		row := w[r*rb : (r+1)*rb]
		var s int32
		for col := 0; col < k; col++ {
			ch := col / (t3sChunkGroups * T3SGroupValues)
			g := min(t3sChunkGroups, groups-ch*t3sChunkGroups)
			n := 32 * g
			chunk := row[ch*t3sChunkGroups*T3SGroupBytes:]
			within := col - ch*t3sChunkGroups*T3SGroupValues
			j, i := within%n, within/n
			nib := chunk[j%(16*g)]
			if j >= 16*g {
				nib >>= 4
			}
			c := nib&15 | (chunk[16*g+j/8]>>(j%8)&1)<<4
			v := int(c)
			for ; i > 0; i-- {
				v /= 3
			}
			s += int32(v%3-1) * int32(x[col])
		}
		dst[r] = s
	}
}

// matMatStrideT3SRef is the reference of MatMatStrideT3S.
func matMatStrideT3SRef(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	for i := 0; i < tokens; i++ {
		MatVecT3SRef(dst[i*ldd:i*ldd+rows], w, x[i*k:(i+1)*k], k)
	}
}

// MatVecT3S computes dst[r] = Σ_j t[r][j]·x[j] exactly for every row
// r < len(dst) of the T3_S matrix w with k columns (k a multiple of
// T3SGroupValues; row r is bytes [r·T3SRowBytes(k), (r+1)·T3SRowBytes(k))).
func MatVecT3S(dst []int32, w []byte, x []int8, k int) {
	checkShapeT3S(len(dst), w, x, k, 1)
	if len(dst) == 0 {
		return
	}
	active.matVecT3S(dst, w, x, k)
}

// MatMatStrideT3S is MatMatStride for a T3_S matrix: it writes
// dst[i·ldd+r] = Σ_j t[r][j]·x[i·k+j] for r < rows, i < tokens.
func MatMatStrideT3S(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	checkShapeT3S(rows, w, x, k, tokens)
	if rows <= 0 || tokens <= 0 {
		return
	}
	if ldd < rows || len(dst) < (tokens-1)*ldd+rows {
		panic(fmt.Sprintf("kernel: dst holds %d values, need %d rows at stride %d for %d tokens", len(dst), rows, ldd, tokens))
	}
	if tokens == 1 {
		active.matVecT3S(dst[:rows], w, x, k)
		return
	}
	active.matMatT3S(dst, ldd, w, x, k, rows, tokens)
}

func checkShapeT3S(rows int, w []byte, x []int8, k, tokens int) {
	if k <= 0 || k%T3SGroupValues != 0 {
		panic(fmt.Sprintf("kernel: k=%d is not a positive multiple of %d (T3_S)", k, T3SGroupValues))
	}
	if len(w) < rows*T3SRowBytes(k) {
		panic(fmt.Sprintf("kernel: w holds %d bytes, need %d for %d T3_S rows of %d", len(w), rows*T3SRowBytes(k), rows, k))
	}
	if len(x) < tokens*k {
		panic(fmt.Sprintf("kernel: x holds %d values, need %d", len(x), tokens*k))
	}
}

// The pure Go T3_S kernels. With at least lutMinRows rows, each token gets
// a table with one 32-entry row per code position of a matrix row:
// lut[p][c] = Σ_i t_i(c)·x_i over the three values code c holds there. A
// row's dot product is then one load and one add per code. Fewer rows
// decode each code with t3sTrits.

// t3sLut is one token's table: k/3 rows of 32 entries.
type t3sLut [][32]int16

// t3sLutPool keeps tables between calls; it holds memory, not work.
var t3sLutPool = sync.Pool{New: func() any { return new(t3sLut) }}

func matVecT3SGo(dst []int32, w []byte, x []int8, k int) {
	matMatT3SGo(dst, 0, w, x, k, len(dst), 1)
}

func matMatT3SGo(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows == 0 || tokens == 0 {
		return
	}
	rb := T3SRowBytes(k)
	w = w[:rows*rb]
	if rows < lutMinRows {
		for t := 0; t < tokens; t++ {
			xt := x[t*k : (t+1)*k]
			out := dst[t*ldd : t*ldd+rows]
			for r := range out {
				out[r] = dotT3SDirect(w[r*rb:(r+1)*rb], xt)
			}
		}
		return
	}
	tab := t3sLutPool.Get().(*t3sLut)
	if cap(*tab) < k/3 {
		*tab = make(t3sLut, k/3)
	}
	t := (*tab)[:k/3]
	for i := 0; i < tokens; i++ {
		buildT3SLUT(t, x[i*k:(i+1)*k])
		out := dst[i*ldd : i*ldd+rows]
		for r := range out {
			out[r] = dotT3SLUT(w[r*rb:(r+1)*rb], t)
		}
	}
	t3sLutPool.Put(tab)
}

// t3sChunks calls fn for each chunk of a row of k values: its byte offset,
// its code count n and its first column.
func t3sChunks(k int, fn func(off, n, base int)) {
	groups := k / T3SGroupValues
	for g0 := 0; g0 < groups; g0 += t3sChunkGroups {
		g := min(t3sChunkGroups, groups-g0)
		fn(g0*T3SGroupBytes, 32*g, g0*T3SGroupValues)
	}
}

// buildT3SLUT fills tab (one entry per code position of a row, chunk by
// chunk) for the activations x (len(x) = 3·len(tab)).
func buildT3SLUT(tab [][32]int16, x []int8) {
	p := 0
	t3sChunks(len(x), func(_, n, base int) {
		for j := 0; j < n; j++ {
			x0, x1, x2 := int16(x[base+j]), int16(x[base+n+j]), int16(x[base+2*n+j])
			e := &tab[p]
			c := 0 // = d_0 + 3·d_1 + 9·d_2, counting up
			for t2 := int16(-1); t2 <= 1; t2++ {
				for t1 := int16(-1); t1 <= 1; t1++ {
					v := t2*x2 + t1*x1
					e[c], e[c+1], e[c+2] = v-x0, v, v+x0
					c += 3
				}
			}
			copy(e[27:], e[:5]) // codes 27–31: ⌊c/9⌋ mod 3 = 0, c mod 9 = c − 27
			p++
		}
	})
}

// dotT3SLUT is the dot product of one T3_S row with the activations of
// tab: per nibble byte, the entries of its low and its high code.
func dotT3SLUT(row []byte, tab [][32]int16) int32 {
	var s int32
	groups := len(tab) * 3 / T3SGroupValues
	off, p := 0, 0
	for g0 := 0; g0 < groups; g0 += t3sChunkGroups {
		g := min(t3sChunkGroups, groups-g0)
		h := 16 * g // nibble bytes; codes b and b+h share byte b
		nib, bits := row[off:off+h], row[off+h:off+20*g]
		lo, hi := tab[p:p+h], tab[p+h:p+2*h]
		for b0 := 0; b0 < h; b0 += 8 {
			q8 := (*[8]byte)(nib[b0:])
			lo8, hi8 := (*[8][32]int16)(lo[b0:]), (*[8][32]int16)(hi[b0:])
			bl, bh := uint(bits[b0/8]), uint(bits[(b0+h)/8])
			for u := range q8 {
				q := uint(q8[u])
				s += int32(lo8[u][q&15|(bl>>u&1)<<4]) + int32(hi8[u][q>>4|(bh>>u&1)<<4])
			}
		}
		off += T3SGroupBytes * g
		p += 2 * h
	}
	return s
}

// dotT3SDirect is the table-free dot product of one T3_S row with x.
func dotT3SDirect(row []byte, x []int8) int32 {
	var s int32
	t3sChunks(len(x), func(off, n, base int) {
		h := n / 2
		nib, bits := row[off:off+h], row[off+h:off+h+n/8]
		for b, q := range nib {
			for half, j := range [2]int{b, b + h} {
				c := uint(q>>(4*half))&15 | uint(bits[j/8]>>(j%8))&1<<4
				t := &t3sTrits[c]
				s += int32(t[0])*int32(x[base+j]) + int32(t[1])*int32(x[base+n+j]) + int32(t[2])*int32(x[base+2*n+j])
			}
		}
	})
	return s
}
