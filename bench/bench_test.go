package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/model"
)

// tinyModel converts the bundled tiny_a checkpoint into a temporary GGUF.
func tinyModel(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tiny_a.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := Median(c.x); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

func TestRunRows(t *testing.T) {
	path := tinyModel(t)
	rows, err := Run(Options{Path: path, Prompt: 8, Gen: 4, Threads: []int{1, 2}, Reps: 2, MemBytes: 8 << 20, Mode: model.LoadMap})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		test            string
		prompt, gen, th int
	}{{"pp8", 8, 0, 1}, {"tg4", 0, 4, 1}, {"pp8", 8, 0, 2}, {"tg4", 0, 4, 2}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		w := want[i]
		if r.Test != w.test || r.NPrompt != w.prompt || r.NGen != w.gen || r.NThreads != w.th {
			t.Errorf("row %d: %s p=%d n=%d t=%d, want %+v", i, r.Test, r.NPrompt, r.NGen, r.NThreads, w)
		}
		if len(r.Samples) != 2 || r.AvgTS <= 0 || r.MemBWGBs <= 0 || r.BytesPerTok <= 0 || r.Loaded != "mapped" {
			t.Errorf("row %d: %+v", i, r)
		}
		// The roofline applies to decode only: bandwidth ÷ bytes per token.
		if decode := w.gen > 0; decode != (r.RooflineTS > 0) {
			t.Errorf("row %d (%s): roofline %v", i, r.Test, r.RooflineTS)
		} else if want := r.MemBWGBs * 1e9 / float64(r.BytesPerTok); decode && math.Abs(r.RooflineTS-want) > 1e-9*want {
			t.Errorf("row %d: roofline %v ≠ %v GB/s ÷ %d bytes", i, r.RooflineTS, r.MemBWGBs, r.BytesPerTok)
		}
		// Each decode repetition has its own bandwidth reading: the row's
		// bandwidth is their median, its fraction the median of theirs.
		if decode := w.gen > 0; decode {
			if len(r.MemBWSamples) != len(r.Samples) {
				t.Errorf("row %d: %d bandwidth readings for %d repetitions", i, len(r.MemBWSamples), len(r.Samples))
			} else {
				fracs := make([]float64, len(r.Samples))
				for j := range fracs {
					fracs[j] = r.Samples[j] * float64(r.BytesPerTok) / (r.MemBWSamples[j] * 1e9)
				}
				if m := Median(r.MemBWSamples); math.Abs(m-r.MemBWGBs) > 1e-9*m {
					t.Errorf("row %d: bandwidth %v, median of %v", i, r.MemBWGBs, r.MemBWSamples)
				}
				if m := Median(fracs); math.Abs(m-r.RooflineFrac) > 1e-9*m {
					t.Errorf("row %d: fraction %v, median of %v", i, r.RooflineFrac, fracs)
				}
			}
		} else if len(r.MemBWSamples) != 0 {
			t.Errorf("row %d (%s) has bandwidth readings", i, r.Test)
		}
		// Decode rows say where the step's time goes: four phases whose
		// bytes add up to the row's, whose times are positive.
		if w.gen == 0 {
			if len(r.Phases) != 0 {
				t.Errorf("row %d (%s) has phases", i, r.Test)
			}
			continue
		}
		names := []string{"LM head", "ternary projections", "attention", "glue"}
		if len(r.Phases) != len(names) {
			t.Fatalf("row %d: phases %+v", i, r.Phases)
		}
		var bytes int64
		for j, p := range r.Phases {
			bytes += p.Bytes
			if p.Name != names[j] || p.MS <= 0 || (p.Bytes > 0) != (j < 3) || (p.Bytes > 0) != (p.GBs > 0) {
				t.Errorf("row %d: phase %d %+v", i, j, p)
			}
		}
		if bytes != r.BytesPerTok {
			t.Errorf("row %d: phases read %d bytes, the row %d", i, bytes, r.BytesPerTok)
		}
	}
}

