//go:build !unix

package hugemem

import (
	"fmt"
	"math"
)

// Alloc returns n bytes of the Go heap where there is no mmap, refusing
// sizes no slice can have (the heap's own failure cannot be caught).
func Alloc(n int) ([]byte, func(), error) {
	if n < 0 || uint64(n) > math.MaxInt/2 {
		return nil, func() {}, fmt.Errorf("hugemem: cannot allocate %d bytes", n)
	}
	return make([]byte, n), func() {}, nil
}
