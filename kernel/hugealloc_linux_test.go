package kernel

import "syscall"

// hugeBytes returns n bytes of anonymous memory advised to use huge
// pages, as the model's weights are loaded (gguf.OpenInMemory), or a heap
// slice if mapping fails.
func hugeBytes(n int) []byte {
	const huge = 2 << 20
	b, err := syscall.Mmap(-1, 0, n+huge, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n)
	}
	_ = syscall.Madvise(b, 14) // MADV_HUGEPAGE
	return b[:n:n]
}
