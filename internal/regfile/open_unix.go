//go:build unix

package regfile

import (
	"os"
	"syscall"
)

// openNonblock opens path read-only without blocking: opening a FIFO with
// no writer (or a device that waits) returns at once.
func openNonblock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// setBlocking clears O_NONBLOCK on a regular file's descriptor (it has no
// effect on regular files, but the descriptor is handed on).
func setBlocking(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}
