package quant

import "fmt"

// T3_S packs three ternary values into a 5-bit code (3³ = 27 ≤ 32), 1.67
// bits per weight before row padding (docs/SEMANTICS.md §4c). The values
// t_0, t_1, t_2 of a code become c = d_0 + 3·d_1 + 9·d_2 with d_i = t_i + 1.
//
// A row of k values (k a multiple of T3SGroupValues: 32 codes, 96 values,
// 20 bytes) is cut into chunks of T3SChunkGroups groups, the last chunk
// holding the 1–4 groups left. A chunk of g groups holds n = 32·g codes and
// the 3·n values at columns base … base+3n−1: value i of code j (i < 3,
// j < n) is column base + i·n + j. Its 20·g bytes are first 16·g nibble
// bytes, byte b holding the low four bits of code b in its low nibble and
// those of code b + 16·g in its high nibble, then 4·g bytes holding bit 4
// of code j in bit j mod 8 of byte j/8. Rows are padded to whole groups
// with zero weights (c = 13).
const (
	T3SGroupValues = 96
	T3SGroupBytes  = 20
	T3SChunkGroups = 4
)

// T3SPaddedCols rounds cols up to a whole number of T3_S groups.
func T3SPaddedCols(cols int) int {
	return (cols + T3SGroupValues - 1) / T3SGroupValues * T3SGroupValues
}

// T3SRowBytes is the size of a T3_S row of k values (k a multiple of
// T3SGroupValues).
func T3SRowBytes(k int) int { return k / T3SGroupValues * T3SGroupBytes }

// T3SCodeZero is the code of three zero weights, also the padding.
const T3SCodeZero = 13

// T3SEncode returns the code of three values t[0..2] ∈ {-1, 0, 1}.
func T3SEncode(t [3]int8) byte {
	return byte(t[0]+1) + 3*byte(t[1]+1) + 9*byte(t[2]+1)
}

// T3SValue returns value i (0..2) of code c: ⌊c/3^i⌋ mod 3 − 1. It is
// defined for every 5-bit code; only 0…26 are valid (encoders write no
// other).
func T3SValue(c byte, i int) int8 {
	for ; i > 0; i-- {
		c /= 3
	}
	return int8(c%3) - 1
}

// t3sChunk locates code j of the chunk holding column col of a row of k
// values: the chunk's byte offset in the row, its group count g, and the
// code j and value i of col.
func t3sChunk(col, k int) (off, g, j, i int) {
	const chunkValues = T3SChunkGroups * T3SGroupValues
	ch := col / chunkValues
	g = min(T3SChunkGroups, k/T3SGroupValues-ch*T3SChunkGroups)
	n := 32 * g
	within := col - ch*chunkValues
	return ch * T3SChunkGroups * T3SGroupBytes, g, within % n, within / n
}

// T3SCode returns code j of the chunk of g groups at chunk (its 20·g bytes).
func T3SCode(chunk []byte, g, j int) byte {
	nib := chunk[j%(16*g)]
	if j >= 16*g {
		nib >>= 4
	}
	bit := chunk[16*g+j/8] >> (j % 8) & 1
	return nib&15 | bit<<4
}

// PackT3S packs rows×cols ternary values t (row-major, values in {-1,0,1})
// into dst as T3_S, padding every row to T3SPaddedCols(cols) with zeros.
// dst must hold rows·T3SRowBytes(T3SPaddedCols(cols)) bytes. This is the
// scalar reference of the layout.
func PackT3S(dst []byte, t []int8, rows, cols int) {
	k := T3SPaddedCols(cols)
	rb := T3SRowBytes(k)
	parallel(rows*cols, func(lo, hi int) {
		for r := lo / max(cols, 1); r < min(rows, (hi+cols-1)/max(cols, 1)); r++ {
			if r*cols >= lo { // each row is packed by the half holding its start
				packT3SRow(dst[r*rb:(r+1)*rb], t[r*cols:(r+1)*cols], k)
			}
		}
	})
}

func packT3SRow(row []byte, t []int8, k int) {
	clear(row)
	for col := 0; col < k; col += T3SChunkGroups * T3SGroupValues {
		off, g, _, _ := t3sChunk(col, k)
		n := 32 * g
		chunk := row[off : off+20*g]
		for j := 0; j < n; j++ {
			var v [3]int8
			for i := range v {
				if c := col + i*n + j; c < len(t) {
					v[i] = t[c]
				}
			}
			c := T3SEncode(v)
			if j < 16*g {
				chunk[j] |= c & 15
			} else {
				chunk[j-16*g] |= (c & 15) << 4
			}
			chunk[16*g+j/8] |= c >> 4 << (j % 8)
		}
	}
}

// UnpackT3S inverts PackT3S: it writes rows×cols values (padding dropped)
// into dst. A code above 26 is an error.
func UnpackT3S(dst []int8, packed []byte, rows, cols int) error {
	k := T3SPaddedCols(cols)
	rb := T3SRowBytes(k)
	if len(packed) < rows*rb {
		return fmt.Errorf("T3_S data holds %d bytes, need %d for %d×%d", len(packed), rows*rb, rows, cols)
	}
	for r := 0; r < rows; r++ {
		row := packed[r*rb : (r+1)*rb]
		for col := 0; col < k; col++ {
			off, g, j, i := t3sChunk(col, k)
			c := T3SCode(row[off:off+20*g], g, j)
			if c > 26 {
				return fmt.Errorf("T3_S row %d column %d has code %d, which no three ternary values encode to", r, col, c)
			}
			if col < cols {
				dst[r*cols+col] = T3SValue(c, i)
			}
		}
	}
	return nil
}
