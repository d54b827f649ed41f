package parity

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bitnet-go/bitnet/model"
)

// Tolerance holds the pass thresholds of one golden.
type Tolerance struct {
	MinTop1   float64 // minimum top-1 agreement
	MaxNMSE   float64 // maximum Σ Δ² / Σ golden²
	HiddenTol float64 // per-layer relative RMS drift that marks "drift begins"
	// ReferenceTop1, when > 0, is the top-1 agreement of the reference's
	// own float32 run with this (bfloat16) golden; the golden then needs
	// min(MinTop1, ReferenceTop1): where the reference's float32 and
	// bfloat16 runs pick different tokens on near-ties, no float32
	// implementation can do better.
	ReferenceTop1 float64
}

// DefaultTolerance returns the thresholds for a golden computed in dtype:
// float32 goldens need top-1 ≥ 90% (95% for a single golden of a real
// checkpoint, where flips are routine but averaged over many positions)
// and NMSE ≤ 1e-3; bfloat16 goldens differ from any float32 run by bf16
// rounding, so only top-1 ≥ 85% is required.
func DefaultTolerance(dtype string, single bool) Tolerance {
	t := Tolerance{MinTop1: 0.90, MaxNMSE: 1e-3, HiddenTol: 1e-3}
	if single {
		t.MinTop1 = 0.95
	}
	if dtype != "float32" {
		t.MinTop1, t.MaxNMSE = 0.85, math.Inf(1)
	}
	return t
}

// LayerDrift is the difference of one layer's residual stream.
type LayerDrift struct {
	Layer  int     `json:"layer"`
	MaxAbs float64 `json:"max_abs_diff"`
	RelRMS float64 `json:"rel_rms"` // rms(Δ) / rms(golden)
}

// Report is the outcome of one golden.
type Report struct {
	Model   string       `json:"model"`
	Prompt  string       `json:"prompt"`
	Dtype   string       `json:"reference_dtype"`
	Metrics              // embedded: max, rms, nmse, top1, kl
	Layers  []LayerDrift `json:"layers,omitempty"`
	// ReferenceTop1 is Tolerance.ReferenceTop1 (0: not applicable).
	ReferenceTop1 float64  `json:"reference_float32_top1,omitempty"`
	DriftLayer    int      `json:"first_drift_layer"` // -1: none
	Source        string   `json:"source,omitempty"`  // Source* outcome of the golden's digests vs the file's
	Pass          bool     `json:"pass"`
	Problems      []string `json:"problems,omitempty"`
	// Skipped, when set, says why the golden was not evaluated (Pass is
	// false, metrics are empty): e.g. its model cannot hold the suite's
	// --embd-type.
	Skipped string `json:"skipped,omitempty"`
}

// Run evaluates g on m (a fresh sequence, all positions at once) and judges
// it with tol. It also returns our logits and hidden states, in g's format.
// A golden whose recorded source digests differ from the file's fails as
// belonging to another model; if its shape does not even fit the model,
// its report has no metrics (Positions 0) and no logits are returned.
func Run(m *model.Model, g *Golden, tol Tolerance) (*Report, *Golden, error) {
	r := &Report{Prompt: strings.TrimSuffix(filepath.Base(g.Path), ".safetensors"), Dtype: g.ComputeDtype(), DriftLayer: -1}
	var other string
	r.Source, other = checkSource(m.File(), g)
	if other != "" {
		r.Problems = append(r.Problems, other)
		if g.Vocab != m.W.Vocab || len(g.IDs) > m.W.ContextLength {
			return r, nil, nil
		}
	}
	if g.Vocab != m.W.Vocab {
		return nil, nil, fmt.Errorf("golden %s has %d logits per position, the model's vocabulary is %d", g.Path, g.Vocab, m.W.Vocab)
	}
	if len(g.IDs) > m.W.ContextLength {
		return nil, nil, fmt.Errorf("golden %s has %d tokens, more than the model's context length %d", g.Path, len(g.IDs), m.W.ContextLength)
	}
	s, err := m.NewState(len(g.IDs))
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	ours := &Golden{IDs: g.IDs, Vocab: g.Vocab, Hidden: map[int][]float32{}, Meta: map[string]string{"reference": "bitnet-go", "compute_dtype": "float32"}}
	s.OnHidden(func(l int, h []float32) { ours.Hidden[l] = append([]float32(nil), h...) })
	logits, err := m.Forward(s, g.IDs, true)
	if err != nil {
		return nil, nil, err
	}
	ours.Logits = append([]float32(nil), logits...)
	// Golden values are finite (ReadGolden); ours must be too, or no
	// metric means anything.
	if err := checkFinite("our logits", ours.Logits, g.Vocab); err != nil {
		return nil, nil, fmt.Errorf("golden %s: %w: the forward pass produced a non-finite value", g.Path, err)
	}
	if err := checkFinite("golden logits", g.Logits, g.Vocab); err != nil {
		return nil, nil, fmt.Errorf("golden %s: %w", g.Path, err)
	}
	r.Metrics = Compare(ours.Logits, g.Logits, g.Vocab)
	r.Layers = drift(ours.Hidden, g.Hidden)
	for _, l := range r.Layers {
		if !(l.RelRMS <= tol.HiddenTol) {
			r.DriftLayer = l.Layer
			break
		}
	}
	judge(r, tol)
	return r, ours, nil
}

