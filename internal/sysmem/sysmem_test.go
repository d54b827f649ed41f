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
