package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/bitnet-go/bitnet/internal/membw"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/model"
)

// Options configures Run.
type Options struct {
	Path     string
	Prompt   int   // pp test size (0: skip)
	Gen      int   // tg test size (0: skip)
	Threads  []int // one row per thread count and test
	Reps     int
	MemBytes int // buffer size of the bandwidth measurement
	Mode     model.LoadMode
}

// Row is one result, with llama-bench's field names where they exist.
type Row struct {
	Model        string    `json:"model_filename"`
	Test         string    `json:"test"`
	NPrompt      int       `json:"n_prompt"`
	NGen         int       `json:"n_gen"`
	NThreads     int       `json:"n_threads"`
	AvgTS        float64   `json:"avg_ts"`
	StddevTS     float64   `json:"stddev_ts"`
	Samples      []float64 `json:"samples_ts"`
	Kernel       string    `json:"kernel"`
	BytesPerTok  int64     `json:"bytes_per_token"`
	MemBWGBs     float64   `json:"mem_bw_gbs"`
	RooflineTS   float64   `json:"roofline_ts,omitempty"`
	RooflineFrac float64   `json:"roofline_frac,omitempty"`
	LoadSec      float64   `json:"load_s"` // opening the model, this thread count's load
	Loaded       string    `json:"load"`   // "mapped" or "read" (see model.LoadMode)
}

// Run loads the model once per thread count and times each test.
func Run(opts Options) ([]Row, error) {
	if opts.Reps <= 0 {
		opts.Reps = 5
	}
	if opts.MemBytes <= 0 {
		opts.MemBytes = 1 << 30
	}
	var rows []Row
	for _, th := range opts.Threads {
		start := time.Now()
		m, err := model.OpenWith(opts.Path, model.LoadOptions{Threads: th, Mode: opts.Mode})
		if err != nil {
			return nil, err
		}
		loadSec, loaded := time.Since(start).Seconds(), "read"
		if m.File().Mapped() {
			loaded = "mapped"
		}
		bw := membw.Measure(opts.MemBytes, th, 3)
		base := Row{Model: opts.Path, NThreads: th, Kernel: kernel.Active(), BytesPerTok: m.W.BytesPerToken(), MemBWGBs: bw / 1e9, LoadSec: loadSec, Loaded: loaded}
		if opts.Prompt > 0 {
			r := base
			r.Test, r.NPrompt = fmt.Sprintf("pp%d", opts.Prompt), opts.Prompt
			s := m.NewState(opts.Prompt)
			r.Samples, err = timeIt(opts.Reps, opts.Prompt, func() error { return prefill(m, s, opts.Prompt) })
			s.Close()
			if err != nil {
				m.Close()
				return nil, err
			}
			r.AvgTS, r.StddevTS = meanStd(r.Samples)
			rows = append(rows, r)
		}
		if opts.Gen > 0 {
			r := base
			r.Test, r.NGen = fmt.Sprintf("tg%d", opts.Gen), opts.Gen
			s := m.NewState(opts.Gen)
			r.Samples, err = timeIt(opts.Reps, opts.Gen, func() error { return decode(m, s, opts.Gen) })
			s.Close()
			if err != nil {
				m.Close()
				return nil, err
			}
			r.AvgTS, r.StddevTS = meanStd(r.Samples)
			r.RooflineTS = bw / float64(r.BytesPerTok)
			r.RooflineFrac = r.AvgTS / r.RooflineTS
			rows = append(rows, r)
		}
		m.Close()
	}
	return rows, nil
}

// timeIt runs f once to warm up, then reps times, returning tokens/s.
func timeIt(reps, tokens int, f func() error) ([]float64, error) {
	if err := f(); err != nil {
		return nil, err
	}
	var out []float64
	for range reps {
		start := time.Now()
		if err := f(); err != nil {
			return nil, err
		}
		out = append(out, float64(tokens)/time.Since(start).Seconds())
	}
	return out, nil
}

func randomTokens(m *model.Model, n int) []int {
	r := rand.New(rand.NewPCG(1, 2))
	ids := make([]int, n)
	for i := range ids {
		ids[i] = r.IntN(m.W.Vocab)
	}
	return ids
}

// prefill and decode run a test on s, emptied first: like llama-bench,
// which clears the KV cache between repetitions, the cache's memory is
// reused rather than allocated (and faulted in) again.
func prefill(m *model.Model, s *model.State, n int) error {
	s.Reset()
	_, err := m.Forward(s, randomTokens(m, n), false)
	return err
}

func decode(m *model.Model, s *model.State, n int) error {
	s.Reset()
	for _, id := range randomTokens(m, n) {
		if _, err := m.Forward(s, []int{id}, false); err != nil {
			return err
		}
	}
	return nil
}

func meanStd(x []float64) (mean, std float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)-1))
}
