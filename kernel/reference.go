package kernel

import "math"

// BlockValues is the number of ternary values in one x86 I2_S block.
const BlockValues = 128

// BlockBytes is the size in bytes of one x86 I2_S block.
const BlockBytes = BlockValues / 4

// refDecode returns the ternary value at index j of a row packed in the x86
// I2_S layout (docs/SEMANTICS.md §4).
func refDecode(row []byte, j int) int32 {
	block, i := j/BlockValues, j%BlockValues
	b := row[block*BlockBytes+i%32]
	shift := 6 - 2*uint(i/32)
	return int32(b>>shift&3) - 1
}

// MatVecRef is the scalar reference of MatVec: the spec every path is tested
// against.
func MatVecRef(dst []int32, w []byte, x []int8, k int) {
	rowBytes := k / 4
	for r := range dst {
		row := w[r*rowBytes : (r+1)*rowBytes]
		var s int32
		for j := 0; j < k; j++ {
			s += refDecode(row, j) * int32(x[j])
		}
		dst[r] = s
	}
}

// MatMatRef is the scalar reference of MatMat.
func MatMatRef(dst []int32, w []byte, x []int8, k, rows, tokens int) {
	matMatStrideRef(dst, rows, w, x, k, rows, tokens)
}

// matMatStrideRef is MatMatRef writing dst[i·ldd + r].
func matMatStrideRef(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	for i := 0; i < tokens; i++ {
		MatVecRef(dst[i*ldd:i*ldd+rows], w, x[i*k:(i+1)*k], k)
	}
}

// QuantizeRef is the scalar reference of the per-token activation quantizer
// (docs/SEMANTICS.md §2): a = 127 · (1 / max(max|x|, 1e-5)) in float32 (a
// reciprocal, then a multiply, as PyTorch evaluates 127/m), then
// q = clamp(roundHalfEven(x·a), -128, 127). It returns a and Σq.
func QuantizeRef(dst []int8, x []float32) (scale float32, sum int32) {
	var amax float32
	for _, v := range x {
		amax = max(amax, float32(math.Abs(float64(v))))
	}
	amax = max(amax, 1e-5)
	inv := 1 / amax
	a := inv * 127
	for i, v := range x {
		q := float32(math.RoundToEven(float64(v * a)))
		q = min(max(q, -128), 127)
		dst[i] = int8(q)
		sum += int32(dst[i])
	}
	return a, sum
}
