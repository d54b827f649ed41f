package main

import (
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/bench"
)

// TestWriteJoinsRounds: rounds of one file, test and threads make one row
// (mean ± standard deviation, median bandwidth and fraction); a peer's row
// carries its own bandwidth readings, its fraction of the same file's
// roofline at those readings, and the median of same-round ratios.
func TestWriteJoinsRounds(t *testing.T) {
	const bytes = 1e9 // per token: roofline = bandwidth / 1 GB
	ours := []row{
		{Row: bench.Row{Model: "/x/a.gguf", NGen: 32, NThreads: 2, AvgTS: 50, MemBWGBs: 60, RooflineTS: 60, RooflineFrac: 0.8, BytesPerTok: bytes}, runtime: "bitnet-go"},
		{Row: bench.Row{Model: "/x/a.gguf", NGen: 32, NThreads: 2, AvgTS: 60, MemBWGBs: 70, RooflineTS: 70, RooflineFrac: 0.9, BytesPerTok: bytes}, runtime: "bitnet-go"},
	}
	peers := []row{
		{Row: bench.Row{Model: "/y/a.gguf", NGen: 32, NThreads: 2, AvgTS: 25}, runtime: "peer", peerBW: 50},
		{Row: bench.Row{Model: "/y/a.gguf", NGen: 32, NThreads: 2, AvgTS: 40}, runtime: "peer", peerBW: 40},
		{Row: bench.Row{Model: "/y/b.gguf", NGen: 32, NThreads: 2, AvgTS: 20}, runtime: "other"},
	}
	var b strings.Builder
	write(&b, ours, peers)
	out := b.String()
	for _, want := range []string{
		"| bitnet-go | a.gguf | 2 | tg32 | 2 | 55.00 ± 7.07 | 1000 | 65.0 | 85% |  |",
		// Ratios 2 and 1.5; fractions 25/50 and 40/40; bandwidth 50 and 40.
		"| peer | a.gguf | 2 | tg32 | 2 | 32.50 ± 10.61 |  | 45.0 | 75% | 1.75× |",
		// Another file: compared with the fastest of ours, round by round
		// (one round: 50/20), with our bandwidth and no fraction.
		"| other | b.gguf | 2 | tg32 | 1 | 20.00 ± 0.00 |  | 60.0 |  | 2.50× (a.gguf) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}
