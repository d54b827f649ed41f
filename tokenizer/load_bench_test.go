package tokenizer

import (
	"os"
	"testing"
)

func BenchmarkFromJSON(b *testing.B) {
	data, err := os.ReadFile("testdata/tokenizer.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := FromJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
