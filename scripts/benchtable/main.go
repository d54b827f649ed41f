// Command benchtable prints one markdown table from the JSON rows of
// `infer bench -o json` and, optionally, of llama-bench runs of peer
// runtimes (bitnet.cpp, ik_llama.cpp) measured in the same session, for
// scripts/bench.sh:
//
//	go run ./scripts/benchtable ours.json [ours2.json ...] [NAME=llama-bench.json[@membw.json] ...]
//
// Plain paths are bitnet-go's rows; NAME=FILE arguments are a peer's, and
// @membw.json names the `infer membw -o json` reading taken right before
// that peer run (without it a peer row gets the bandwidth of the bitnet-go
// row it is compared with).
//
// The same runtime, model file, test and thread count given several times
// are rounds of one measurement (scripts/bench.sh alternates bitnet-go and
// each peer round by round, so that both see the same machine): a row shows
// the mean tokens/s of its rounds ± their standard deviation, the median
// bandwidth and the median of the rounds' fractions of their own roofline;
// a peer's ratio column is the median over rounds of bitnet-go's t/s over
// the peer's in the same round. bitnet-go's decode phases follow in a
// second table (first round).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/bitnet-go/bitnet/bench"
)

// row is one JSON row: infer bench's fields (bench.Row), of which
// llama-bench's rows fill those it shares by name, plus where it came from.
type row struct {
	bench.Row
	runtime string
	peerBW  float64 // a peer row: the bandwidth read right before its run, or 0
}

func (r row) test() string {
	t := fmt.Sprintf("pp%d", r.NPrompt)
	if r.NGen > 0 {
		t = fmt.Sprintf("tg%d", r.NGen)
	}
	if r.NDepth > 0 {
		t += fmt.Sprintf(" @ d%d", r.NDepth)
	}
	return t
}

func (r row) key() string { return fmt.Sprintf("%s/%d", r.test(), r.NThreads) }

// group is every round of one runtime's model file, test and threads.
type group struct {
	runtime, model, key string
	rounds              []row
}

func (g *group) mean() float64 {
	var s float64
	for _, r := range g.rounds {
		s += r.AvgTS
	}
	return s / float64(len(g.rounds))
}

// stddev is the rounds' standard deviation, or the one round's own.
func (g *group) stddev() float64 {
	if len(g.rounds) == 1 {
		return g.rounds[0].StddevTS
	}
	m, s := g.mean(), 0.0
	for _, r := range g.rounds {
		s += (r.AvgTS - m) * (r.AvgTS - m)
	}
	return math.Sqrt(s / float64(len(g.rounds)-1))
}

func read(path, runtime string) ([]row, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []row
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for i := range rows {
		rows[i].runtime = runtime
	}
	return rows, nil
}

