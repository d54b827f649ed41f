package parity

import (
	"context"
	"strings"
	"testing"
)

// TestHeadCost runs the suite per LM head type: the f16 head is the exact
// one (every float32 golden top-1, KL near zero), a lossy head costs a
// measurable amount more KL and still passes its tolerance.
func TestHeadCost(t *testing.T) {
	rows, err := RunHeadCost(context.Background(), SuiteOptions{GoldenDir: "../golden", Threads: 2}, []string{"f16", "q8_0"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	for _, h := range rows {
		if h.Goldens != 28 || h.Failed != 0 || len(h.Skipped) != 0 {
			t.Errorf("%s: %d float32 goldens, %d failed, skipped %v; want 28, 0, none", h.Type, h.Goldens, h.Failed, h.Skipped)
		}
	}
	f16, q8 := rows[0], rows[1]
	if f16.MinTop1 != 1 || f16.MeanKL > 1e-5 {
		t.Errorf("f16 head: min top-1 %.3f, mean KL %.2e; want 1 and ≤ 1e-5", f16.MinTop1, f16.MeanKL)
	}
	if !(q8.MeanKL > 10*f16.MeanKL) || q8.MedianNMSE <= f16.MedianNMSE {
		t.Errorf("q8_0 head: mean KL %.2e, median NMSE %.2e; want above f16's %.2e, %.2e", q8.MeanKL, q8.MedianNMSE, f16.MeanKL, f16.MedianNMSE)
	}
}

// TestHeadCostSkips: Q6_K's 256-value blocks do not divide the hidden size
// 192 of tiny_b and tiny_llama_b, which are named as not run; the models
// it holds are judged and cost more than an f16 head.
func TestHeadCostSkips(t *testing.T) {
	rows, err := RunHeadCost(context.Background(), SuiteOptions{GoldenDir: "../golden", Threads: 2}, []string{"q6_k"})
	if err != nil {
		t.Fatal(err)
	}
	q6 := rows[0]
	if len(q6.Skipped) != 2 || !strings.HasPrefix(q6.Skipped[0], "tiny_b: ") || !strings.HasPrefix(q6.Skipped[1], "tiny_llama_b: ") || !strings.Contains(q6.Skipped[0], "192") {
		t.Errorf("q6_k skipped %q, want tiny_b and tiny_llama_b with the hidden size", q6.Skipped)
	}
	if q6.Goldens != 14 || q6.Failed != 0 || !(q6.MeanKL > 1e-5) {
		t.Errorf("q6_k: %d float32 goldens, %d failed, mean KL %.2e; want 14, 0, > 1e-5", q6.Goldens, q6.Failed, q6.MeanKL)
	}
}
