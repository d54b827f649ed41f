//go:build amd64 && !purego

package kernel

// The vector epilogues (dequant_amd64.s) run whole vectors of 8 (AVX2) or
// 16 (AVX-512) products; the last few run in Go, with the same operations.

//go:noescape
func dequantAVX2(dst *float32, acc *int32, n int, a, m float32)

//go:noescape
func dequantAddAVX2(dst *float32, acc *int32, n int, a, m float32)

//go:noescape
func dequantReluSqrAVX2(dst *float32, gate, up *int32, n int, a, mg, mu float32)

//go:noescape
func dequantAVX512(dst *float32, acc *int32, n int, a, m float32)

//go:noescape
func dequantAddAVX512(dst *float32, acc *int32, n int, a, m float32)

//go:noescape
func dequantReluSqrAVX512(dst *float32, gate, up *int32, n int, a, mg, mu float32)

func dequantVecAVX2(dst []float32, acc []int32, a, m float32) {
	n := len(acc) &^ 7
	if n > 0 {
		dequantAVX2(&dst[0], &acc[0], n, a, m)
	}
	dequantGo(dst[n:len(acc)], acc[n:], a, m)
}

func dequantAddVecAVX2(dst []float32, acc []int32, a, m float32) {
	n := len(acc) &^ 7
	if n > 0 {
		dequantAddAVX2(&dst[0], &acc[0], n, a, m)
	}
	dequantAddGo(dst[n:len(acc)], acc[n:], a, m)
}

func dequantReluSqrVecAVX2(dst []float32, gate, up []int32, a, mg, mu float32) {
	n := len(gate) &^ 7
	if n > 0 {
		dequantReluSqrAVX2(&dst[0], &gate[0], &up[0], n, a, mg, mu)
	}
	dequantReluSqrGo(dst[n:len(gate)], gate[n:], up[n:len(gate)], a, mg, mu)
}

func dequantVecAVX512(dst []float32, acc []int32, a, m float32) {
	n := len(acc) &^ 15
	if n > 0 {
		dequantAVX512(&dst[0], &acc[0], n, a, m)
	}
	dequantGo(dst[n:len(acc)], acc[n:], a, m)
}

func dequantAddVecAVX512(dst []float32, acc []int32, a, m float32) {
	n := len(acc) &^ 15
	if n > 0 {
		dequantAddAVX512(&dst[0], &acc[0], n, a, m)
	}
	dequantAddGo(dst[n:len(acc)], acc[n:], a, m)
}

func dequantReluSqrVecAVX512(dst []float32, gate, up []int32, a, mg, mu float32) {
	n := len(gate) &^ 15
	if n > 0 {
		dequantReluSqrAVX512(&dst[0], &gate[0], &up[0], n, a, mg, mu)
	}
	dequantReluSqrGo(dst[n:len(gate)], gate[n:], up[n:len(gate)], a, mg, mu)
}
