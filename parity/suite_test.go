package parity

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bitnet-go/bitnet/kernel"
)

// TestBundledSuite drives the whole suite (convert, load, forward, compare)
// on every kernel path this machine can run.
func TestBundledSuite(t *testing.T) {
	for _, path := range kernel.Paths() {
		t.Run(path, func(t *testing.T) {
			restore, err := kernel.Use(path)
			if err != nil {
				t.Fatal(err)
			}
			defer restore()
			reports, err := RunSuite(context.Background(), SuiteOptions{GoldenDir: "../golden", Threads: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(reports) != 20 {
				t.Fatalf("%d reports, want 20", len(reports))
			}
			s := Summarize(reports, DefaultSuiteTolerance)
			if !s.Pass {
				WriteTable(os.Stderr, reports, &s)
				t.Fatalf("suite fails: %v", s.Problems)
			}
			for _, r := range reports {
				if r.Source != SourceMatch {
					t.Errorf("%s/%s: source %q, want %q (the golden's digests are its model's)", r.Model, r.Prompt, r.Source, SourceMatch)
				}
				if r.Dtype == "bfloat16" && r.Top1 < 0.85 {
					t.Errorf("%s/%s: bfloat16 top-1 %.2f < 0.85", r.Model, r.Prompt, r.Top1)
				}
			}
		})
	}
}

// TestSuiteCatchesBrokenModel checks the verdict can fail: a golden whose
// logits are perturbed as a missing activation quantization would (~0.1
// everywhere) fails the suite thresholds.
func TestSuiteCatchesBrokenModel(t *testing.T) {
	reports, err := RunSuite(context.Background(), SuiteOptions{GoldenDir: "../golden", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		r.MaxAbs = 0.1
	}
	if s := Summarize(reports, DefaultSuiteTolerance); s.Pass {
		t.Fatal("suite with every golden at 0.1 passes")
	}
}

func TestGoldenRoundTrip(t *testing.T) {
	g, err := ReadGolden("../golden/logits/tiny_b/len7_float32.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.IDs) != 7 || g.Vocab != 512 || len(g.Hidden) != 3 || g.ComputeDtype() != "float32" {
		t.Fatalf("ids %d vocab %d hidden %d dtype %s", len(g.IDs), g.Vocab, len(g.Hidden), g.ComputeDtype())
	}
	out := filepath.Join(t.TempDir(), "dump.safetensors")
	if err := WriteGolden(out, g, false); err != nil {
		t.Fatal(err)
	}
	h, err := ReadGolden(out)
	if err != nil {
		t.Fatal(err)
	}
	if m := Compare(h.Logits, g.Logits, g.Vocab); m.MaxAbs != 0 || len(h.IDs) != 7 || h.IDs[3] != g.IDs[3] {
		t.Fatalf("round trip differs: %+v", m)
	}
	if _, err := ReadGolden("../golden/models/tiny_a/config.json"); err == nil {
		t.Fatal("config.json read as a golden")
	}
}