func main() {
	if len(os.Args) < 2 || strings.Contains(os.Args[1], "=") {
		fmt.Fprintln(os.Stderr, "usage: benchtable ours.json [ours2.json ...] [NAME=llama-bench.json[@membw.json] ...]")
		os.Exit(2)
	}
	var ours, peers []row
	for _, arg := range os.Args[1:] {
		name, path, peer := strings.Cut(arg, "=")
		if !peer {
			name, path = "bitnet-go", arg
		}
		path, bwPath, _ := strings.Cut(path, "@")
		rows, err := read(path, name)
		if err == nil && bwPath != "" {
			err = attachBW(rows, bwPath)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if peer {
			peers = append(peers, rows...)
		} else {
			ours = append(ours, rows...)
		}
	}
	write(os.Stdout, ours, peers)
}

// attachBW gives each row the reading of its thread count in the
// `infer membw -o json` file at path.
func attachBW(rows []row, path string) error {
	readings, err := read(path, "")
	if err != nil {
		return err
	}
	for i := range rows {
		for _, m := range readings {
			if m.NThreads == rows[i].NThreads {
				rows[i].peerBW = m.MemBWGBs
			}
		}
	}
	return nil
}

// groups collects rows into groups in first-seen order.
func groups(rows []row) []*group {
	var out []*group
	byID := map[string]*group{}
	for _, r := range rows {
		id := r.runtime + "|" + filepath.Base(r.Model) + "|" + r.key()
		g := byID[id]
		if g == nil {
			g = &group{runtime: r.runtime, model: filepath.Base(r.Model), key: r.key()}
			byID[id] = g
			out = append(out, g)
		}
		g.rounds = append(g.rounds, r)
	}
	return out
}

func write(w io.Writer, ours, peers []row) {
	og, pg := groups(ours), groups(peers)
	// A peer's group is compared with bitnet-go's group of the same file,
	// test and threads if there is one, else with bitnet-go's fastest group
	// of that test and threads (named in the ratio column).
	sameFile, fastest := map[string]*group{}, map[string]*group{}
	for _, g := range og {
		sameFile[g.model+"/"+g.key] = g
		if f := fastest[g.key]; f == nil || g.mean() > f.mean() {
			fastest[g.key] = g
		}
	}
	fmt.Fprintln(w, "| runtime | model | threads | test | rounds | t/s | MB/token | mem BW GB/s (same run) | of roofline | bitnet-go ÷ this |")
	fmt.Fprintln(w, "|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
	for _, g := range append(og, pg...) {
		first := g.rounds[0]
		name := g.runtime
		if first.Kernel != "" {
			name += " (" + first.Kernel
			if first.Prefetch != "" {
				name += ", prefetch " + first.Prefetch
			}
			name += ")"
		}
		var bws, fracs, ratios []float64
		mb := ""
		if g.runtime == "bitnet-go" {
			for _, r := range g.rounds {
				bws = append(bws, r.MemBWGBs)
				switch {
				case r.RooflineFrac > 0:
					fracs = append(fracs, r.RooflineFrac)
				case r.RooflineTS > 0:
					fracs = append(fracs, r.AvgTS/r.RooflineTS)
				}
			}
			if first.BytesPerTok > 0 {
				mb = fmt.Sprintf("%.0f", float64(first.BytesPerTok)/1e6)
			}
		} else {
			o, same := sameFile[g.model+"/"+g.key]
			if !same {
				o = fastest[g.key]
			}
			for i, r := range g.rounds {
				var mine *row
				if o != nil && i < len(o.rounds) {
					mine = &o.rounds[i]
				}
				bw := r.peerBW
				if bw == 0 && mine != nil {
					bw = mine.MemBWGBs
				}
				if bw > 0 {
					bws = append(bws, bw)
				}
				if mine == nil || r.AvgTS <= 0 {
					continue
				}
				ratios = append(ratios, mine.AvgTS/r.AvgTS)
				if same && mine.BytesPerTok > 0 && bw > 0 {
					// The same file reads the same bytes per token.
					fracs = append(fracs, r.AvgTS*float64(mine.BytesPerTok)/(bw*1e9))
				}
			}
		}
		frac, ratio := "", ""
		if len(fracs) > 0 {
			frac = fmt.Sprintf("%.0f%%", 100*bench.Median(fracs))
		}
		if len(ratios) > 0 {
			ratio = fmt.Sprintf("%.2f×", bench.Median(ratios))
			if o := sameFile[g.model+"/"+g.key]; o == nil && fastest[g.key] != nil {
				ratio += " (" + fastest[g.key].model + ")"
			}
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %d | %.2f ± %.2f | %s | %.1f | %s | %s |\n",
			name, g.model, first.NThreads, first.test(), len(g.rounds), g.mean(), g.stddev(), mb, bench.Median(bws), frac, ratio)
	}
	header := false
	for _, g := range og {
		r := g.rounds[0]
		for _, p := range r.Phases {
			if !header {
				fmt.Fprintln(w)
				fmt.Fprintln(w, "| bitnet-go decode step | model | threads | test | ms/token | MB/token | GB/s | of read BW |")
				fmt.Fprintln(w, "|---|---|---:|---|---:|---:|---:|---:|")
				header = true
			}
			gbs, of := "", ""
			if p.GBs > 0 {
				gbs, of = fmt.Sprintf("%.1f", p.GBs), fmt.Sprintf("%.0f%%", 100*p.OfBW)
			}
			fmt.Fprintf(w, "| %s | %s | %d | %s | %.2f | %.0f | %s | %s |\n", p.Name, g.model, r.NThreads, r.test(), p.MS, float64(p.Bytes)/1e6, gbs, of)
		}
	}
}
