package parity

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
)

// LossyHead returns t for a golden run on a file whose LM head is stored
// in a lossy type (q8_0, q6_k): such a head moves every logit by its
// rounding, so NMSE is not judged and top-1 needs only 80%; the cost is
// reported (top-1, KL), not hidden.
func LossyHead(t Tolerance) Tolerance {
	t.MinTop1, t.MaxNMSE = 0.80, math.Inf(1)
	return t
}

// HeadCost is the parity cost of one LM head type over the bundled suite:
// every golden of every model the type can hold, run on a file converted
// with that --embd-type, compared with the reference's logits. The figures
// are over the float32 goldens, which an f16 head matches to ~1e-6: what
// remains is the head's own rounding (bfloat16 goldens differ from any
// float32 run by more than a head type does). Failed counts every golden.
type HeadCost struct {
	Type       string   `json:"embd_type"`
	Goldens    int      `json:"float32_goldens"`
	Failed     int      `json:"failed"` // goldens (both dtypes) out of the lossy-head tolerance (LossyHead; f16: the exact one)
	MeanTop1   float64  `json:"mean_top1"`
	MinTop1    float64  `json:"min_top1"`
	MeanKL     float64  `json:"mean_kl"` // mean over goldens of the mean KL(golden ‖ ours) per position, nats
	MaxKL      float64  `json:"max_kl"`
	MedianNMSE float64  `json:"median_nmse"`
	Skipped    []string `json:"skipped,omitempty"` // models the type cannot hold, and why
}

// RunHeadCost runs the bundled suite once per LM head type in types and
// summarizes each run. f16 is held to the exact per-golden tolerance,
// every other type to LossyHead's.
func RunHeadCost(ctx context.Context, opts SuiteOptions, types []string) ([]HeadCost, error) {
	var out []HeadCost
	for _, typ := range types {
		o := opts
		o.EmbedType = typ
		base := o.Tolerance
		o.Tolerance = func(dtype string) Tolerance {
			t := DefaultTolerance(dtype, false)
			if base != nil {
				t = base(dtype)
			}
			if typ != "f16" {
				t = LossyHead(t)
			}
			return t
		}
		reports, err := RunSuite(ctx, o)
		if err != nil {
			return nil, fmt.Errorf("--embd-type %s: %w", typ, err)
		}
		out = append(out, summarizeHead(typ, reports))
	}
	return out, nil
}

func summarizeHead(typ string, reports []*Report) HeadCost {
	h := HeadCost{Type: typ, MinTop1: math.NaN()}
	var nmse []float64
	for _, r := range reports {
		if r.Skipped != "" {
			if why := r.Model + ": " + r.Skipped; !slices.Contains(h.Skipped, why) {
				h.Skipped = append(h.Skipped, why)
			}
			continue
		}
		if !r.Pass {
			h.Failed++
		}
		if r.Positions == 0 || r.Dtype != "float32" {
			continue
		}
		h.Goldens++
		h.MeanTop1 += r.Top1
		h.MeanKL += r.KL
		h.MaxKL = max(h.MaxKL, r.KL)
		if h.Goldens == 1 || r.Top1 < h.MinTop1 {
			h.MinTop1 = r.Top1
		}
		nmse = append(nmse, r.NMSE)
	}
	if h.Goldens > 0 {
		h.MeanTop1 /= float64(h.Goldens)
		h.MeanKL /= float64(h.Goldens)
		sort.Float64s(nmse)
		h.MedianNMSE = nmse[len(nmse)/2]
		if len(nmse)%2 == 0 {
			h.MedianNMSE = (nmse[len(nmse)/2-1] + nmse[len(nmse)/2]) / 2
		}
	}
	return h
}

// WriteHeadCost prints one row per head type.
func WriteHeadCost(w io.Writer, rows []HeadCost) {
	fmt.Fprintf(w, "%-6s %8s %7s %10s %10s %10s %10s %11s  %s\n", "head", "float32", "failed", "top-1 mean", "top-1 min", "KL mean", "KL max", "NMSE median", "not run")
	for _, h := range rows {
		skip := "-"
		if len(h.Skipped) > 0 {
			skip = strings.Join(h.Skipped, "; ")
		}
		if h.Goldens == 0 {
			fmt.Fprintf(w, "%-6s %8d %7s %10s %10s %10s %10s %11s  %s\n", h.Type, 0, "-", "-", "-", "-", "-", "-", skip)
			continue
		}
		fmt.Fprintf(w, "%-6s %8d %7d %9.1f%% %9.1f%% %10.2e %10.2e %11.2e  %s\n", h.Type, h.Goldens, h.Failed, 100*h.MeanTop1, 100*h.MinTop1, h.MeanKL, h.MaxKL, h.MedianNMSE, skip)
	}
}
