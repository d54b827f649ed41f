package kernel

import "github.com/bitnet-go/bitnet/internal/hugemem"

// hugeBytes returns n bytes of huge-page memory, as the model's weights
// are loaded, for the benchmarks; it stays mapped until the test binary
// exits.
func hugeBytes(n int) []byte {
	b, _, err := hugemem.Alloc(n)
	if err != nil {
		panic(err) // a benchmark's setup: nothing to recover
	}
	return b
}
