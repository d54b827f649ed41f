//go:build unix

package sysmem

import (
	"runtime"
	"syscall"
)

// PeakRSS returns the process's peak resident set size in bytes (getrusage
// ru_maxrss: bytes on Darwin, KiB elsewhere), ok false if unknown.
func PeakRSS() (bytes uint64, ok bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil || ru.Maxrss <= 0 {
		return 0, false
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return uint64(ru.Maxrss), true
	}
	return uint64(ru.Maxrss) << 10, true
}
