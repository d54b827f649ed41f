//go:build !amd64 || purego

package kernel

// No vector paths for the float helpers here (see f32_amd64.go).

func dotsVec(dst, q, m *float32, n, stride, count int) bool { return false }

func axpysVec(dst, w, m *float32, n, stride, count int) bool { return false }

func dotsX4Vec(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int) bool {
	return false
}

func axpysX4Vec(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int) bool {
	return false
}
