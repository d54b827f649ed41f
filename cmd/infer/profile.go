package main

import (
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile to path (BITNET_CPUPROFILE) until stop.
func startProfile(path string) (stop func()) {
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
