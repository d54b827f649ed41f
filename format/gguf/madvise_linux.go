package gguf

import "syscall"

const madvHugepage = 14 // MADV_HUGEPAGE

func adviseHugePages(b []byte) { _ = syscall.Madvise(b, madvHugepage) }
