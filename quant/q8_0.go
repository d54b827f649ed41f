package quant

import (
	"encoding/binary"
	"math"

	"github.com/x448/float16"
)

// Q8_0 is ggml's 8-bit block format: blocks of 32 values, each a float16
// scale d followed by 32 int8 values q, value = d·q. Used for the optional
// 8-bit LM head (the token embedding).
const (
	Q8_0BlockValues = 32
	Q8_0BlockBytes  = 2 + 32
)

// Q8_0Size is the byte size of n values (n a multiple of 32).
func Q8_0Size(n int) int { return n / Q8_0BlockValues * Q8_0BlockBytes }

// QuantizeQ8_0 is the scalar reference of ggml's quantize_row_q8_0_ref:
// per block amax = max|x|, d = amax/127, q = round(x/d) with C's roundf
// (half away from zero: math.Round, not RoundToEven) via the reciprocal
// id = 1/d, and d stored as float16. len(x) must be a multiple of 32 and dst
// must hold Q8_0Size(len(x)) bytes.
func QuantizeQ8_0(dst []byte, x []float32) {
	for b := 0; b < len(x)/Q8_0BlockValues; b++ {
		blk := x[b*Q8_0BlockValues : (b+1)*Q8_0BlockValues]
		out := dst[b*Q8_0BlockBytes : (b+1)*Q8_0BlockBytes]
		var amax float32
		for _, v := range blk {
			amax = max(amax, float32(math.Abs(float64(v))))
		}
		d := amax / 127
		var id float32
		if d != 0 {
			id = 1 / d
		}
		binary.LittleEndian.PutUint16(out, uint16(float16.Fromfloat32(d)))
		for i, v := range blk {
			out[2+i] = byte(int8(math.Round(float64(v * id))))
		}
	}
}

// DequantizeQ8_0 inverts QuantizeQ8_0 up to its rounding: dst[i] = d·q.
func DequantizeQ8_0(dst []float32, src []byte) {
	for b := 0; b < len(dst)/Q8_0BlockValues; b++ {
		in := src[b*Q8_0BlockBytes : (b+1)*Q8_0BlockBytes]
		d := float16.Frombits(binary.LittleEndian.Uint16(in)).Float32()
		for i := 0; i < Q8_0BlockValues; i++ {
			dst[b*Q8_0BlockValues+i] = d * float32(int8(in[2+i]))
		}
	}
}
