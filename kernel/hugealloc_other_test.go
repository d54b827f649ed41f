//go:build !linux

package kernel

func hugeBytes(n int) []byte { return make([]byte, n) }
