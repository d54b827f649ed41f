package membw

import "syscall"

func adviseHugePages(b []byte) { _ = syscall.Madvise(b, 14) } // MADV_HUGEPAGE
