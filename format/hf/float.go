package hf

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Float32FromBF16 widens a bfloat16 bit pattern to float32. It is exact:
// bfloat16 is the top half of a float32.
func Float32FromBF16(b uint16) float32 {
	return math.Float32frombits(uint32(b) << 16)
}

// BF16FromFloat32 narrows f to bfloat16 with round-half-to-even (PyTorch's
// rounding for .to(torch.bfloat16)). NaN stays NaN (quieted, sign kept);
// values past the largest finite bfloat16 round to ±Inf.
func BF16FromFloat32(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 {
		return uint16(b>>16) | 0x0040
	}
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// Float32FromF16 widens an IEEE 754 binary16 bit pattern to float32
// exactly, subnormals included.
func Float32FromF16(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	case mant == 0: // ±0
		return math.Float32frombits(sign)
	}
	// Subnormal: value = mant · 2^-24; normalise the mantissa.
	e := uint32(127 - 15 + 1)
	for mant&0x400 == 0 {
		mant <<= 1
		e--
	}
	return math.Float32frombits(sign | e<<23 | (mant&0x3ff)<<13)
}

// AppendBF16 appends src to dst as little-endian bfloat16 (BF16FromFloat32).
func AppendBF16(dst []byte, src []float32) []byte {
	for _, f := range src {
		dst = binary.LittleEndian.AppendUint16(dst, BF16FromFloat32(f))
	}
	return dst
}

// AppendF32 appends src to dst as little-endian float32.
func AppendF32(dst []byte, src []float32) []byte {
	for _, f := range src {
		dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(f))
	}
	return dst
}

// nonFinite reports element i of tensor name as NaN or ±Inf, with its
// coordinates in shape.
func nonFinite(name string, shape []int, i int, v float32, bits uint64) error {
	kind := "NaN"
	if math.IsInf(float64(v), 1) {
		kind = "+Inf"
	} else if math.IsInf(float64(v), -1) {
		kind = "-Inf"
	}
	idx := make([]int, len(shape))
	r := i
	for d := len(shape) - 1; d >= 0; d-- {
		if shape[d] > 0 {
			idx[d] = r % shape[d]
			r /= shape[d]
		}
	}
	return classify(fmt.Errorf("tensor %q: element %d (index %v) is %s (bits %#x)", name, i, idx, kind, bits), ErrNonFinite)
}

// decodeFloat32 widens raw (dtype BF16, F16 or F32, little-endian) into dst,
// which has exactly one slot per element, failing on the first non-finite
// value.
func decodeFloat32(name, dtype string, shape []int, raw []byte, dst []float32) error {
	switch dtype {
	case "BF16":
		raw = raw[:2*len(dst)]
		// Four values per 64-bit load; a lane whose exponent bits are all
		// set (NaN or Inf) makes y's lane zero, found by the has-zero trick.
		const expMask, ones, highs = 0x7f807f807f807f80, 0x0001000100010001, 0x8000800080008000
		i := 0
		for ; i+4 <= len(dst); i += 4 {
			x := binary.LittleEndian.Uint64(raw[2*i:])
			y := x&expMask ^ expMask
			if (y-ones)&^y&highs != 0 {
				break // the scalar loop below finds and reports it
			}
			d := dst[i : i+4 : i+4]
			d[0] = math.Float32frombits(uint32(x) << 16)
			d[1] = math.Float32frombits(uint32(x>>16) << 16)
			d[2] = math.Float32frombits(uint32(x>>32) << 16)
			d[3] = math.Float32frombits(uint32(x>>48) << 16)
		}
		for ; i < len(dst); i++ {
			u := binary.LittleEndian.Uint16(raw[2*i:])
			if u&0x7f80 == 0x7f80 {
				return nonFinite(name, shape, i, Float32FromBF16(u), uint64(u))
			}
			dst[i] = math.Float32frombits(uint32(u) << 16)
		}
	case "F16":
		for i := range dst {
			u := binary.LittleEndian.Uint16(raw[2*i:])
			if u&0x7c00 == 0x7c00 {
				return nonFinite(name, shape, i, Float32FromF16(u), uint64(u))
			}
			dst[i] = Float32FromF16(u)
		}
	case "F32":
		for i := range dst {
			u := binary.LittleEndian.Uint32(raw[4*i:])
			if u&0x7f800000 == 0x7f800000 {
				return nonFinite(name, shape, i, math.Float32frombits(u), uint64(u))
			}
			dst[i] = math.Float32frombits(u)
		}
	default:
		return classify(fmt.Errorf("tensor %q: dtype %s is not a floating-point type (Float32 reads BF16, F16 and F32)", name, dtype), ErrDtype)
	}
	return nil
}
