package kernel

import (
	"fmt"
	"strings"
)

// Prefetch is the software-prefetch hint a streaming kernel runs with. Every
// streaming kernel (the I2_S and T5_S mat-vecs, the F16, Q8_0 and Q6_K LM heads, attention
// over the KV cache) exists once per hint on the amd64 paths; the variants
// of a kernel compute the same values bit for bit and differ only in their
// prefetch instructions. How a CPU treats a hint (and whether it needs one)
// differs between vendors, hosts and hypervisors, so the choice is made at
// run time: SetPrefetch forces one, Calibrate times them on the caller's own
// data. Paths without variants (pure Go, arm64) ignore the setting.
type Prefetch uint8

const (
	PrefetchNTA  Prefetch = iota // PREFETCHNTA: non-temporal, bypassing what it can of the caches
	PrefetchT0                   // PREFETCHT0: into every cache level
	PrefetchT2                   // PREFETCHT2: into L2 and beyond (T1 is the same on current x86)
	PrefetchNone                 // no software prefetch: the hardware prefetchers alone
	numPrefetch
)

var prefetchNames = [numPrefetch]string{"nta", "t0", "t2", "none"}

func (p Prefetch) String() string {
	if p < numPrefetch {
		return prefetchNames[p]
	}
	return fmt.Sprintf("Prefetch(%d)", uint8(p))
}

// ParsePrefetch returns the hint named name (nta, t0, t2, none).
func ParsePrefetch(name string) (Prefetch, error) {
	for i, n := range prefetchNames {
		if strings.EqualFold(name, n) {
			return Prefetch(i), nil
		}
	}
	return 0, fmt.Errorf("unknown prefetch hint %q (known: %s)", name, strings.Join(prefetchNames[:], ", "))
}

// Stream is a family of streaming kernels sharing one prefetch hint.
type Stream uint8

const (
	StreamTernary   Stream = iota // MatVec, MatVecT5S: the ternary projections
	StreamHead                    // MatVecF16, MatVecQ8_0, MatVecQ6_K: the LM head
	StreamAttention               // DotF32, AxpyF32, DotsF32, AxpysF32 and the x4 forms: the KV cache
	NumStreams
)

var streamNames = [NumStreams]string{"ternary", "head", "attention"}

func (s Stream) String() string {
	if s < NumStreams {
		return streamNames[s]
	}
	return fmt.Sprintf("Stream(%d)", uint8(s))
}

// prefetchHint is each stream's hint. It is read on every kernel call and
// written only by SetPrefetch, which must not run concurrently with the
// kernels of its stream. The defaults are those that held on every host
// measured (README, Performance: T2 streams the weights at the read
// bandwidth where NTA stalled and where the hardware prefetchers alone fall
// short; attention's strided cache rows need a prefetch on every host);
// Calibrate refines them per host.
var prefetchHint = [NumStreams]Prefetch{
	StreamTernary:   PrefetchT2,
	StreamHead:      PrefetchT2,
	StreamAttention: PrefetchT0,
}

// PrefetchOf returns the hint the kernels of stream s run with.
func PrefetchOf(s Stream) Prefetch { return prefetchHint[s] }

// SetPrefetch makes the kernels of stream s run with hint p and returns a
// function restoring the previous hint. Call it while no kernel of the
// stream runs (at load, or between decode steps).
func SetPrefetch(s Stream, p Prefetch) (restore func()) {
	if s >= NumStreams || p >= numPrefetch {
		panic(fmt.Sprintf("kernel: SetPrefetch(%v, %v) out of range", s, p))
	}
	prev := prefetchHint[s]
	prefetchHint[s] = p
	return func() { prefetchHint[s] = prev }
}

// PrefetchVariants lists the hints that select different kernels on this
// build and CPU (empty without variants: pure Go and arm64, where the
// setting does nothing and there is nothing to calibrate).
func PrefetchVariants() []Prefetch {
	if !hasPrefetchVariants() {
		return nil
	}
	return []Prefetch{PrefetchNTA, PrefetchT0, PrefetchT2, PrefetchNone}
}
