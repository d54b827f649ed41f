package model

import (
	"context"
	"fmt"
	"path/filepath"
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
			checkGoldens(t, fmt.Sprintf("%s (%s layout)", name, layout), name, func(g golden) ([]float32, map[int][]float32) {
				logits, err := m.Forward(mustState(t, m, 0), g.ids, true)
				if err != nil {
					t.Fatal(err)
				}
				return logits, nil
			}, m.W.Config.Vocab)
			m.Close()
		}
	}
}
