package kernel

// DotF32 returns Σ a[i]·b[i] over len(a) values in float32 (the attention
// scores). Vector paths sum in a different order than the scalar loop.
func DotF32(a, b []float32) float32 {
	b = b[:len(a)]
	n := 0
	var s float32
	if len(a) >= 32 && dotsVec(&s, &a[0], &b[0], len(a)&^31, 0, 1) {
		n = len(a) &^ 31
	}
	for i := n; i < len(a); i++ {
		s += float32(a[i] * b[i])
	}
	return s
}

// AxpyF32 adds alpha·x to dst elementwise (the attention-weighted sum of
// values).
func AxpyF32(dst []float32, alpha float32, x []float32) {
	x = x[:len(dst)]
	n := 0
	if len(dst) >= 32 && axpysVec(&dst[0], &alpha, &x[0], len(dst)&^31, 0, 1) {
		n = len(dst) &^ 31
	}
	for i := n; i < len(dst); i++ {
		dst[i] += float32(alpha * x[i])
	}
}

// DotsF32 sets dst[p] = DotF32(q, m[p·stride:]) for every p < len(dst):
// one query's scores against len(dst) cached keys stride floats apart, in
// one call, bit-identical to DotF32 position by position.
func DotsF32(dst, q, m []float32, stride int) {
	checkRows(len(dst), len(q), len(m), stride)
	v := 0
	if len(q) >= 32 && len(dst) > 0 && dotsVec(&dst[0], &q[0], &m[0], len(q)&^31, stride, len(dst)) {
		v = len(q) &^ 31
	}
	if v == len(q) {
		return
	}
	for p := range dst {
		row := m[p*stride : p*stride+len(q)]
		if v == 0 {
			dst[p] = DotF32(q, row)
			continue
		}
		s := dst[p]
		for i := v; i < len(q); i++ {
			s += float32(q[i] * row[i])
		}
		dst[p] = s
	}
}

// AxpysF32 adds w[p]·m[p·stride : p·stride+len(dst)] to dst for p = 0, 1,
// …, len(w)−1 in turn: the attention-weighted sum of cached values, in one
// call, bit-identical to len(w) AxpyF32 calls.
func AxpysF32(dst, w, m []float32, stride int) {
	checkRows(len(w), len(dst), len(m), stride)
	n := 0
	if len(dst) >= 32 && len(w) > 0 && axpysVec(&dst[0], &w[0], &m[0], len(dst)&^31, stride, len(w)) {
		n = len(dst) &^ 31
	}
	if n == len(dst) {
		return
	}
	for p, alpha := range w {
		row := m[p*stride : p*stride+len(dst)]
		if n == 0 {
			AxpyF32(dst, alpha, row)
			continue
		}
		for i := n; i < len(dst); i++ {
			dst[i] += float32(alpha * row[i])
		}
	}
}

// DotsF32x4 is DotsF32 for four queries sharing their keys (grouped-query
// attention): for h < 4, dst[h·dstStride : h·dstStride+count] gets the
// scores of q[h·width : (h+1)·width] against count rows of m, stride
// floats apart, width = len(q)/4. Bit-identical to four DotsF32 calls; the
// vector path loads each key row once for the four.
func DotsF32x4(dst []float32, dstStride int, q, m []float32, stride, count int) {
	width := len(q) / 4
	if count <= 0 {
		return
	}
	checkRows(4, count, len(dst), dstStride)
	checkRows(count, width, len(m), stride)
	if width%32 == 0 && width > 0 && dotsX4Vec(&dst[0], dstStride, &q[0], width, &m[0], width, stride, count) {
		return
	}
	for h := 0; h < 4; h++ {
		DotsF32(dst[h*dstStride:h*dstStride+count], q[h*width:(h+1)*width], m, stride)
	}
}

// AxpysF32x4 is AxpysF32 for four heads sharing their values: for h < 4,
// dst[h·width : (h+1)·width] += Σ_p w[h·wStride+p]·m[p·stride:], p in order,
// width = len(dst)/4. Bit-identical to four AxpysF32 calls.
func AxpysF32x4(dst, w []float32, wStride int, m []float32, stride, count int) {
	width := len(dst) / 4
	if count <= 0 {
		return
	}
	checkRows(4, count, len(w), wStride)
	checkRows(count, width, len(m), stride)
	if width%32 == 0 && width > 0 && axpysX4Vec(&dst[0], width, &w[0], wStride, &m[0], width, stride, count) {
		return
	}
	for h := 0; h < 4; h++ {
		AxpysF32(dst[h*width:(h+1)*width], w[h*wStride:h*wStride+count], m, stride)
	}
}

// checkRows panics unless m holds rows rows of width floats, stride apart.
func checkRows(rows, width, have, stride int) {
	if rows > 0 && (stride < width || (rows-1)*stride+width > have) {
		panic("kernel: rows of m out of range")
	}
}
