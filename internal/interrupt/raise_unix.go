//go:build unix

package interrupt

import (
	"os"
	"syscall"
)

// raise sends sig to this process, whose handler for it is the default.
func raise(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		_ = syscall.Kill(os.Getpid(), s)
		return
	}
	os.Exit(1)
}
