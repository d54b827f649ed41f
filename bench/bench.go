package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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
	Depth    int   // tokens of context before each test (llama-bench's -d)
	Threads  []int // one row per thread count and test
	Reps     int
	MemBytes int // buffer size of the bandwidth measurement
	Mode     model.LoadMode
	Prefetch string // model.LoadOptions.Prefetch
	// Log, if set, receives a line per load naming the prefetch variants
	// and what their calibration measured.
	Log func(string)
}

// Row is one result, with llama-bench's field names where they exist.
type Row struct {
	Model        string    `json:"model_filename"`
	Test         string    `json:"test"`
	NPrompt      int       `json:"n_prompt"`
	NGen         int       `json:"n_gen"`
	NDepth       int       `json:"n_depth"`
	NThreads     int       `json:"n_threads"`
	AvgTS        float64   `json:"avg_ts"`
	StddevTS     float64   `json:"stddev_ts"`
	Samples      []float64 `json:"samples_ts"`
	Kernel       string    `json:"kernel"`
	Prefetch     string    `json:"prefetch"` // the streaming kernels' prefetch variants (model.PrefetchInfo)
	BytesPerTok  int64     `json:"bytes_per_token"`
	MemBWGBs     float64   `json:"mem_bw_gbs"`
	RooflineTS   float64   `json:"roofline_ts,omitempty"`
	RooflineFrac float64   `json:"roofline_frac,omitempty"`
	// MemBWSamples (decode rows) is the read bandwidth measured right
	// before each timed repetition, in GB/s: MemBWGBs is their median and
	// RooflineFrac the median of each repetition's speed over the roofline
	// of the bandwidth read just before it.
	MemBWSamples []float64 `json:"mem_bw_samples_gbs,omitempty"`
	LoadSec      float64   `json:"load_s"` // opening the model, this thread count's load
	Loaded       string    `json:"load"`   // "mapped" or "read" (see model.LoadMode)
	// Phases (decode rows) is where a decode step's time goes, from one
	// more repetition timed phase by phase after the timed ones.
	Phases []Phase `json:"phases,omitempty"`
}

// Phase is one part of a decode step, per token: its time, the bytes it
// reads (zero for the glue between the streaming phases), the speed it
// reads them at and that speed's fraction of the run's read bandwidth.
type Phase struct {
	Name  string  `json:"name"`
	MS    float64 `json:"ms"`
	Bytes int64   `json:"bytes"`
	GBs   float64 `json:"gbs,omitempty"`
	OfBW  float64 `json:"of_bw,omitempty"`
}

// excess is how much longer than its roofline time (bytes at the read
// bandwidth bw, in bytes/s) the phase ran, in ms.
func (p Phase) excess(bw float64) float64 { return p.MS - float64(p.Bytes)/bw*1e3 }

// SlowestPhase names the phase of a decode row that loses the most time
// against its roofline (the glue loses all of its time), or "".
func (r Row) SlowestPhase() (Phase, bool) {
	var worst Phase
	found := false
	for _, p := range r.Phases {
		if !found || p.excess(r.MemBWGBs*1e9) > worst.excess(r.MemBWGBs*1e9) {
			worst, found = p, true
		}
	}
	return worst, found
}

