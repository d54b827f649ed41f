package kernel

import "encoding/binary"

// MatVecQ8_0 computes dst[r] = Σ_blocks d_b · Σ_j q_bj·x_j in float32 for
// rows of k values in ggml's Q8_0 layout (blocks of 32: a float16 scale d
// then 32 int8 q; row r at bytes [r·k/32·34, (r+1)·k/32·34)): the optional
// 8-bit LM head. Float arithmetic: paths may differ in summation order.
func MatVecQ8_0(dst []float32, w []byte, x []float32, k int) {
	if k%q8BlockValues != 0 || len(w) < len(dst)*(k/q8BlockValues*q8BlockBytes) || len(x) < k {
		panic("kernel: MatVecQ8_0 shape mismatch")
	}
	if len(dst) == 0 {
		return
	}
	active.matVecQ8_0(dst, w, x, k)
}

// The Q8_0 block: quant.Q8_0BlockValues values in quant.Q8_0BlockBytes
// bytes (a test checks they agree; quant's tests import this package).
const (
	q8BlockValues = 32
	q8BlockBytes  = 34
)

// MatVecQ8_0Ref is the scalar MatVecQ8_0.
func MatVecQ8_0Ref(dst []float32, w []byte, x []float32, k int) {
	table := F16Table()
	rowBytes := k / q8BlockValues * q8BlockBytes
	for r := range dst {
		row := w[r*rowBytes : (r+1)*rowBytes]
		var s float32
		for b := 0; b < k/q8BlockValues; b++ {
			blk := row[b*q8BlockBytes : (b+1)*q8BlockBytes]
			d := table[binary.LittleEndian.Uint16(blk)]
			xs := x[b*q8BlockValues : (b+1)*q8BlockValues]
			var s0, s1, s2, s3 float32
			for j := 0; j < q8BlockValues; j += 4 {
				s0 += float32(float32(int8(blk[2+j])) * xs[j])
				s1 += float32(float32(int8(blk[3+j])) * xs[j+1])
				s2 += float32(float32(int8(blk[4+j])) * xs[j+2])
				s3 += float32(float32(int8(blk[5+j])) * xs[j+3])
			}
			s += float32(d * ((s0 + s1) + (s2 + s3)))
		}
		dst[r] = s
	}
}
