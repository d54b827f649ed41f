package tokenizer

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// testdata/small_tokenizer.json: 256 byte tokens, 6 merges (as [a, b]
// pairs), ignore_merges false, added tokens with lstrip, rstrip,
// single_word and normalized set, ids in added_tokens that Hugging Face
// does not use (it assigns 262...), and a template with a suffix. The
// expected ids are from Hugging Face tokenizers 0.23.2.
var smallCases = []struct {
	text          string
	ids, idsNoBOS []int
}{
	{"the the", []int{262, 116, 257, 258, 264}, []int{116, 257, 258}},
	{" the", []int{262, 258, 264}, []int{258}},
	{"abc ab", []int{262, 260, 32, 259, 264}, []int{260, 32, 259}},
	{"  x", []int{262, 32, 32, 120, 264}, []int{32, 32, 120}},
	{"a <L> b", []int{262, 97, 263, 32, 98, 264}, []int{97, 263, 32, 98}},
	{"a  <L>b", []int{262, 97, 263, 98, 264}, []int{97, 263, 98}},
	{"<L><L>", []int{262, 263, 263, 264}, []int{263, 263}},
	{"a <R>  b", []int{262, 97, 32, 264, 98, 264}, []int{97, 32, 264, 98}},
	{"a<R>\n\nb", []int{262, 97, 264, 98, 264}, []int{97, 264, 98}},
	{"word", []int{262, 265, 264}, []int{265}},
	{"a word b", []int{262, 97, 32, 265, 32, 98, 264}, []int{97, 32, 265, 32, 98}},
	{"aword b", []int{262, 97, 119, 111, 114, 100, 32, 98, 264}, []int{97, 119, 111, 114, 100, 32, 98}},
	{"word1", []int{262, 119, 111, 114, 100, 49, 264}, []int{119, 111, 114, 100, 49}},
	{"wordword", []int{262, 119, 111, 114, 100, 119, 111, 114, 100, 264}, []int{119, 111, 114, 100, 119, 111, 114, 100}},
	{" word ", []int{262, 32, 265, 32, 264}, []int{32, 265, 32}},
	{"<s>x", []int{262, 262, 120, 264}, []int{262, 120}},
	{"a<s>xb", []int{262, 97, 262, 120, 98, 264}, []int{97, 262, 120, 98}},
	{"s>x", []int{262, 267, 264}, []int{267}},
	{"<s>", []int{262, 262, 264}, []int{262}},
	{"x <L>  <R>  y", []int{262, 120, 263, 261, 264, 121, 264}, []int{120, 263, 261, 264, 121}},
	{"<R> <L>", []int{262, 264, 263, 264}, []int{264, 263}},
}