// Run loads the model once per thread count and times each test. Sizes
// are checked first: negative ones, and tests that do not fit in the
// model's context (depth + prompt, depth + gen), are errors naming the
// flag; the memory a test takes is checked by the model before it is
// allocated.
func Run(opts Options) ([]Row, error) {
	if opts.Reps <= 0 {
		opts.Reps = 5
	}
	if opts.MemBytes == 0 {
		opts.MemBytes = 1 << 30
	}
	for _, f := range []struct {
		flag string
		v    int
	}{{"-p", opts.Prompt}, {"-n", opts.Gen}, {"-d", opts.Depth}} {
		if f.v < 0 {
			return nil, fmt.Errorf("bench: %s %d: want a token count ≥ 0", f.flag, f.v)
		}
	}
	if opts.MemBytes < 0 || opts.MemBytes > 1<<40 {
		return nil, fmt.Errorf("bench: the bandwidth probe's buffer of %d bytes: want 1 B to 1 TiB", opts.MemBytes)
	}
	probe, err := membw.NewProbe(opts.MemBytes)
	if err != nil {
		return nil, err
	}
	defer probe.Close()
	var rows []Row
	for _, th := range opts.Threads {
		start := time.Now()
		m, err := model.OpenWith(opts.Path, model.LoadOptions{Threads: th, Mode: opts.Mode, Prefetch: opts.Prefetch})
		if err != nil {
			return nil, err
		}
		if err := fits(opts, m.W.ContextLength); err != nil {
			m.Close()
			return nil, err
		}
		loadSec, loaded := time.Since(start).Seconds(), "read"
		if m.File().Mapped() {
			loaded = "mapped"
		}
		if opts.Log != nil {
			opts.Log(fmt.Sprintf("%d threads: prefetch %s", th, m.PrefetchInfo(true)))
		}
		bw := bestRead(probe, th)
		base := Row{Model: opts.Path, NThreads: th, Kernel: kernel.Active(), Prefetch: m.PrefetchInfo(false), BytesPerTok: m.W.BytesPerToken(), MemBWGBs: bw / 1e9, LoadSec: loadSec, Loaded: loaded}
		for _, t := range []test{{prompt: opts.Prompt, depth: opts.Depth}, {gen: opts.Gen, depth: opts.Depth}} {
			if t.prompt+t.gen == 0 {
				continue
			}
			r, err := runTest(m, base, t, opts.Reps, probe)
			if err != nil {
				m.Close()
				return nil, err
			}
			rows = append(rows, r)
		}
		m.Close()
	}
	return rows, nil
}

// fits checks that each test, after its depth, fits in a context of n
// tokens (the sizes are not negative).
func fits(opts Options, n int) error {
	for _, t := range []struct {
		flag string
		v    int
	}{{"-p", opts.Prompt}, {"-n", opts.Gen}} {
		if t.v > n || opts.Depth > n-t.v {
			return fmt.Errorf("bench: -d %d + %s %d tokens exceed the model's context of %d", opts.Depth, t.flag, t.v, n)
		}
	}
	return nil
}

// test is one row's workload: prompt tokens in one batch (pp) or gen
// tokens one at a time (tg), after depth tokens of context.
type test struct{ prompt, gen, depth int }

// runTest times t on m: a warm-up, then reps repetitions, each on a
// cleared cache (as llama-bench clears its KV cache) refilled with the
// depth tokens untimed. A decode row's roofline counts the KV cache it
// reads besides the weights, and each decode repetition is compared with
// the read bandwidth probe measures right before it: on a shared machine
// the bandwidth moves within seconds.
func runTest(m *model.Model, base Row, t test, reps int, probe *membw.Probe) (Row, error) {
	r := base
	r.NPrompt, r.NGen, r.NDepth = t.prompt, t.gen, t.depth
	r.Test = fmt.Sprintf("pp%d", t.prompt)
	if t.gen > 0 {
		r.Test = fmt.Sprintf("tg%d", t.gen)
	}
	if t.depth > 0 {
		r.Test += fmt.Sprintf(" @ d%d", t.depth)
	}
	n := t.prompt + t.gen
	s, err := m.NewState(t.depth + n)
	if err != nil {
		return r, err
	}
	defer s.Close()
	context, tokens := randomTokens(m, t.depth, 3), randomTokens(m, n, 1)
	setup := func() error {
		s.Reset()
		if t.depth == 0 {
			return nil
		}
		_, err := m.Forward(s, context, false)
		return err
	}
	run := func() error {
		if t.prompt > 0 {
			_, err := m.Forward(s, tokens, false)
			return err
		}
		for _, id := range tokens {
			if _, err := m.Forward(s, []int{id}, false); err != nil {
				return err
			}
		}
		return nil
	}
	var bws []float64
	before := func() {}
	if t.gen > 0 {
		before = func() { bws = append(bws, bestRead(probe, r.NThreads)) }
	}
	if r.Samples, err = timeIt(reps, n, setup, before, run); err != nil {
		return r, err
	}
	r.AvgTS, r.StddevTS = meanStd(r.Samples)
	if t.gen > 0 {
		c := &m.W.Config
		kvPerToken := int64(2 * c.KVHeads * c.HeadDim * 4 * c.Layers)
		kvBytes := kvPerToken * int64(t.depth+t.gen/2)
		r.BytesPerTok += kvBytes
		fracs := make([]float64, len(bws))
		for i, b := range bws {
			r.MemBWSamples = append(r.MemBWSamples, b/1e9)
			fracs[i] = r.Samples[i] * float64(r.BytesPerTok) / b
		}
		bw := Median(bws)
		r.MemBWGBs = bw / 1e9
		r.RooflineTS = bw / float64(r.BytesPerTok)
		r.RooflineFrac = Median(fracs)
		var ph model.Phases
		s.TimePhases(&ph)
		err := setup()
		phaseBW := bestRead(probe, r.NThreads) // the bandwidth next to this repetition
		if err == nil {
			ph = model.Phases{} // the context's prefill is not decode
			err = run()
		}
		s.TimePhases(nil)
		if err != nil {
			return r, err
		}
		head := m.W.HeadBytes()
		r.Phases = phases(&ph, phaseBW, []int64{head, m.W.BytesPerToken() - head, kvBytes, 0})
	}
	return r, nil
}

