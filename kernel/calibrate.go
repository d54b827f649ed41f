package kernel

import (
	"fmt"
	"strings"
	"time"
)

// Calibration is what Calibrate measured for one stream.
type Calibration struct {
	Stream Stream
	Chosen Prefetch
	// Best[h] is the shortest of the timed runs with hint h (zero for a
	// hint not timed); Bytes is what one run reads.
	Best  [numPrefetch]time.Duration
	Bytes int
}

// String describes the choice and the read speed of every hint timed.
func (c Calibration) String() string {
	var parts []string
	for h := range numPrefetch {
		if d := c.Best[h]; d > 0 {
			parts = append(parts, fmt.Sprintf("%v %.1f GB/s", Prefetch(h), float64(c.Bytes)/d.Seconds()/1e9))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%v: %v", c.Stream, c.Chosen)
	}
	return fmt.Sprintf("%v: %v (%s)", c.Stream, c.Chosen, strings.Join(parts, ", "))
}

// calibrateMargin is how much faster than the current hint another must run
// to replace it: differences below it are noise on a shared machine.
const calibrateMargin = 0.03

// Calibrate times the prefetch variants of stream s and leaves the fastest
// set (SetPrefetch). run(i) must run the stream's kernels once over bytes
// bytes of the caller's data, and should read data not read recently for
// consecutive i (a rotation beyond the last-level cache), so that every
// run streams from memory as decoding does; the caller's data must be
// resident (faulted in) before. Hints are timed in rounds, the order
// rotated every round, and each hint scored by its fastest run; the current
// hint stays unless another is calibrateMargin faster. All variants compute
// the same values, so the choice changes speed, never results. Without
// variants (pure Go, arm64) Calibrate runs nothing and reports the current
// hint.
func Calibrate(s Stream, rounds, bytes int, run func(i int)) Calibration {
	c := Calibration{Stream: s, Chosen: PrefetchOf(s), Bytes: bytes}
	hints := PrefetchVariants()
	if len(hints) == 0 || rounds <= 0 {
		return c
	}
	restore := SetPrefetch(s, c.Chosen)
	i := 0
	for r := range rounds {
		for j := range hints {
			h := hints[(j+r)%len(hints)]
			SetPrefetch(s, h)
			start := time.Now()
			run(i)
			d := time.Since(start)
			i++
			if c.Best[h] == 0 || d < c.Best[h] {
				c.Best[h] = d
			}
		}
	}
	restore()
	fastest := c.Chosen
	for _, h := range hints {
		if c.Best[h] < c.Best[fastest] {
			fastest = h
		}
	}
	if float64(c.Best[fastest]) < float64(c.Best[c.Chosen])*(1-calibrateMargin) {
		c.Chosen = fastest
	}
	SetPrefetch(s, c.Chosen)
	return c
}
