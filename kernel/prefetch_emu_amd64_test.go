//go:build amd64 && !purego

package kernel

import (
	"math"

	"golang.org/x/sys/cpu"
)

// fma32 is a fused float32 multiply-add, a·b + c rounded once (as
// VFMADD231PS): the product of two float32 is exact in float64, and the
// sum's float64 rounding error e (TwoSum) decides the one case where
// rounding s to float32 could differ from rounding the exact value: s a
// tie between two float32 neighbours.
func fma32(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	s := p + float64(c)
	bv := s - p
	e := (p - (s - bv)) + (float64(c) - bv)
	r := float32(s)
	if e == 0 || float64(r) == s {
		return r
	}
	other := math.Nextafter32(r, float32(math.Inf(1)))
	if float64(r) > s {
		other = math.Nextafter32(r, float32(math.Inf(-1)))
	}
	if float64(r)+float64(other) != 2*s {
		return r // not a tie: rounding s rounds the exact value
	}
	if (e > 0) == (other > r) {
		return other
	}
	return r
}

// reduce8 is the kernels' horizontal sum of 8 lanes: the high 128 bits
// added to the low, then VHADDPS twice.
func reduce8(v []float32) float32 {
	var h [4]float32
	for l := range h {
		h[l] = v[l] + v[l+4]
	}
	return (h[0] + h[1]) + (h[2] + h[3])
}

// matVecF16Emulated computes MatVecF16 in the order of the vector kernel
// the CPU runs for k (nil if it runs none): lanes × four accumulators,
// FMA per value, the kernel's reduction.
func matVecF16Emulated(w []uint16, x []float32, k, rows int) []float32 {
	lanes := 8
	switch {
	case cpu.X86.HasAVX512F && k%64 == 0:
		lanes = 16
	case !(cpu.X86.HasAVX2 && cpu.X86.HasFMA) || k%32 != 0:
		return nil
	}
	out := make([]float32, rows)
	for r := range out {
		acc := make([][]float32, 4)
		for j := range acc {
			acc[j] = make([]float32, lanes)
		}
		for s := 0; s < k; s += 4 * lanes {
			for j := range acc {
				for l := 0; l < lanes; l++ {
					i := s + j*lanes + l
					acc[j][l] = fma32(HalfToFloat(w[r*k+i]), x[i], acc[j][l])
				}
			}
		}
		v := make([]float32, lanes)
		for l := range v {
			v[l] = (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l])
		}
		if lanes == 16 {
			for l := 0; l < 8; l++ {
				v[l] += v[l+8]
			}
		}
		out[r] = reduce8(v)
	}
	return out
}

// dotsF32Emulated computes DotsF32 of a query of a multiple of 32 values
// in the order of dotsF32AVX2 (nil if the CPU does not run it).
func dotsF32Emulated(q, m []float32, stride, count int) []float32 {
	if !(cpu.X86.HasAVX2 && cpu.X86.HasFMA) || len(q)%32 != 0 {
		return nil
	}
	out := make([]float32, count)
	for p := range out {
		var acc [4][8]float32
		for s := 0; s < len(q); s += 32 {
			for j := range acc {
				for l := range 8 {
					i := s + 8*j + l
					acc[j][l] = fma32(q[i], m[p*stride+i], acc[j][l])
				}
			}
		}
		v := make([]float32, 8)
		for l := range v {
			v[l] = (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l])
		}
		out[p] = reduce8(v)
	}
	return out
}
