package tokenizer

import (
	"encoding/json"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

type vector struct {
	Text string `json:"text"`
	IDs  []int  `json:"ids"`
}

func loadVectors(t testing.TB, name string) []vector {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Count   int      `json:"count"`
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if v.Count != 0 && v.Count != len(v.Vectors) {
		t.Fatalf("%s: count %d but %d vectors", name, v.Count, len(v.Vectors))
	}
	return v.Vectors
}

var (
	loadOnce         sync.Once
	jsonTok, ggufTok *Tokenizer
	loadErr          error
	loadTime         time.Duration
)

func tokenizers(t testing.TB) map[string]*Tokenizer {
	t.Helper()
	loadOnce.Do(func() {
		data, err := os.ReadFile("testdata/tokenizer.json")
		if err != nil {
			loadErr = err
			return
		}
		start := time.Now()
		jsonTok, loadErr = FromJSON(data)
		loadTime = time.Since(start)
		if loadErr != nil {
			return
		}
		ggufTok, loadErr = New(jsonTok.Tokens(), jsonTok.TokenTypes(), jsonTok.Merges(), jsonTok.BOS(), jsonTok.EOS())
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return map[string]*Tokenizer{"json": jsonTok, "gguf": ggufTok}
}

func TestLoad(t *testing.T) {
	toks := tokenizers(t)
	t.Logf("FromJSON took %v", loadTime)
	for name, tok := range toks {
		if tok.VocabSize() != 128256 {
			t.Errorf("%s: VocabSize %d", name, tok.VocabSize())
		}
		if tok.BOS() != 128000 {
			t.Errorf("%s: BOS %d", name, tok.BOS())
		}
		if id, ok := tok.TokenID("<|eot_id|>"); !ok || id != 128009 {
			t.Errorf("%s: TokenID(<|eot_id|>) = %d, %v", name, id, ok)
		}
		if id, ok := tok.TokenID("Ġthe"); !ok || id != 279 {
			t.Errorf("%s: TokenID(Ġthe) = %d, %v", name, id, ok)
		}
		if id, ok := tok.TokenID(" the"); !ok || id != 279 {
			t.Errorf("%s: TokenID(' the') = %d, %v", name, id, ok)
		}
		if _, ok := tok.TokenID("<|notatoken|>"); ok {
			t.Errorf("%s: TokenID(<|notatoken|>) found", name)
		}
		if got := tok.TokenText(128009); got != "<|eot_id|>" {
			t.Errorf("%s: TokenText(128009) = %q", name, got)
		}
		if !tok.IsSpecial(128009) || tok.IsSpecial(279) {
			t.Errorf("%s: IsSpecial wrong", name)
		}
	}
	// Not asserted: wall time depends on the machine's load (see
	// BenchmarkFromJSON; about 0.15 s of CPU on one core).
	types := jsonTok.TokenTypes()
	if types[0] != TypeNormal || types[128000] != TypeControl || types[128255] != TypeControl {
		t.Errorf("TokenTypes: %d %d %d", types[0], types[128000], types[128255])
	}
	if m := jsonTok.Merges(); len(m) != 280147 || m[0] != "Ġ Ġ" {
		t.Errorf("Merges: %d, first %q", len(m), m[0])
	}
	if !slices.Equal(jsonTok.Tokens(), ggufTok.Tokens()) || !slices.Equal(jsonTok.TokenTypes(), ggufTok.TokenTypes()) ||
		!slices.Equal(jsonTok.Merges(), ggufTok.Merges()) {
		t.Error("GGUF accessors differ after New")
	}
}

func checkVectors(t *testing.T, file string) {
	vs := loadVectors(t, file)
	for name, tok := range tokenizers(t) {
		for _, v := range vs {
			got := tok.Encode(v.Text, true)
			if !slices.Equal(got, v.IDs) {
				t.Errorf("%s: Encode(%q) =\n%v, want\n%v", name, v.Text, got, v.IDs)
			}
			// Decode drops nothing: the text comes back behind the BOS.
			if dec := tok.Decode(v.IDs); dec != "<|begin_of_text|>"+v.Text {
				t.Errorf("%s: Decode(%v) = %q", name, v.IDs, dec)
			}
		}
	}
	t.Logf("%d vectors from %s, both paths", len(vs), file)
}

func TestVectors(t *testing.T) { checkVectors(t, "vectors.json") }

func TestHFVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/hf_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Vectors []struct {
			Text     string `json:"text"`
			IDs      []int  `json:"ids"`
			IDsNoBOS []int  `json:"ids_no_bos"`
		} `json:"vectors"`
		Decode []struct {
			IDs  []int  `json:"ids"`
			Text string `json:"text"`
		} `json:"decode"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	for name, tok := range tokenizers(t) {
		fails := 0
		for _, c := range v.Vectors {
			if got := tok.Encode(c.Text, true); !slices.Equal(got, c.IDs) {
				fails++
				t.Errorf("%s: Encode(%q, true) =\n%v, want\n%v", name, c.Text, got, c.IDs)
			}
			if got := tok.Encode(c.Text, false); !slices.Equal(got, c.IDsNoBOS) {
				fails++
				t.Errorf("%s: Encode(%q, false) =\n%v, want\n%v", name, c.Text, got, c.IDsNoBOS)
			}
			if fails > 20 {
				t.Fatal("too many failures")
			}
		}
		for _, c := range v.Decode {
			if got := tok.Decode(c.IDs); got != c.Text {
				t.Errorf("%s: Decode(%v) = %q, want %q", name, c.IDs, got, c.Text)
			}
		}
	}
	t.Logf("%d encode vectors (with and without BOS) and %d decode vectors from Hugging Face, both paths", len(v.Vectors), len(v.Decode))
}
