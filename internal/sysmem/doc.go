// Package sysmem estimates how much memory the process can still allocate,
// so that a reader falling back from mmap to reading a file into memory can
// refuse a file that cannot fit with a clear error instead of dying in the
// allocator.
package sysmem
