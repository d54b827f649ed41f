package quant

import "fmt"

// Layout is an I2_S block layout (docs/SEMANTICS.md §4).
type Layout int

const (
	// LayoutX86 is bitnet.cpp's x86 layout: 128-value blocks of 32 bytes;
	// byte p holds values p, p+32, p+64, p+96 in bits 7:6, 5:4, 3:2, 1:0.
	// It is the layout our kernels consume on every architecture.
	LayoutX86 Layout = iota
	// LayoutARM is bitnet.cpp's ARM layout (since Nov 2025): 64-value blocks
	// of 16 bytes; byte p holds values p, p+16, p+32, p+48.
	LayoutARM
)

// Layouts lists the supported layouts by name, for flags and errors.
var Layouts = []string{"x86", "arm"}

// ParseLayout maps a name ("x86", "arm") to a Layout.
func ParseLayout(name string) (Layout, error) {
	switch name {
	case "x86":
		return LayoutX86, nil
	case "arm":
		return LayoutARM, nil
	}
	return 0, fmt.Errorf("unknown I2_S layout %q (supported: x86, arm)", name)
}

func (l Layout) String() string {
	if l == LayoutARM {
		return "arm"
	}
	return "x86"
}

// BlockValues is the number of values in one block of the layout.
func (l Layout) BlockValues() int {
	if l == LayoutARM {
		return 64
	}
	return 128
}

// PaddedCols rounds cols up to a whole number of blocks: each row is padded
// with zero weights so rows never straddle blocks.
func (l Layout) PaddedCols(cols int) int {
	b := l.BlockValues()
	return (cols + b - 1) / b * b
}

// Pack packs rows×cols ternary values t (row-major, values in {-1,0,1}) into
// dst in layout l, padding every row to l.PaddedCols(cols) with zeros.
// dst must hold rows·PaddedCols/4 bytes. This is the scalar reference of the
// layout.
func Pack(dst []byte, t []int8, rows, cols int, l Layout) {
	pc := l.PaddedCols(cols)
	clear(dst[:rows*pc/4])
	parallel(rows*cols, func(lo, hi int) {
		for r := lo / max(cols, 1); r < min(rows, (hi+cols-1)/max(cols, 1)); r++ {
			if r*cols >= lo { // each row is packed by the half holding its start
				packRow(dst[r*pc/4:(r+1)*pc/4], t[r*cols:(r+1)*cols], l)
			}
		}
	})
}

// packRow packs one row (len(t) values, zero-padded to whole blocks).
func packRow(row []byte, t []int8, l Layout) {
	b := l.BlockValues()
	stride := b / 4 // values p, p+stride, p+2·stride, p+3·stride share byte p
	full := len(t) / b
	for blk := 0; blk < full; blk++ { // whole blocks: one byte from four values
		v := t[blk*b : (blk+1)*b]
		out := row[blk*stride : (blk+1)*stride]
		for p := range out {
			out[p] = byte(v[p]+1)<<6 | byte(v[p+stride]+1)<<4 | byte(v[p+2*stride]+1)<<2 | byte(v[p+3*stride]+1)
		}
	}
	for j := full * b; j < len(row)*4; j++ { // the partial block and its padding
		var c byte = 1 // code of a zero weight, also the padding
		if j < len(t) {
			c = byte(t[j] + 1)
		}
		blk, i := j/b, j%b
		row[blk*stride+i%stride] |= c << (6 - 2*uint(i/stride))
	}
}

// Unpack inverts Pack: it writes rows×cols values (padding dropped) into dst.
// A code of 3, which Pack never writes, is an error.
func Unpack(dst []int8, packed []byte, rows, cols int, l Layout) error {
	pc := l.PaddedCols(cols)
	b := l.BlockValues()
	stride := b / 4
	if len(packed) < rows*pc/4 {
		return fmt.Errorf("I2_S data holds %d bytes, need %d for %d×%d (%s layout)", len(packed), rows*pc/4, rows, cols, l)
	}
	for r := 0; r < rows; r++ {
		row := packed[r*pc/4 : (r+1)*pc/4]
		for j := 0; j < cols; j++ {
			blk, i := j/b, j%b
			c := row[blk*stride+i%stride] >> (6 - 2*uint(i/stride)) & 3
			if c == 3 {
				return fmt.Errorf("I2_S row %d value %d has code 3, which no ternary value maps to", r, j)
			}
			dst[r*cols+j] = int8(c) - 1
		}
	}
	return nil
}

// Repack converts packed rows from one layout to another (e.g. an ARM-layout
// file loaded by our x86-layout kernels), re-padding rows to the target's
// block. cols is the unpadded in-dimension.
func Repack(packed []byte, rows, cols int, from, to Layout) ([]byte, error) {
	t := make([]int8, rows*cols)
	if err := Unpack(t, packed, rows, cols, from); err != nil {
		return nil, err
	}
	out := make([]byte, rows*to.PaddedCols(cols)/4)
	Pack(out, t, rows, cols, to)
	return out, nil
}