// TestWarnings checks the under-80% report and its slowest phase: the one
// losing the most time against its own roofline.
func TestWarnings(t *testing.T) {
	fast := Row{Test: "tg32", NThreads: 1, RooflineTS: 30, RooflineFrac: 0.95, AvgTS: 28.5, MemBWGBs: 30}
	slow := Row{Test: "tg32", NThreads: 2, RooflineTS: 50, RooflineFrac: 0.6, AvgTS: 30, MemBWGBs: 60, Phases: []Phase{
		{Name: "LM head", MS: 12, Bytes: 600e6, GBs: 50, OfBW: 0.83},            // 2 ms over its 10 ms
		{Name: "ternary projections", MS: 14, Bytes: 500e6, GBs: 36, OfBW: 0.6}, // 5.7 ms over
		{Name: "glue", MS: 1},
	}}
	got := Warnings([]Row{fast, slow})
	if len(got) != 1 || !strings.Contains(got[0], "tg32 at 2 threads runs at 60% of its roofline") || !strings.Contains(got[0], "slowest phase: ternary projections") {
		t.Fatalf("warnings %q", got)
	}
}

// TestRunDepth checks tests after a context (llama-bench's -d): names,
// n_depth, and a roofline that counts the KV cache a decode step reads.
func TestRunDepth(t *testing.T) {
	path := tinyModel(t)
	rows, err := Run(Options{Path: path, Prompt: 4, Gen: 2, Depth: 6, Threads: []int{2}, Reps: 1, MemBytes: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Test != "pp4 @ d6" || rows[1].Test != "tg2 @ d6" || rows[0].NDepth != 6 || rows[1].NDepth != 6 {
		t.Fatalf("rows %+v", rows)
	}
	if rows[1].BytesPerTok <= rows[0].BytesPerTok {
		t.Errorf("decode after a context reads %d bytes a token, no more than the weights' %d", rows[1].BytesPerTok, rows[0].BytesPerTok)
	}
	// A context beyond the model's is refused, not truncated.
	if _, err := Run(Options{Path: path, Gen: 2, Depth: 1 << 20, Threads: []int{1}, Reps: 1, MemBytes: 8 << 20}); err == nil {
		t.Error("a depth past the context length was accepted")
	}
}

// TestOutputFormats checks llama-bench's JSON field names (scripts that
// read llama-bench's output read ours) and the markdown table.
func TestOutputFormats(t *testing.T) {
	rows := []Row{{Model: "/x/m.gguf", Test: "tg32", NGen: 32, NThreads: 2, AvgTS: 41.5, StddevTS: 1.25, Kernel: "avx512", Prefetch: "ternary t0, head t2, attention t0 (calibrated)", BytesPerTok: 1_178_400_000, MemBWGBs: 60, RooflineTS: 50, RooflineFrac: 0.83, LoadSec: 0.1, Loaded: "mapped"}}
	var js bytes.Buffer
	if err := WriteJSON(&js, rows); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"model_filename", "n_prompt", "n_gen", "n_depth", "n_threads", "avg_ts", "stddev_ts", "prefetch"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("JSON lacks llama-bench field %q: %s", k, js.String())
		}
	}
	var md bytes.Buffer
	WriteMarkdown(&md, rows)
	if line := strings.Split(md.String(), "\n")[2]; line != "| m.gguf | 2 | avx512 | ternary t0, head t2, attention t0 (calibrated) | tg32 | 41.50 ± 1.25 | 1178.4 | 60.0 | 50.0 | 83% | 0.10 s, mapped |" {
		t.Errorf("markdown row %q", line)
	}
}

// TestRunRejectsBadSizes: negative or huge -p/-n/-d are errors naming the
// flag and the accepted range, before anything is allocated (a negative
// size panicked in makeslice, a huge one allocated gigabytes).
func TestRunRejectsBadSizes(t *testing.T) {
	path := tinyModel(t) // context 256
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{Prompt: -1}, "-p -1"},
		{Options{Gen: -5}, "-n -5"},
		{Options{Depth: -2, Prompt: 1}, "-d -2"},
		{Options{Prompt: 1 << 40}, "exceed the model's context of 256"},
		{Options{Gen: 1 << 62, Prompt: 1 << 62}, "exceed the model's context of 256"},
		{Options{Prompt: 200, Depth: 100}, "-d 100 + -p 200"},
		{Options{Gen: 200, Depth: 100}, "-d 100 + -n 200"},
		{Options{MemBytes: -1, Prompt: 1}, "bandwidth"},
	} {
		c.opts.Path, c.opts.Threads, c.opts.Reps = path, []int{1}, 1
		if c.opts.MemBytes == 0 {
			c.opts.MemBytes = 1 << 20
		}
		_, err := Run(c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want %q", c.opts, err, c.want)
		}
	}
}
