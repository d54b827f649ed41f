//go:build !amd64 || purego

package kernel

// dotVec and axpyVec: no vector path here (see f32_amd64.go).
func dotVec(a, b *float32, n int) (float32, bool) { return 0, false }

func axpyVec(dst, x *float32, alpha float32, n int) bool { return false }
