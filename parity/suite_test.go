package parity

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/model"
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
			if len(reports) != 40 {
				t.Fatalf("%d reports, want 40", len(reports))
			}
			s := Summarize(reports, DefaultSuiteTolerance)
			if !s.Pass {
				WriteTable(os.Stderr, reports, &s)
				t.Fatalf("suite fails: %v", s.Problems)
			}
			// Per golden, not only the suite: float32 goldens pass top-1
			// and NMSE; bfloat16 goldens reach top-1 0.85 or the
			// reference's own float32 run's agreement with them.
			models := map[string]int{}
			for _, r := range reports {
				models[r.Model]++
				if r.Source != SourceMatch {
					t.Errorf("%s/%s: source %q, want %q (the golden's digests are its model's)", r.Model, r.Prompt, r.Source, SourceMatch)
				}
				if !r.Pass {
					t.Errorf("%s/%s: %v", r.Model, r.Prompt, r.Problems)
				}
				switch r.Dtype {
				case "bfloat16":
					if floor := 0.85; r.Top1 < floor && (r.ReferenceTop1 == 0 || r.Top1 < r.ReferenceTop1) {
						t.Errorf("%s/%s: bfloat16 top-1 %.2f < 0.85 and < the reference's float32 run's %.2f", r.Model, r.Prompt, r.Top1, r.ReferenceTop1)
					}
					if r.ReferenceTop1 == 0 {
						t.Errorf("%s/%s: no reference float32 agreement computed", r.Model, r.Prompt)
					}
				case "float32":
					if r.Top1 < 0.90 || r.NMSE > 1e-3 {
						t.Errorf("%s/%s: top-1 %.2f, NMSE %.2e", r.Model, r.Prompt, r.Top1, r.NMSE)
					}
				}
			}
			for _, name := range []string{"tiny_a", "tiny_b", "tiny_llama_a", "tiny_llama_b"} {
				if models[name] != 10 {
					t.Errorf("%s: %d goldens, want 10", name, models[name])
				}
			}
		})
	}
}

// brokenSuite runs every bundled golden against the bundled models
// converted as RunSuite does, after breakModel has altered each loaded
// model, and summarizes the reports.
func brokenSuite(t *testing.T, breakModel func(m *model.Model)) (Summary, []*Report) {
	t.Helper()
	var reports []*Report
	for _, name := range []string{"tiny_a", "tiny_b"} {
		out := filepath.Join(t.TempDir(), name+".gguf")
		if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: filepath.Join("..", "golden", "models", name), OutFile: out}); err != nil {
			t.Fatal(err)
		}
		m, err := model.Open(out, 1)
		if err != nil {
			t.Fatal(err)
		}
		breakModel(m)
		goldens, _ := filepath.Glob(filepath.Join("..", "golden", "logits", name, "*.safetensors"))
		for _, gp := range goldens {
			g, err := ReadGolden(gp)
			if err != nil {
				t.Fatal(err)
			}
			r, _, err := Run(m, g, DefaultTolerance(g.ComputeDtype(), false))
			if err != nil {
				t.Fatal(err)
			}
			r.Model = name
			reports = append(reports, r)
		}
		m.Close()
	}
	return Summarize(reports, DefaultSuiteTolerance), reports
}

// TestSuiteCatchesBrokenModel breaks the loaded models in ways a real bug
// would (golden/README.md lists their effect) and checks the suite's
// verdict fails, with every float32 golden failing or out of the tight
// bound; the unbroken control passes.
func TestSuiteCatchesBrokenModel(t *testing.T) {
	if s, _ := brokenSuite(t, func(*model.Model) {}); !s.Pass {
		t.Fatalf("control (unbroken) fails: %v", s.Problems)
	}
	for _, c := range []struct {
		name    string
		breakIt func(m *model.Model)
	}{
		{"rms eps ×10", func(m *model.Model) { m.W.Config.RMSEps *= 10 }},
		{"one o_proj scale negated", func(m *model.Model) { m.W.Layers[0].O.Scale = -m.W.Layers[0].O.Scale }},
		{"every down_proj scale 2% high", func(m *model.Model) {
			for i := range m.W.Layers {
				m.W.Layers[i].Down.Scale *= 1.02
			}
		}},
		{"output norm dropped", func(m *model.Model) {
			for i := range m.W.OutputNorm {
				m.W.OutputNorm[i] = 1
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, reports := brokenSuite(t, c.breakIt)
			if s.Pass {
				WriteTable(os.Stderr, reports, &s)
				t.Fatalf("suite passes a broken model")
			}
			for _, r := range reports {
				if r.Dtype == "float32" && r.Pass && r.MaxAbs <= DefaultSuiteTolerance.Tight {
					t.Errorf("%s/%s: broken model matches within %.0e (max|Δ| %.2e)", r.Model, r.Prompt, DefaultSuiteTolerance.Tight, r.MaxAbs)
				}
			}
			t.Logf("verdict: %v", s.Problems)
		})
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

// TestSuiteT5SSameAsI2S: the suite on T5_S and on T3_S files reports
// exactly what it reports on I2_S files, golden by golden (the same
// integer sums).
func TestSuiteT5SSameAsI2S(t *testing.T) {
	types := []string{"i2_s", "t5_s", "t3_s"}
	runs := make([][]*Report, len(types))
	for i, outType := range types {
		reports, err := RunSuite(context.Background(), SuiteOptions{GoldenDir: "../golden", Threads: 2, OutType: outType})
		if err != nil {
			t.Fatal(err)
		}
		runs[i] = reports
	}
	for j := 1; j < len(types); j++ {
		if len(runs[0]) != 40 || len(runs[j]) != len(runs[0]) {
			t.Fatalf("%d and %d reports, want 40 each", len(runs[0]), len(runs[j]))
		}
		for i, a := range runs[0] {
			b := runs[j][i]
			if a.Model != b.Model || a.Prompt != b.Prompt || a.Metrics != b.Metrics || a.Pass != b.Pass {
				t.Errorf("%s %s: i2_s %+v, %s %+v", a.Model, a.Prompt, a.Metrics, types[j], b.Metrics)
			}
		}
	}
}
