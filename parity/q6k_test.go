package parity

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
)

// The suite with a Q6_K head: tiny_b and tiny_llama_b (hidden 192) are
// reported as skipped, each golden with the reason, never as passed;
// tiny_a and tiny_llama_a are evaluated, each golden within the lossy-head
// tolerance; a suite of only skipped goldens fails.
func TestSuiteQ6_KSkipsHidden192(t *testing.T) {
	lossy := func(dtype string) Tolerance {
		tol := DefaultTolerance(dtype, false)
		tol.MinTop1, tol.MaxNMSE = 0.80, math.Inf(1)
		return tol
	}
	reports, err := RunSuite(context.Background(), SuiteOptions{GoldenDir: "../golden", Threads: 2, EmbedType: "q6_k", Tolerance: lossy})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 40 {
		t.Fatalf("%d reports, want 40", len(reports))
	}
	var skipped []*Report
	for _, r := range reports {
		switch r.Model {
		case "tiny_b", "tiny_llama_b":
			if r.Pass || !strings.Contains(r.Skipped, "192") || !strings.Contains(r.Skipped, "256") || r.Positions != 0 {
				t.Errorf("%s/%s: pass %v, skipped %q, %d positions", r.Model, r.Prompt, r.Pass, r.Skipped, r.Positions)
			}
			skipped = append(skipped, r)
		default:
			if r.Skipped != "" || r.Positions == 0 || !r.Pass {
				t.Errorf("%s/%s: skipped %q, %d positions, problems %v", r.Model, r.Prompt, r.Skipped, r.Positions, r.Problems)
			}
		}
	}
	st := SuiteTolerance{MaxMedian: math.Inf(1), Tight: 1e-3}
	s := Summarize(reports, st)
	if !s.Pass || s.Skipped != 20 || s.FailedEach != 0 {
		WriteTable(os.Stderr, reports, &s)
		t.Fatalf("summary: pass %v, %d skipped, %d failed, %v", s.Pass, s.Skipped, s.FailedEach, s.Problems)
	}
	var b strings.Builder
	WriteTable(&b, reports, &s)
	if !strings.Contains(b.String(), "skipped: --embd-type q6_k needs hidden_size 192") || !strings.Contains(b.String(), "20 skipped") {
		t.Errorf("table does not show the skips:\n%s", b.String())
	}
	if s := Summarize(skipped, st); s.Pass {
		t.Error("a suite of only skipped goldens passes")
	}
}
