package kernel

// DotF32 returns Σ a[i]·b[i] over len(a) values in float32 (the attention
// scores). Vector paths sum in a different order than the scalar loop.
func DotF32(a, b []float32) float32 {
	return active.dot(a, b[:len(a)])
}

// AxpyF32 adds alpha·x to dst elementwise (the attention-weighted sum of
// values).
func AxpyF32(dst []float32, alpha float32, x []float32) {
	active.axpy(dst, alpha, x[:len(dst)])
}

// DotsF32 sets dst[p] = DotF32(q, m[p·stride:]) for every p < len(dst):
// one query's scores against len(dst) cached keys stride floats apart, in
// one call, bit-identical to DotF32 position by position.
func DotsF32(dst, q, m []float32, stride int) {
	checkRows(len(dst), len(q), len(m), stride)
	active.dots(dst, q, m, stride)
}

// AxpysF32 adds w[p]·m[p·stride : p·stride+len(dst)] to dst for p = 0, 1,
// …, len(w)−1 in turn: the attention-weighted sum of cached values, in one
// call, bit-identical to len(w) AxpyF32 calls.
func AxpysF32(dst, w, m []float32, stride int) {
	checkRows(len(w), len(dst), len(m), stride)
	active.axpys(dst, w, m, stride)
}

// DotsF32x4 is DotsF32 for four queries sharing their keys (grouped-query
// attention): for h < 4, dst[h·dstStride : h·dstStride+count] gets the
// scores of q[h·width : (h+1)·width] against count rows of m, stride
// floats apart, width = len(q)/4. Bit-identical to four DotsF32 calls; a
// vector path may load each key row once for the four.
func DotsF32x4(dst []float32, dstStride int, q, m []float32, stride, count int) {
	dotsHeads(4, dst, dstStride, q, m, stride, count)
}

// DotsF32x2 is DotsF32x4 for two queries (two query heads per kv head).
func DotsF32x2(dst []float32, dstStride int, q, m []float32, stride, count int) {
	dotsHeads(2, dst, dstStride, q, m, stride, count)
}

// AxpysF32x4 is AxpysF32 for four heads sharing their values: for h < 4,
// dst[h·width : (h+1)·width] += Σ_p w[h·wStride+p]·m[p·stride:], p in order,
// width = len(dst)/4. Bit-identical to four AxpysF32 calls.
func AxpysF32x4(dst, w []float32, wStride int, m []float32, stride, count int) {
	axpysHeads(4, dst, w, wStride, m, stride, count)
}

// AxpysF32x2 is AxpysF32x4 for two heads.
func AxpysF32x2(dst, w []float32, wStride int, m []float32, stride, count int) {
	axpysHeads(2, dst, w, wStride, m, stride, count)
}

func dotsHeads(heads int, dst []float32, dstStride int, q, m []float32, stride, count int) {
	if count <= 0 {
		return
	}
	checkRows(heads, count, len(dst), dstStride)
	checkRows(count, len(q)/heads, len(m), stride)
	active.dotsN(heads, dst, dstStride, q, m, stride, count)
}

func axpysHeads(heads int, dst, w []float32, wStride int, m []float32, stride, count int) {
	if count <= 0 {
		return
	}
	checkRows(heads, count, len(w), wStride)
	checkRows(count, len(dst)/heads, len(m), stride)
	active.axpysN(heads, dst, w, wStride, m, stride, count)
}

// checkRows panics unless m holds rows rows of width floats, stride apart.
func checkRows(rows, width, have, stride int) {
	if rows > 0 && (stride < width || (rows-1)*stride+width > have) {
		panic("kernel: rows of m out of range")
	}
}

// The scalar forms below are the definitions of the float helpers and the
// helpers of every path without vector float code. The callers above have
// checked the shapes.

// dotTail returns s + Σ a[i]·b[i] for i in [from, len(a)), in order.
func dotTail(s float32, a, b []float32, from int) float32 {
	b = b[:len(a)]
	for i := from; i < len(a); i++ {
		s += float32(a[i] * b[i])
	}
	return s
}

// axpyTail adds alpha·x[i] to dst[i] for i in [from, len(dst)).
func axpyTail(dst []float32, alpha float32, x []float32, from int) {
	x = x[:len(dst)]
	for i := from; i < len(dst); i++ {
		dst[i] += float32(alpha * x[i])
	}
}

func dotGo(a, b []float32) float32 { return dotTail(0, a, b, 0) }

func axpyGo(dst []float32, alpha float32, x []float32) { axpyTail(dst, alpha, x, 0) }

func dotsGo(dst, q, m []float32, stride int) {
	for p := range dst {
		dst[p] = dotTail(0, q, m[p*stride:p*stride+len(q)], 0)
	}
}

func axpysGo(dst, w, m []float32, stride int) {
	for p, alpha := range w {
		axpyTail(dst, alpha, m[p*stride:p*stride+len(dst)], 0)
	}
}

// dotsNGo and axpysNGo are DotsF32x4/x2 and AxpysF32x4/x2 as one
// single-head call per head.
func dotsNGo(heads int, dst []float32, dstStride int, q, m []float32, stride, count int) {
	width := len(q) / heads
	for h := 0; h < heads; h++ {
		dotsGo(dst[h*dstStride:h*dstStride+count], q[h*width:(h+1)*width], m, stride)
	}
}

func axpysNGo(heads int, dst, w []float32, wStride int, m []float32, stride, count int) {
	width := len(dst) / heads
	for h := 0; h < heads; h++ {
		axpysGo(dst[h*width:(h+1)*width], w[h*wStride:h*wStride+count], m, stride)
	}
}
