package reliability

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// TestNullTokenIDs: config.json's bos_token_id / eos_token_id null (no such
// token) is not written as 0xFFFFFFFF: the file loads, its tokenizer builds
// and encodes as tokenizer.json does (the BOS its template adds, if any).
func TestNullTokenIDs(t *testing.T) {
	for _, key := range []string{"bos_token_id", "eos_token_id"} {
		t.Run(key, func(t *testing.T) {
			dir := t.TempDir()
			writeMicro(t, dir, microTokVocab, nil)
			copyFile(t, smallTokenizer, filepath.Join(dir, "tokenizer.json"))
			setConfig(key, nil)(t, dir)
			out := filepath.Join(t.TempDir(), "out.gguf")
			if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out}); err != nil {
				t.Fatal(err)
			}
			f, err := gguf.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for _, k := range []string{"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"} {
				if v, err := f.Uint32(k); err == nil && v >= microTokVocab {
					t.Errorf("%s = %d, outside the vocabulary", k, v)
				}
			}
			tok, err := tokenizer.FromGGUF(f)
			if err != nil {
				t.Fatalf("tokenizer: %v", err)
			}
			raw, _, err := hf.ReadTokenizerJSON(dir)
			must(t, err)
			ref, err := tokenizer.FromJSON(raw)
			must(t, err)
			for _, s := range []string{"the the", "word"} {
				if got, want := tok.Encode(s, false), ref.Encode(s, false); !slices.Equal(got, want) {
					t.Errorf("Encode(%q) = %v, tokenizer.json gives %v", s, got, want)
				}
			}
			// The null id is tokenizer.json's.
			if key == "bos_token_id" {
				if got, want := tok.Encode("the", true)[0], ref.Encode("the", true)[0]; got != want || tok.BOS() != ref.BOS() {
					t.Errorf("BOS %d, first id %d; tokenizer.json's: %d, %d", tok.BOS(), got, ref.BOS(), want)
				}
			} else if tok.EOS() != ref.EOS() {
				t.Errorf("EOS %d, tokenizer.json's %d", tok.EOS(), ref.EOS())
			}
			m, err := model.Open(out, 1)
			if err != nil {
				t.Fatal(err)
			}
			m.Close()
		})
	}
}
