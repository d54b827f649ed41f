package sysmem

import (
	"runtime"
	"testing"
)

func TestAvailable(t *testing.T) {
	n, ok := Available()
	if runtime.GOOS == "linux" && (!ok || n == 0) {
		t.Fatalf("Available() = %d, %v on Linux", n, ok)
	}
	t.Logf("available: %d MiB (%v)", n>>20, ok)
}

func TestPeakRSS(t *testing.T) {
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = 1
	}
	n, ok := PeakRSS()
	if runtime.GOOS == "linux" && (!ok || n < 64<<20) {
		t.Fatalf("PeakRSS() = %d, %v after touching 64 MiB", n, ok)
	}
	t.Logf("peak RSS %d MiB (%v), %d", n>>20, ok, big[len(big)-1])
}
