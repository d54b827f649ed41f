package model

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/quant"
)

// A Q6_K head, tied (tiny_a: embedding and head) and untied (tiny_llama_a:
// output.weight): embed dequantizes its row, the last position's logits are
// exactly MatVecQ6_KRef of the final normed hidden state quantized to Q8_K
// (bit-identical on every kernel path), and every float32 golden keeps
// top-1 ≥ 80% and NMSE < 1e-2 (measured: about 2e-3 tied, 4e-4 untied).
func TestQ6_KHead(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_llama_a"} {
		out := filepath.Join(t.TempDir(), name+".gguf")
		if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/" + name, OutFile: out, EmbedType: "q6_k"}); err != nil {
			t.Fatal(err)
		}
		m, err := Open(out, 2)
		if err != nil {
			t.Fatal(err)
		}
		H, V := m.W.Hidden, m.W.Vocab
		head := m.W.Head().Data
		if len(head) != V*quant.Q6_KSize(H) {
			t.Fatalf("%s: Q6_K head of %d bytes", name, len(head))
		}
		if name == "tiny_a" {
			if m.W.Embed.Type != TableQ6_K || m.W.Embed.F16 != nil || m.W.HeadBytes() != int64(len(head)) {
				t.Fatalf("%s: tied Q6_K embedding not loaded as such", name)
			}
			got, want := make([]float32, H), make([]float32, H)
			m.embed(got, 7)
			quant.DequantizeQ6_K(want, head[7*quant.Q6_KSize(H):])
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("embed row 7 value %d = %v, want %v", i, got[i], want[i])
				}
			}
		}
		files, _ := filepath.Glob("../golden/logits/" + name + "/*_float32.safetensors")
		if len(files) != 7 {
			t.Fatalf("%s: %d float32 goldens", name, len(files))
		}
		for _, f := range files {
			g := readGolden(t, f)
			s := mustState(t, m, 0)
			logits, err := m.Forward(s, g.ids, true)
			if err != nil {
				t.Fatal(err)
			}
			// The last position's head input is left in s.x.
			xq := kernel.NewQ8K(H)
			kernel.QuantizeQ8_K(xq, s.x[:H])
			ref := make([]float32, V)
			kernel.MatVecQ6_KRef(ref, head, xq, H)
			last := logits[(len(g.ids)-1)*V:]
			for v := range ref {
				if math.Float32bits(ref[v]) != math.Float32bits(last[v]) {
					t.Fatalf("%s %s: logit %d = %v, MatVecQ6_KRef %v", name, filepath.Base(f), v, last[v], ref[v])
				}
			}
			var num, den float64
			agree := 0
			for i := range g.ids {
				row, want := logits[i*V:(i+1)*V], g.logits[i*V:(i+1)*V]
				if argmax(row) == argmax(want) {
					agree++
				}
				for v := range row {
					d := float64(row[v]) - float64(want[v])
					num += d * d
					den += float64(want[v]) * float64(want[v])
				}
			}
			if float64(agree) < 0.8*float64(len(g.ids)) || num/den > 1e-2 {
				t.Errorf("%s %s: top-1 %d/%d, NMSE %.2e", name, filepath.Base(f), agree, len(g.ids), num/den)
			}
		}
		m.Close()
	}
}

// Validate refuses a Q6_K head of the wrong size.
func TestValidateQ6_KHead(t *testing.T) {
	out := filepath.Join(t.TempDir(), "a.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: out, EmbedType: "q6_k"}); err != nil {
		t.Fatal(err)
	}
	m, err := Open(out, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	w := *m.W
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	w.Embed.Data = w.Embed.Data[:len(w.Embed.Data)-1]
	if err := w.Validate(); err == nil {
		t.Fatal("a Q6_K embedding one byte short validates")
	}
}
