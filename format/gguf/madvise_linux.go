package gguf

import "syscall"

const (
	madvHugepage = 14 // MADV_HUGEPAGE
	madvCollapse = 25 // MADV_COLLAPSE (Linux 6.1+)
)

func adviseHugePages(b []byte) { _ = syscall.Madvise(b, madvHugepage) }

// collapseHugePages asks the kernel to back b with huge pages now (for a
// read-only file mapping, from the page cache). It is best effort.
func collapseHugePages(b []byte) error { return syscall.Madvise(b, madvCollapse) }