func readSmall(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("testdata/small_tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func fromDoc(t *testing.T, doc map[string]any) (*Tokenizer, error) {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return FromJSON(data)
}

func TestSmallTokenizer(t *testing.T) {
	tok, err := fromDoc(t, readSmall(t))
	if err != nil {
		t.Fatal(err)
	}
	if tok.VocabSize() != 268 || tok.BOS() != 262 {
		t.Errorf("VocabSize %d, BOS %d", tok.VocabSize(), tok.BOS())
	}
	for _, c := range smallCases {
		if got := tok.Encode(c.text, true); !slices.Equal(got, c.ids) {
			t.Errorf("Encode(%q, true) = %v, want %v", c.text, got, c.ids)
		}
		if got := tok.Encode(c.text, false); !slices.Equal(got, c.idsNoBOS) {
			t.Errorf("Encode(%q, false) = %v, want %v", c.text, got, c.idsNoBOS)
		}
	}
	if m := tok.Merges(); len(m) != 6 || m[2] != "Ġt he" {
		t.Errorf("Merges = %q", m)
	}
	if types := tok.TokenTypes(); types[262] != TypeControl || types[265] != TypeUserDefined || types[0] != TypeNormal {
		t.Errorf("types %v", types[260:])
	}
}

func TestFromJSONRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(doc map[string]any)
		want   string // in the error
	}{
		{"model type", func(d map[string]any) { d["model"].(map[string]any)["type"] = "WordPiece" }, "WordPiece"},
		{"byte fallback", func(d map[string]any) { d["model"].(map[string]any)["byte_fallback"] = true }, "byte_fallback"},
		{"dropout", func(d map[string]any) { d["model"].(map[string]any)["dropout"] = 0.1 }, "dropout"},
		{"suffix", func(d map[string]any) { d["model"].(map[string]any)["end_of_word_suffix"] = "</w>" }, "end_of_word_suffix"},
		{"normalizer", func(d map[string]any) { d["normalizer"] = map[string]any{"type": "NFC"} }, "NFC"},
		{"metaspace", func(d map[string]any) {
			d["pre_tokenizer"] = map[string]any{"type": "Metaspace", "replacement": "▁"}
		}, "Metaspace"},
		{"gpt2 byte level", func(d map[string]any) {
			d["pre_tokenizer"] = map[string]any{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}
		}, "ByteLevel"},
		{"other regex", func(d map[string]any) {
			d["pre_tokenizer"].(map[string]any)["pretokenizers"].([]any)[0].(map[string]any)["pattern"] = map[string]any{"Regex": `\s+`}
		}, `\\s+`},
		{"prefix space", func(d map[string]any) {
			d["pre_tokenizer"].(map[string]any)["pretokenizers"].([]any)[1].(map[string]any)["add_prefix_space"] = true
		}, "add_prefix_space=true"},
		{"no pre-tokenizer", func(d map[string]any) { d["pre_tokenizer"] = nil }, "pre_tokenizer null"},
		// A Falcon-style sequence (punctuation, byte level, digits): not
		// LLaMA 3's, so refused rather than guessed (Falcon3 uses its own).
		{"falcon-style pre-tokenizer", func(d map[string]any) {
			d["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
				map[string]any{"type": "Punctuation", "behavior": "contiguous"},
				map[string]any{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
				map[string]any{"type": "Digits", "individual_digits": false},
			}}
		}, "unsupported pre_tokenizer"},
		{"decoder", func(d map[string]any) { d["decoder"] = map[string]any{"type": "WordPiece"} }, "decoder WordPiece"},
		{"post-processor", func(d map[string]any) { d["post_processor"] = map[string]any{"type": "BertProcessing"} }, "BertProcessing"},
		{"bad merge", func(d map[string]any) {
			m := d["model"].(map[string]any)
			m["merges"] = append(m["merges"].([]any), []any{"q", "zz"})
		}, `"zz"`},
		{"no model", func(d map[string]any) { delete(d, "model") }, "no model"},
	}
	for _, c := range cases {
		doc := readSmall(t)
		c.mutate(doc)
		_, err := fromDoc(t, doc)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		}
	}
	for _, bad := range []string{"", "{", "[]", `{"model": {"vocab": {"a": "x"}}}`, `{"model": {"merges": [1]}}`, `{} x`, `{"a" 1}`, `{"model": {"vocab": {"\u12": 1}}}`} {
		if _, err := FromJSON([]byte(bad)); err == nil {
			t.Errorf("FromJSON(%q) succeeded", bad)
		}
	}
}

