package hugemem

import "syscall"

const madvHugepage = 14 // MADV_HUGEPAGE

// Advise asks Linux to back b with transparent huge pages.
func Advise(b []byte) {
	if len(b) > 0 {
		_ = syscall.Madvise(b, madvHugepage)
	}
}