// judge sets r's problems and verdict from its metrics. Comparisons are
// written so that a NaN fails them, and a NaN metric is a problem of its
// own.
func judge(r *Report, tol Tolerance) {
	if name := r.Metrics.nonFinite(); name != "" {
		r.Problems = append(r.Problems, fmt.Sprintf("%s is not finite", name))
	}
	minTop1 := tol.MinTop1
	if tol.ReferenceTop1 > 0 {
		r.ReferenceTop1 = tol.ReferenceTop1
		minTop1 = min(minTop1, tol.ReferenceTop1)
	}
	if !(r.Top1 >= minTop1) {
		r.Problems = append(r.Problems, fmt.Sprintf("top-1 agreement %.1f%% < %.1f%%", 100*r.Top1, 100*minTop1))
	}
	if !(r.NMSE <= tol.MaxNMSE) {
		r.Problems = append(r.Problems, fmt.Sprintf("NMSE %.2e > %.2e", r.NMSE, tol.MaxNMSE))
	}
	if len(r.Problems) > 0 && r.DriftLayer >= 0 {
		r.Problems = append(r.Problems, fmt.Sprintf("drift begins at layer %d", r.DriftLayer))
	}
	r.Pass = len(r.Problems) == 0
}

func drift(ours, golden map[int][]float32) []LayerDrift {
	var layers []int
	for l := range golden {
		if _, ok := ours[l]; ok && len(ours[l]) == len(golden[l]) {
			layers = append(layers, l)
		}
	}
	sort.Ints(layers)
	var out []LayerDrift
	for _, l := range layers {
		a, g := ours[l], golden[l]
		var d LayerDrift
		d.Layer = l
		var sq, gsq float64
		for i := range g {
			x := float64(a[i]) - float64(g[i])
			d.MaxAbs = max(d.MaxAbs, math.Abs(x))
			sq += x * x
			gsq += float64(g[i]) * float64(g[i])
		}
		if gsq > 0 {
			d.RelRMS = math.Sqrt(sq / gsq)
		}
		out = append(out, d)
	}
	return out
}

// SuiteTolerance holds the thresholds over all float32 goldens of a suite.
type SuiteTolerance struct {
	MaxMedian    float64 // median of per-golden max |Δlogit|
	MinFracTight float64 // share of goldens with max |Δlogit| ≤ Tight
	Tight        float64
}

// DefaultSuiteTolerance judges a suite: median per-golden max |Δlogit|
// ≤ 1e-4, and at least half the float32 goldens within 1e-3.
var DefaultSuiteTolerance = SuiteTolerance{MaxMedian: 1e-4, MinFracTight: 0.5, Tight: 1e-3}

// Summary judges a suite of reports.
type Summary struct {
	Goldens    int      `json:"goldens"`
	Float32    int      `json:"float32_goldens"`
	MedianMax  float64  `json:"median_max_abs_diff"`
	FracTight  float64  `json:"frac_within_tight"`
	FailedEach int      `json:"failed_goldens"`
	Skipped    int      `json:"skipped_goldens,omitempty"`
	Pass       bool     `json:"pass"`
	Problems   []string `json:"problems,omitempty"`
}

// Summarize applies the suite thresholds to the float32 reports and
// requires every report to pass its own.
func Summarize(reports []*Report, tol SuiteTolerance) Summary {
	s := Summary{Goldens: len(reports)}
	var maxes []float64
	tight := 0
	for _, r := range reports {
		if r.Skipped != "" {
			s.Skipped++
			continue
		}
		if !r.Pass || r.Metrics.nonFinite() != "" {
			s.FailedEach++
		}
		if r.Dtype != "float32" {
			continue
		}
		maxes = append(maxes, r.MaxAbs)
		if r.MaxAbs <= tol.Tight {
			tight++
		}
	}
	s.Float32 = len(maxes)
	if len(maxes) > 0 {
		sort.Float64s(maxes)
		s.MedianMax = maxes[len(maxes)/2]
		if len(maxes)%2 == 0 {
			s.MedianMax = (maxes[len(maxes)/2-1] + maxes[len(maxes)/2]) / 2
		}
		s.FracTight = float64(tight) / float64(len(maxes))
		if !(s.MedianMax <= tol.MaxMedian) {
			s.Problems = append(s.Problems, fmt.Sprintf("median max|Δlogit| %.2e > %.0e", s.MedianMax, tol.MaxMedian))
		}
		if !(s.FracTight >= tol.MinFracTight) {
			s.Problems = append(s.Problems, fmt.Sprintf("only %.0f%% of float32 goldens within %.0e (need %.0f%%)", 100*s.FracTight, tol.Tight, 100*tol.MinFracTight))
		}
	}
	if s.FailedEach > 0 {
		s.Problems = append(s.Problems, fmt.Sprintf("%d golden(s) out of tolerance", s.FailedEach))
	}
	if s.Skipped == s.Goldens {
		s.Problems = append(s.Problems, "no golden evaluated (all skipped)")
	}
	s.Pass = len(s.Problems) == 0
	return s
}
