package tokenizer

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestDiffFile compares Encode(text, false) with a JSON file of
// [{"text", "ids"}] made by another implementation (for example by Hugging
// Face tokenizers on random text); it runs only when TOKENIZER_DIFF_FILE
// names such a file.
func TestDiffFile(t *testing.T) {
	path := os.Getenv("TOKENIZER_DIFF_FILE")
	if path == "" {
		t.Skip("TOKENIZER_DIFF_FILE not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []vector
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	fails := 0
	for name, tok := range tokenizers(t) {
		for _, c := range cases {
			if got := tok.Encode(c.Text, false); !slices.Equal(got, c.IDs) {
				t.Errorf("%s: Encode(%q) =\n%v, want\n%v", name, c.Text, got, c.IDs)
				if fails++; fails > 10 {
					t.FailNow()
				}
			}
		}
	}
	t.Logf("%d cases", len(cases))
}
