//go:build unix

package namedpipe

import "syscall"

// Make creates a named pipe at path with permission bits mode.
func Make(path string, mode uint32) error { return syscall.Mkfifo(path, mode) }
