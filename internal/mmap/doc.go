// Package mmap maps files and anonymous memory: the one place the module
// calls mmap, munmap and madvise(MADV_DONTNEED) (huge-page advice is
// package hugemem's).
//
// Contract: Map maps a file read-only and shared with the page cache;
// where this platform has no mmap it returns an error wrapping
// errors.ErrUnsupported. Anon returns zeroed private memory outside the
// Go heap, or an error (never a crash) when the system refuses it.
// MapOrRead maps a file, or, where mapping fails, reads it into memory
// after checking that it fits in the memory available (package sysmem),
// so that a file too large gives an error naming both sizes instead of an
// allocator crash. Slices returned by Map, Anon and MapOrRead must be
// released once, with the function or Unmap as documented.
package mmap
