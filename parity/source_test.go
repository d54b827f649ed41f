package parity

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/model"
)

// TestSourceCheck runs goldens against tiny_a's converted file and checks
// each outcome of the source digests: tiny_a's golden matches; tiny_b's
// golden (another shape) fails unevaluated, naming both digests; tiny_a's
// golden relabelled with tiny_b's weights digest fails although its
// logits agree; a golden without digests and a file without them (another
// converter's) are reported as not checked and pass.
func TestSourceCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tiny_a.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: path}); err != nil {
		t.Fatal(err)
	}
	open := func(p string) *model.Model {
		m, err := model.Open(p, 1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(m.Close)
		return m
	}
	m := open(path)
	golden := func(name string) *Golden {
		g, err := ReadGolden(name)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	run := func(m *model.Model, g *Golden) *Report {
		r, _, err := Run(m, g, DefaultTolerance(g.ComputeDtype(), true))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	r := run(m, golden("../golden/logits/tiny_a/len7_float32.safetensors"))
	if r.Source != SourceMatch || !r.Pass {
		t.Errorf("tiny_a's golden: source %q, pass %v, problems %v", r.Source, r.Pass, r.Problems)
	}

	r = run(m, golden("../golden/logits/tiny_b/len7_float32.safetensors"))
	want := "golden belongs to another model (tiny_b): weights_sha256 differs (golden 36515972375e…, file 7f408dc424c1…), config_sha256 differs (golden 974df19bc781…, file 5b653aa0a9ab…)"
	if r.Source != SourceOther || r.Pass || r.Positions != 0 || len(r.Problems) != 1 || r.Problems[0] != want {
		t.Errorf("tiny_b's golden: source %q, pass %v, positions %d, problems %q; want %q", r.Source, r.Pass, r.Positions, r.Problems, want)
	}

	g := golden("../golden/logits/tiny_a/len7_float32.safetensors")
	g.Meta["weights_sha256"] = "36515972375e3ea8" + strings.Repeat("0", 48)
	r = run(m, g)
	if r.Source != SourceOther || r.Pass || r.Top1 != 1 || len(r.Problems) != 1 ||
		!strings.Contains(r.Problems[0], "weights_sha256 differs (golden 36515972375e…, file 7f408dc424c1…)") || strings.Contains(r.Problems[0], "config_sha256") {
		t.Errorf("relabelled golden: source %q, pass %v, top-1 %v, problems %q", r.Source, r.Pass, r.Top1, r.Problems)
	}

	delete(g.Meta, "weights_sha256")
	delete(g.Meta, "config_sha256")
	if r = run(m, g); r.Source != SourceNotInGolden || !r.Pass {
		t.Errorf("golden without digests: source %q, pass %v", r.Source, r.Pass)
	}

	// Another converter's file: the same tensors, no bitnet-go keys.
	f, err := gguf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	drop := map[string]bool{convert.KeySourceConfig: true, convert.KeySourceWeights: true, integrity.KeyHeader: true, integrity.KeyTensors: true}
	err = gguf.Rewrite(f, &buf, func(kv gguf.KV) (gguf.KV, bool) { return kv, !drop[kv.Key] })
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(dir, "bare.gguf")
	if err := os.WriteFile(bare, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(open(bare), golden("../golden/logits/tiny_a/len7_float32.safetensors"))
	if r.Source != SourceNotRecorded || !r.Pass {
		t.Errorf("file without digests: source %q, pass %v", r.Source, r.Pass)
	}
	if s := SourceSummary([]*Report{r}); !strings.Contains(s, "not recorded") {
		t.Errorf("summary %q lacks \"not recorded\"", s)
	}
}