// phases turns accumulated phase times into per-token rows: LM head,
// ternary projections, attention, glue, with the bytes each reads per token.
func phases(p *model.Phases, bw float64, bytes []int64) []Phase {
	steps := float64(max(p.Steps, 1))
	var out []Phase
	for i, d := range []time.Duration{p.Head, p.Ternary, p.Attention, p.Glue()} {
		ph := Phase{Name: []string{"LM head", "ternary projections", "attention", "glue"}[i], MS: d.Seconds() * 1e3 / steps, Bytes: bytes[i]}
		if ph.Bytes > 0 && d > 0 {
			ph.GBs = float64(ph.Bytes) / (ph.MS / 1e3) / 1e9
			ph.OfBW = ph.GBs * 1e9 / bw
		}
		out = append(out, ph)
	}
	return out
}

// timeIt runs setup then run once to warm up, then reps times, timing run
// alone (before runs between setup and each timed run): tokens/s per
// repetition.
func timeIt(reps, tokens int, setup func() error, before func(), run func() error) ([]float64, error) {
	var out []float64
	for i := -1; i < reps; i++ {
		if err := setup(); err != nil {
			return nil, err
		}
		if i >= 0 {
			before()
		}
		start := time.Now()
		if err := run(); err != nil {
			return nil, err
		}
		if i >= 0 {
			out = append(out, float64(tokens)/time.Since(start).Seconds())
		}
	}
	return out, nil
}

// MemBW measures the read bandwidth at each thread count as Run does
// (memBytes: the probe's buffer, 0 for 1 GiB): rows with only n_threads,
// test "membw" and mem_bw_gbs set.
func MemBW(threads []int, memBytes int) ([]Row, error) {
	if memBytes == 0 {
		memBytes = 1 << 30
	}
	probe, err := membw.NewProbe(memBytes)
	if err != nil {
		return nil, err
	}
	defer probe.Close()
	var rows []Row
	for _, th := range threads {
		rows = append(rows, Row{Test: "membw", NThreads: th, MemBWGBs: bestRead(probe, th) / 1e9})
	}
	return rows, nil
}

// bestRead is the best of three passes of probe on threads threads: a
// single pass right after decoding often reads less than the machine
// delivers a moment later.
func bestRead(probe *membw.Probe, threads int) float64 {
	return max(probe.Read(threads), probe.Read(threads), probe.Read(threads))
}

// Median returns the median of x (the mean of the middle two for an even
// count); x is not modified.
func Median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	y := slices.Clone(x)
	slices.Sort(y)
	if len(y)%2 == 1 {
		return y[len(y)/2]
	}
	return (y[len(y)/2-1] + y[len(y)/2]) / 2
}

// randomTokens returns n token ids from a fixed seed.
func randomTokens(m *model.Model, n int, seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 2))
	ids := make([]int, n)
	for i := range ids {
		ids[i] = r.IntN(m.W.Vocab)
	}
	return ids
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
