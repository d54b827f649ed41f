package model

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/quant"
)

// TestConvertedFileMatchesGoldens converts each bundled model (both I2_S
// layouts, padded rows in tiny_b), opens the file and checks the goldens.
func TestConvertedFileMatchesGoldens(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_b"} {
		for _, layout := range []quant.Layout{quant.LayoutX86, quant.LayoutARM} {
			out := filepath.Join(t.TempDir(), name+".gguf")
			_, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/" + name, OutFile: out, Layout: layout})
			if err != nil {
				t.Fatal(err)
			}
			m, err := Open(out, 2)
			if err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob("../golden/logits/" + name + "/*_float32.safetensors")
			var maxes []float64
			for _, f := range files {
				g := readGolden(t, f)
				logits, err := m.Forward(mustState(t, m, 0), g.ids, true)
				if err != nil {
					t.Fatal(err)
				}
				maxes = append(maxes, maxAbsDiff(logits, g.logits))
			}
			m.Close()
			sort.Float64s(maxes)
			if med := maxes[len(maxes)/2]; med > 1e-4 {
				t.Errorf("%s (%s layout): median max|Δlogit| %.2e > 1e-4", name, layout, med)
			}
		}
	}
}
