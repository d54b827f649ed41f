package gguf

import (
	"bytes"
	"fmt"
	"testing"
)

// vocabHeader is a header with a LLaMA-3-sized tokenizer (128256 tokens,
// 280147 merges), the bulk of a BitNet 2B4T GGUF header.
func vocabHeader(b *testing.B) []byte {
	tokens := make([]string, 128256)
	types := make([]int32, len(tokens))
	for i := range tokens {
		tokens[i] = fmt.Sprintf("Ġtok%d", i)
		types[i] = 1
	}
	merges := make([]string, 280147)
	for i := range merges {
		merges[i] = fmt.Sprintf("Ġa%d b%d", i, i)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	must(b, w.AddKV(KeyArchitecture, String("bitnet-b1.58")))
	must(b, w.AddKV("tokenizer.ggml.tokens", Strings(tokens)))
	must(b, w.AddKV("tokenizer.ggml.token_type", Int32s(types)))
	must(b, w.AddKV("tokenizer.ggml.merges", Strings(merges)))
	must(b, w.WriteHeader())
	must(b, w.Finish())
	return buf.Bytes()
}

func BenchmarkParseVocabHeader(b *testing.B) {
	data := vocabHeader(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
