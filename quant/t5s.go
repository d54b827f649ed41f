package quant

import "fmt"

// T5_S packs five ternary values per byte (docs/SEMANTICS.md §4b), 1.6 bits
// per weight before row padding. Blocks hold T5SBlockValues values in
// T5SBlockBytes bytes; byte p of a block holds values p, p+32, p+64, p+96,
// p+128 as base-3 digits c_i = t_i + 1, most significant first:
// v = Σ c_i·3^(4−i) ∈ [0, 242], stored as q = ⌈v·256/243⌉. Digit i comes
// back without a division as ((q·3^i mod 256)·3) >> 8 (T5SDigit). Rows are
// padded to whole blocks with zero weights (c = 1).
const (
	T5SBlockValues = 160
	T5SBlockBytes  = 32
)

// T5SPaddedCols rounds cols up to a whole number of T5_S blocks.
func T5SPaddedCols(cols int) int {
	return (cols + T5SBlockValues - 1) / T5SBlockValues * T5SBlockValues
}

// T5SEncode returns the byte of five codes c[0..4] ∈ {0,1,2}, c[0] the most
// significant digit.
func T5SEncode(c [5]byte) byte {
	v := 0
	for _, d := range c {
		v = 3*v + int(d)
	}
	return byte((v*256 + 242) / 243)
}

// T5SDigit returns digit i (0..4) of byte q: ((q·3^i mod 256)·3) >> 8.
// It is defined for every byte; only the 243 bytes T5SEncode writes are
// valid (T5SValid).
func T5SDigit(q byte, i int) byte {
	u := q
	for ; i > 0; i-- {
		u *= 3 // mod 256
	}
	return byte(uint(u) * 3 >> 8)
}

// t5sValid[q] reports whether some five codes encode to q.
var t5sValid = func() (ok [256]bool) {
	for v := 0; v < 243; v++ {
		ok[(v*256+242)/243] = true
	}
	return ok
}()

// T5SValid reports whether q is a byte T5SEncode writes (243 of 256 are).
func T5SValid(q byte) bool { return t5sValid[q] }

// PackT5S packs rows×cols ternary values t (row-major, values in {-1,0,1})
// into dst as T5_S, padding every row to T5SPaddedCols(cols) with zeros.
// dst must hold rows·T5SPaddedCols(cols)/5 bytes. This is the scalar
// reference of the layout.
func PackT5S(dst []byte, t []int8, rows, cols int) {
	pc := T5SPaddedCols(cols)
	rb := pc / 5
	parallel(rows*cols, func(lo, hi int) {
		for r := lo / max(cols, 1); r < min(rows, (hi+cols-1)/max(cols, 1)); r++ {
			if r*cols >= lo { // each row is packed by the half holding its start
				packT5SRow(dst[r*rb:(r+1)*rb], t[r*cols:(r+1)*cols])
			}
		}
	})
}

func packT5SRow(row []byte, t []int8) {
	full := len(t) / T5SBlockValues
	for blk := 0; blk < full; blk++ { // whole blocks: one byte from five values
		v := t[blk*T5SBlockValues : (blk+1)*T5SBlockValues]
		out := row[blk*T5SBlockBytes : (blk+1)*T5SBlockBytes]
		for p := range out {
			d := 81*int(v[p]+1) + 27*int(v[p+32]+1) + 9*int(v[p+64]+1) + 3*int(v[p+96]+1) + int(v[p+128]+1)
			out[p] = t5sByteOf[d]
		}
	}
	for blk := full; blk < len(row)/T5SBlockBytes; blk++ { // the partial block and its padding
		for p := 0; p < T5SBlockBytes; p++ {
			var c [5]byte
			for i := range c {
				c[i] = 1 // a zero weight, also the padding
				if j := blk*T5SBlockValues + p + 32*i; j < len(t) {
					c[i] = byte(t[j] + 1)
				}
			}
			row[blk*T5SBlockBytes+p] = T5SEncode(c)
		}
	}
}

// t5sByteOf[v] is the byte of digit combination v (T5SEncode).
var t5sByteOf = func() (tab [243]byte) {
	for v := range tab {
		tab[v] = byte((v*256 + 242) / 243)
	}
	return tab
}()

// UnpackT5S inverts PackT5S: it writes rows×cols values (padding dropped)
// into dst. A byte no five codes encode to is an error.
func UnpackT5S(dst []int8, packed []byte, rows, cols int) error {
	rb := T5SPaddedCols(cols) / 5
	if len(packed) < rows*rb {
		return fmt.Errorf("T5_S data holds %d bytes, need %d for %d×%d", len(packed), rows*rb, rows, cols)
	}
	for r := 0; r < rows; r++ {
		row := packed[r*rb : (r+1)*rb]
		for i, q := range row {
			if !t5sValid[q] {
				return fmt.Errorf("T5_S row %d byte %d is %d, which no five ternary values encode to", r, i, q)
			}
		}
		for j := 0; j < cols; j++ {
			blk, i := j/T5SBlockValues, j%T5SBlockValues
			dst[r*cols+j] = int8(T5SDigit(row[blk*T5SBlockBytes+i%32], i/32)) - 1
		}
	}
	return nil
}