// Merges as "a b" strings and as [a, b] pairs give the same tokenizer.
func TestMergeFormats(t *testing.T) {
	doc := readSmall(t)
	m := doc["model"].(map[string]any)
	var lines []any
	for _, p := range m["merges"].([]any) {
		pair := p.([]any)
		lines = append(lines, pair[0].(string)+" "+pair[1].(string))
	}
	m["merges"] = lines
	tok, err := fromDoc(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range smallCases {
		if got := tok.Encode(c.text, true); !slices.Equal(got, c.ids) {
			t.Errorf("Encode(%q) = %v, want %v", c.text, got, c.ids)
		}
	}
}

func FuzzFromJSON(f *testing.F) {
	data, err := os.ReadFile("testdata/small_tokenizer.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}`))
	// Nesting just past MaxJSONDepth, in a top-level key and in model: the
	// fuzzer's small inputs would not find the depth limit on their own.
	deep := strings.Repeat("[", MaxJSONDepth+1) + strings.Repeat("]", MaxJSONDepth+1)
	f.Add([]byte(`{"x": ` + deep + `, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}`))
	f.Add([]byte(`{"model": {"type": "BPE", "x": ` + deep + `, "vocab": {"a": 0}, "merges": []}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := FromJSON(data)
		if err != nil {
			return
		}
		s := "a <L> the\xff word"
		tok.Decode(tok.Encode(s, true))
	})
}

// TestSparseIDsRejected: a tiny tokenizer.json with one huge id must not
// make build allocate for every id below it.
func TestSparseIDsRejected(t *testing.T) {
	data, err := os.ReadFile("testdata/small_tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	m := doc["model"].(map[string]any)
	m["vocab"] = map[string]any{"a": maxIDs - 1}
	m["merges"] = []any{}
	doc["added_tokens"] = []any{}
	doc["post_processor"] = nil
	b, _ := json.Marshal(doc)
	if _, err := FromJSON(b); err == nil || !strings.Contains(err.Error(), "too sparse") {
		t.Fatalf("err = %v, want a sparse-vocabulary error", err)
	}
}

// TestDeepNestingRefused: a tokenizer.json nested 8M levels deep (16 MB,
// under hf.MaxTokenizerSize) is refused with a depth error, not a stack
// overflow, anywhere a nested value may sit: a top-level key, a key of
// model, an added token.
func TestDeepNestingRefused(t *testing.T) {
	const depth = 8 << 20
	nest := func(open, closing string) string {
		return strings.Repeat(open, depth) + strings.Repeat(closing, depth)
	}
	for name, doc := range map[string]string{
		"top arrays":   `{"x": ` + nest("[", "]") + `, "model": {}}`,
		"top objects":  `{"x": ` + strings.Repeat(`{"a":`, depth) + `1` + strings.Repeat(`}`, depth) + `}`,
		"model key":    `{"model": {"type": "BPE", "extra": ` + nest("[", "]") + `}}`,
		"added tokens": `{"added_tokens": ` + nest("[", "]") + `}`,
	} {
		_, err := FromJSON([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), "nested deeper than") {
			t.Errorf("%s: err = %.200v, want a nesting-depth error", name, err)
		}
	}
	// The limit leaves room for real files: 100 levels parse.
	ok := `{"x": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}`
	if _, err := FromJSON([]byte(ok)); err != nil && strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("100 levels: %v", err)
	}
}

// TestHugeAddedTokenRefused: an added token of 40 MiB (a control token in a
// GGUF file, or an added_tokens entry) is refused by length, not turned
// into a trie of gigabytes; so are added tokens too long together.
func TestHugeAddedTokenRefused(t *testing.T) {
	doc := readSmall(t)
	added := doc["added_tokens"].([]any)
	huge := map[string]any{"id": 300, "content": strings.Repeat("x", 40<<20), "special": true}
	doc["added_tokens"] = append(added, huge)
	_, err := fromDoc(t, doc)
	if err == nil || !strings.Contains(err.Error(), "41943040 bytes") || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("40 MiB added token: err = %.300v", err)
	}
	_, err = New([]string{"a", "b", strings.Repeat("<", 40<<20)}, []int32{TypeNormal, TypeNormal, TypeControl}, nil, -1, -1)
	if err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("40 MiB control token in GGUF form: err = %.300v", err)
	}
	// Many tokens, each within the limit, too long together.
	tokens := []string{"a"}
	types := []int32{TypeNormal}
	for i := 0; len(tokens)*MaxAddedTokenBytes <= 2*MaxAddedBytes; i++ {
		tokens = append(tokens, fmt.Sprintf("%0*d", MaxAddedTokenBytes, i))
		types = append(types, TypeUserDefined)
	}
	if _, err := New(tokens, types, nil, -1, -1); err == nil || !strings.Contains(err.Error(), "added tokens") {
		t.Fatalf("%d added tokens of %d bytes: err = %.300v", len(tokens)-1, MaxAddedTokenBytes, err)
	}
}
