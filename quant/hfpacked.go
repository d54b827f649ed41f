package quant

import "fmt"

// UnpackHF decodes the offline-packed Hugging Face form (docs/SEMANTICS.md §3):
// packed is U8 [out/4, in]; output row k·(out/4)+r is in bits 2k..2k+1 of
// packed row r, code c meaning t = c-1. It writes out×in values into dst.
func UnpackHF(dst []int8, packed []byte, out, in int) error {
	if out%4 != 0 {
		return fmt.Errorf("packed weight: out dimension %d is not a multiple of 4", out)
	}
	q := out / 4
	if len(packed) != q*in {
		return fmt.Errorf("packed weight holds %d bytes, want %d for [%d/4, %d]", len(packed), q*in, out, in)
	}
	for k := 0; k < 4; k++ {
		for r := 0; r < q; r++ {
			src := packed[r*in : (r+1)*in]
			row := dst[(k*q+r)*in : (k*q+r+1)*in]
			for j, b := range src {
				c := b >> (2 * uint(k)) & 3
				if c == 3 {
					return fmt.Errorf("packed weight row %d column %d has code 3, which no ternary value maps to", k*q+r, j)
				}
				row[j] = int8(c) - 1
			}
		}
	}
	return nil
}

// PackHF is the inverse of UnpackHF: it packs out×in ternary values into the
// Hugging Face offline form U8 [out/4, in]. out must be a multiple of 4.
func PackHF(t []int8, out, in int) []byte {
	q := out / 4
	packed := make([]byte, q*in)
	for k := 0; k < 4; k++ {
		for r := 0; r < q; r++ {
			for j := 0; j < in; j++ {
				packed[r*in+j] |= byte(t[(k*q+r)*in+j]+1) << (2 * uint(k))
			}
		}
	}
	return packed
}
