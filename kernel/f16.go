package kernel

import (
	"math"
	"sync"
)

// MatVecF16 computes dst[r] = Σ_j f16(w[r·k+j])·x[j] in float32 for every
// row r < len(dst): the tied LM head over the F16 token embedding. Unlike
// the ternary kernels this is float arithmetic: paths may differ in the
// order of additions (by a few ulps), never in anything else.
func MatVecF16(dst []float32, w []uint16, x []float32, k int) {
	if len(w) < len(dst)*k || len(x) < k {
		panic("kernel: MatVecF16 shape mismatch")
	}
	if len(dst) == 0 {
		return
	}
	active.matVecF16(dst, w, x, k)
}

// MatVecF16Ref is the scalar MatVecF16: a table lookup per value and four
// interleaved float32 sums.
func MatVecF16Ref(dst []float32, w []uint16, x []float32, k int) {
	table := F16Table()
	for r := range dst {
		row := w[r*k : (r+1)*k]
		var s0, s1, s2, s3 float32
		j := 0
		for ; j+4 <= k; j += 4 {
			s0 += float32(table[row[j]] * x[j])
			s1 += float32(table[row[j+1]] * x[j+1])
			s2 += float32(table[row[j+2]] * x[j+2])
			s3 += float32(table[row[j+3]] * x[j+3])
		}
		for ; j < k; j++ {
			s0 += float32(table[row[j]] * x[j])
		}
		dst[r] = (s0 + s1) + (s2 + s3)
	}
}

var (
	f16Once  sync.Once
	f16Table []float32
)

// F16Table returns every IEEE half-precision value widened (exactly) to
// float32, indexed by its bits.
func F16Table() []float32 {
	f16Once.Do(func() {
		f16Table = make([]float32, 1<<16)
		for i := range f16Table {
			f16Table[i] = HalfToFloat(uint16(i))
		}
	})
	return f16Table
}

// HalfToFloat widens one IEEE half-precision value to float32 exactly.
func HalfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := int(h>>10) & 0x1f
	frac := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0:
		v := float32(frac) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | uint32(exp-15+127)<<23 | frac<<13)
}
