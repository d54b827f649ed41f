package tokenizer

import (
	"bytes"
	"testing"

	"github.com/bitnet-go/bitnet/format/gguf"
)

// TestFromGGUFReproducesVectors stores the LLaMA 3 tokenizer as GGUF
// tokenizer.ggml.* keys (as convert and bitnet.cpp write them), reads it
// back with FromGGUF and checks every vector.
func TestFromGGUFReproducesVectors(t *testing.T) {
	src := tokenizers(t)["json"]
	var buf bytes.Buffer
	w := gguf.NewWriter(&buf)
	for _, kv := range []struct {
		k string
		v gguf.Value
	}{
		{"general.architecture", gguf.String("bitnet-b1.58")},
		{"tokenizer.ggml.model", gguf.String("gpt2")},
		{"tokenizer.ggml.pre", gguf.String("llama-bpe")},
		{"tokenizer.ggml.tokens", gguf.Strings(src.Tokens())},
		{"tokenizer.ggml.token_type", gguf.Int32s(src.TokenTypes())},
		{"tokenizer.ggml.merges", gguf.Strings(src.Merges())},
		{"tokenizer.ggml.bos_token_id", gguf.Uint32(128000)},
		{"tokenizer.ggml.eos_token_id", gguf.Uint32(128001)},
	} {
		if err := w.AddKV(kv.k, kv.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteHeader(); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := FromGGUF(f)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BOS() != 128000 || tok.EOS() != 128001 {
		t.Errorf("bos %d eos %d", tok.BOS(), tok.EOS())
	}
	for _, v := range loadVectors(t, "vectors.json") {
		got := tok.Encode(v.Text, false)
		if !equalIDs(got, v.IDs) && !equalIDs(tok.Encode(v.Text, true), v.IDs) {
			t.Fatalf("%q: got %v, want %v", v.Text, got, v.IDs)
		}
	}
}

func TestFromGGUFRefusesMissingOrForeignTokenizer(t *testing.T) {
	for _, c := range []struct {
		kvs  map[string]gguf.Value
		want string
	}{
		{map[string]gguf.Value{}, "no tokenizer"},
		{map[string]gguf.Value{"tokenizer.ggml.model": gguf.String("llama"), "tokenizer.ggml.tokens": gguf.Strings([]string{"a"})}, "llama"},
		{map[string]gguf.Value{"tokenizer.ggml.model": gguf.String("gpt2"), "tokenizer.ggml.pre": gguf.String("qwen2"), "tokenizer.ggml.tokens": gguf.Strings([]string{"a"})}, "qwen2"},
		// Falcon3's own BPE pre-tokenizer (llama.cpp's "falcon3"): refused
		// by name, not guessed to be LLaMA 3's.
		{map[string]gguf.Value{"tokenizer.ggml.model": gguf.String("gpt2"), "tokenizer.ggml.pre": gguf.String("falcon3"), "tokenizer.ggml.tokens": gguf.Strings([]string{"a"})}, `pre-tokenizer "falcon3" is not supported (supported: llama-bpe)`},
	} {
		var buf bytes.Buffer
		w := gguf.NewWriter(&buf)
		for _, k := range []string{"tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens"} {
			if v, ok := c.kvs[k]; ok {
				w.AddKV(k, v)
			}
		}
		w.WriteHeader()
		w.Finish()
		f, err := gguf.Parse(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := FromGGUF(f); err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.want)) {
			t.Errorf("err = %v, want one mentioning %q", err, c.want)
		}
	}
}

func equalIDs(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
