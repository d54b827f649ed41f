// Command benchtable prints one markdown table from the JSON rows of
// `infer bench -o json` and, optionally, of llama-bench runs of peer
// runtimes (bitnet.cpp) measured in the same session, for scripts/bench.sh:
//
//	go run ./scripts/benchtable ours.json [ours2.json ...] [NAME=llama-bench.json ...]
//
// Plain paths are bitnet-go's rows (one file per model file benchmarked);
// NAME=FILE arguments are a peer's.
// A peer's rows get the memory bandwidth bitnet-go measured at the same
// thread count in the same session, and every row of a peer is compared
// with bitnet-go's row of the same test and threads. bitnet-go's decode
// phases follow in a second table.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// row holds the fields shared by infer bench and llama-bench JSON.
type row struct {
	Model    string  `json:"model_filename"`
	NPrompt  int     `json:"n_prompt"`
	NGen     int     `json:"n_gen"`
	NDepth   int     `json:"n_depth"`
	NThreads int     `json:"n_threads"`
	AvgTS    float64 `json:"avg_ts"`
	StddevTS float64 `json:"stddev_ts"`
	Kernel   string  `json:"kernel"`
	MemBW    float64 `json:"mem_bw_gbs"`
	Roofline float64 `json:"roofline_ts"`
	Prefetch string  `json:"prefetch"`
	Bytes    int64   `json:"bytes_per_token"` // bitnet-go only: weights (+ KV cache) read per decoded token
	Phases   []struct {
		Name  string  `json:"name"`
		MS    float64 `json:"ms"`
		Bytes int64   `json:"bytes"`
		GBs   float64 `json:"gbs"`
		OfBW  float64 `json:"of_bw"`
	} `json:"phases"`
	runtime string
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
		fmt.Fprintln(os.Stderr, "usage: benchtable ours.json [ours2.json ...] [NAME=llama-bench.json ...]")
		os.Exit(2)
	}
	var ours, peers []row
	for _, arg := range os.Args[1:] {
		name, path, peer := strings.Cut(arg, "=")
		if !peer {
			name, path = "bitnet-go", arg
		}
		rows, err := read(path, name)
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

func write(w io.Writer, ours, peers []row) {
	bw := map[int]float64{}
	// A peer's row is compared with bitnet-go's row of the same file, test
	// and threads if there is one, else with bitnet-go's fastest row of
	// that test and threads (named in the ratio column).
	byKey := map[string]row{}
	for _, r := range ours {
		bw[r.NThreads] = r.MemBW
		if o, ok := byKey[r.key()]; !ok || r.AvgTS > o.AvgTS {
			byKey[r.key()] = r
		}
		byKey[filepath.Base(r.Model)+"/"+r.key()] = r
	}
	fmt.Fprintln(w, "| runtime | model | threads | test | t/s | MB/token | mem BW GB/s (same run) | of roofline | bitnet-go ÷ this |")
	fmt.Fprintln(w, "|---|---|---:|---|---:|---:|---:|---:|---:|")
	for _, r := range append(ours, peers...) {
		name := r.runtime
		if r.Kernel != "" {
			name += " (" + r.Kernel
			if r.Prefetch != "" {
				name += ", prefetch " + r.Prefetch
			}
			name += ")"
		}
		frac, ratio := "", ""
		memBW := r.MemBW // bitnet-go's own run; a peer: the run it is compared with
		if r.runtime != "bitnet-go" {
			memBW = bw[r.NThreads]
		}
		if r.runtime == "bitnet-go" {
			if r.Roofline > 0 {
				frac = fmt.Sprintf("%.0f%%", 100*r.AvgTS/r.Roofline)
			}
		} else {
			o, same := byKey[filepath.Base(r.Model)+"/"+r.key()]
			ok := same
			if !ok {
				o, ok = byKey[r.key()]
			}
			if ok {
				memBW = o.MemBW
				if o.Roofline > 0 && same {
					frac = fmt.Sprintf("%.0f%%", 100*r.AvgTS/o.Roofline)
				}
				if r.AvgTS > 0 {
					ratio = fmt.Sprintf("%.2f×", o.AvgTS/r.AvgTS)
					if !same {
						ratio += " (" + filepath.Base(o.Model) + ")"
					}
				}
			}
		}
		mb := ""
		if r.Bytes > 0 {
			mb = fmt.Sprintf("%.0f", float64(r.Bytes)/1e6)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %.2f ± %.2f | %s | %.1f | %s | %s |\n",
			name, filepath.Base(r.Model), r.NThreads, r.test(), r.AvgTS, r.StddevTS, mb, memBW, frac, ratio)
	}
	header := false
	for _, r := range ours {
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
			fmt.Fprintf(w, "| %s | %s | %d | %s | %.2f | %.0f | %s | %s |\n", p.Name, filepath.Base(r.Model), r.NThreads, r.test(), p.MS, float64(p.Bytes)/1e6, gbs, of)
		}
	}
}
