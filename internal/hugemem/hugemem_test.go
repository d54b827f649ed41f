package hugemem

import (
	"strings"
	"testing"
)

func TestAllocZeroedAndWritable(t *testing.T) {
	for _, n := range []int{0, 1, 4096, 3 << 20} {
		b, free, err := Alloc(n)
		if err != nil {
			t.Fatalf("Alloc(%d): %v", n, err)
		}
		if len(b) != n {
			t.Fatalf("Alloc(%d) gave %d bytes", n, len(b))
		}
		for i := range b {
			if b[i] != 0 {
				t.Fatalf("Alloc(%d): byte %d is %d, not zero", n, i, b[i])
			}
			b[i] = byte(i)
		}
		Advise(b) // a no-op or a hint, on memory already advised
		free()
	}
}

// TestAllocFailureIsAnError: a request the system cannot map is an error
// naming the size, not a fall back to the Go heap (whose failure is a fatal
// "out of memory" no one can catch) or a makeslice panic.
func TestAllocFailureIsAnError(t *testing.T) {
	for _, n := range []int{-1, 1 << 62, 1<<47 + 4096} {
		b, free, err := Alloc(n)
		if err == nil {
			free()
			t.Fatalf("Alloc(%d) gave %d bytes", n, len(b))
		}
		if b != nil || free == nil {
			t.Errorf("Alloc(%d): on error, want nil bytes and a no-op release", n)
		}
		free()
		if !strings.Contains(err.Error(), "bytes") {
			t.Errorf("Alloc(%d): error %q does not name the size", n, err)
		}
	}
}
