//go:build !amd64 || purego

package kernel

// Without amd64 vector kernels there is no summation order to emulate.

func matVecF16Emulated(w []uint16, x []float32, k, rows int) []float32 { return nil }

func dotsF32Emulated(q, m []float32, stride, count int) []float32 { return nil }
