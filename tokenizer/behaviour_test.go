package tokenizer

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// Expected ids from Hugging Face tokenizers (add_special_tokens=false).
var edgeCases = []struct {
	name, text string
	ids        []int
}{
	{"trailing spaces", "trailing   ", []int{376, 14612, 262}},
	{"newlines", "\n\n\n", []int{1432}},
	{"tabs", "a\tb\t\tc", []int{64, 2282, 197, 1470}},
	{"two leading spaces", "  a", []int{220, 264}},
	{"digits", "12345", []int{4513, 1774}},
	{"space digits", " 12345", []int{220, 4513, 1774}},
	{"spaces then newlines", "x  \n\ny", []int{87, 19124, 88}},
	{"special in the middle", "Hello<|eot_id|>world", []int{9906, 128009, 14957}},
	{"special after space", "A <|start_header_id|>b", []int{32, 220, 128006, 65}},
	{"nbsp", "\u00a0\u00a0x", []int{4194, 4194, 87}},
	{"emoji", "🙂", []int{9468, 19044}},
	{"emoji modifier", "👍🏽", []int{9468, 239, 235, 9468, 237, 121}},
	{"empty", "", nil},
}

func TestEdgeCases(t *testing.T) {
	for name, tok := range tokenizers(t) {
		for _, c := range edgeCases {
			got := tok.Encode(c.text, false)
			if !slices.Equal(got, c.ids) && !(len(got) == 0 && len(c.ids) == 0) {
				t.Errorf("%s: %s: Encode(%q) = %v, want %v", name, c.name, c.text, got, c.ids)
			}
			if dec := tok.Decode(got); dec != c.text {
				t.Errorf("%s: %s: Decode = %q, want %q", name, c.name, dec, c.text)
			}
		}
	}
}

func TestSpecialTokens(t *testing.T) {
	tok := tokenizers(t)["json"]
	text := "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|reserved_special_token_247|>"
	ids := tok.Encode(text, true)
	want := []int{128000, 128006, 882, 128007, 271, 13347, 128009, 128255}
	if !slices.Equal(ids, want) {
		t.Fatalf("Encode = %v, want %v", ids, want)
	}
	if got := tok.Decode(ids); got != "<|begin_of_text|>"+text {
		t.Errorf("Decode = %q", got)
	}
	// Not quite special tokens: encoded as text.
	for _, s := range []string{"<|eot_id", "<|eot_id |>", "<|EOT_ID|>", "< |eot_id|>"} {
		for _, id := range tok.Encode(s, false) {
			if tok.IsSpecial(id) {
				t.Errorf("Encode(%q) has special token %d", s, id)
			}
		}
	}
}

func TestStreamDecoder(t *testing.T) {
	for name, tok := range tokenizers(t) {
		text := "ok 👍🏽 日本語 done 🙂"
		ids := tok.Encode(text, false)
		d := tok.NewStreamDecoder()
		var sb strings.Builder
		split := false
		for _, id := range ids {
			s := d.Add(id)
			if !utf8.ValidString(s) {
				t.Fatalf("%s: Add(%d) = %q, not valid UTF-8", name, id, s)
			}
			if s == "" {
				split = true // the emoji's first token completes no character
			}
			sb.WriteString(s)
		}
		sb.WriteString(d.Flush())
		if sb.String() != text {
			t.Errorf("%s: streamed %q, want %q", name, sb.String(), text)
		}
		if !split {
			t.Errorf("%s: no token held back; the test does not split a character", name)
		}
		// 🙂 is two tokens: nothing after the first, all of it after the second.
		e := tok.Encode("🙂", false)
		if len(e) != 2 {
			t.Fatalf("%s: 🙂 is %v", name, e)
		}
		if s := d.Add(e[0]); s != "" {
			t.Errorf("%s: first half of 🙂 gave %q", name, s)
		}
		if s := d.Add(e[1]); s != "🙂" {
			t.Errorf("%s: second half of 🙂 gave %q", name, s)
		}
		// An incomplete character at the end is flushed as U+FFFD.
		d.Add(e[0])
		if s := d.Flush(); s != "\uFFFD" {
			t.Errorf("%s: Flush = %q", name, s)
		}
		// A broken sequence followed by text: U+FFFD, then the text.
		if s := d.Add(e[0]) + d.Add(tok.Encode("a", false)[0]); s != "\uFFFDa" {
			t.Errorf("%s: broken sequence gave %q", name, s)
		}
		if s := d.Add(128009); s != "<|eot_id|>" {
			t.Errorf("%s: special token gave %q", name, s)
		}
		if s := d.Add(-1) + d.Add(1<<30); s != "" {
			t.Errorf("%s: unknown ids gave %q", name, s)
		}
	}
}

func TestLossy(t *testing.T) {
	cases := []struct{ in, want string }{
		{"abc", "abc"},
		{"\xff", "\uFFFD"},
		{"a\xe2\x82b", "a\uFFFDb"},             // truncated 3-byte sequence: one U+FFFD
		{"\xe2\x82\xac", "€"},                  // complete
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"}, // surrogate: ED then two bad bytes
		{"\xf0\x9f\x99", "\uFFFD"},
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"\xc0\xaf", "\uFFFD\uFFFD"},
	}
	for _, c := range cases {
		if got := lossyString([]byte(c.in)); got != c.want {
			t.Errorf("lossy(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// roundTrip checks what holds for any input.
func roundTrip(t *testing.T, tok *Tokenizer, s string) {
	ids := tok.Encode(s, false)
	if got := tok.DecodeBytes(ids); !bytes.Equal(got, []byte(s)) {
		t.Fatalf("DecodeBytes(Encode(%q)) = %q", s, got)
	}
	if utf8.ValidString(s) {
		if got := tok.Decode(ids); got != s {
			t.Fatalf("Decode(Encode(%q)) = %q", s, got)
		}
		d := tok.NewStreamDecoder()
		var sb strings.Builder
		for _, id := range ids {
			sb.WriteString(d.Add(id))
		}
		sb.WriteString(d.Flush())
		if sb.String() != s {
			t.Fatalf("stream decode of %q = %q", s, sb.String())
		}
	} else if got := tok.Decode(ids); !utf8.ValidString(got) {
		t.Fatalf("Decode(Encode(%q)) = %q is not valid UTF-8", s, got)
	}
	for _, id := range ids {
		if id < 0 || id >= tok.VocabSize() {
			t.Fatalf("Encode(%q) gave id %d", s, id)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	tok := tokenizers(t)["json"]
	for _, v := range loadVectors(t, "vectors.json") {
		roundTrip(t, tok, v.Text)
	}
	for _, s := range []string{"\xff\xfe", "a\x80b", "\xe2\x82", "x\xf0\x9f\x99 y", "<|eot_id|>\xc3", "'\xc5", "\xc5\xbf", "\r\xff\n"} {
		roundTrip(t, tok, s)
	}
}

func FuzzRoundTrip(f *testing.F) {
	for _, v := range loadVectors(f, "vectors.json") {
		f.Add(v.Text)
	}
	for _, c := range edgeCases {
		f.Add(c.text)
	}
	f.Add("\xff\xfe<|eot_id|>\xe2\x82")
	tok := tokenizers(f)["json"]
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, tok, s)
	})
}

// bpe with the quadratic scan and with the heap must agree.
func TestBPEPaths(t *testing.T) {
	tok := tokenizers(t)["json"]
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "e", "t", "s", "th", "in", "er", " ", "é", "日", "🙂", "!", "\xff"}
	for i := 0; i < 3000; i++ {
		var sb strings.Builder
		n := 1 + r.IntN(60)
		for k := 0; k < n; k++ {
			sb.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		w := sb.String()
		if len(w) > smallWord {
			w = w[:smallWord]
		}
		small := tok.bpe(w, nil)
		large := tok.bpeLarge(w, nil)
		if !slices.Equal(small, large) {
			t.Fatalf("bpe(%q): small %v, large %v", w, small, large)
		}
	}
}

func TestConcurrent(t *testing.T) {
	tok := tokenizers(t)["json"]
	vs := loadVectors(t, "vectors.json")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				for _, v := range vs {
					if got := tok.Encode(v.Text+" zqxv", true); !slices.Equal(got[:len(v.IDs)], v.IDs) {
						t.Errorf("concurrent Encode(%q) = %v", v.Text, got)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestUnicode16Classes(t *testing.T) {
	for _, c := range []struct {
		r   rune
		cls uint8
	}{{0x13460, cLetter}, {0x2EBF0, cLetter}, {0x1C89, cLetter}, {0x1CCF0, cNumber}, {0x10D40, cNumber}, {0x1C88, cLetter}, {0x3000, cSpace}, {0xFEFF, cOther}, {0x180E, cOther}, {0x85, cSpace}} {
		if got, _ := classify(string(c.r), 0); got != c.cls {
			t.Errorf("class of %U = %d, want %d", c.r, got, c.cls)
		}
	}
}

func TestNew(t *testing.T) {
	tokens := []string{"a", "b", "ab", "Ġ", "Ġab", "<|bos|>", "<|eos|>", "[PAD7]"}
	types := []int32{1, 1, 1, 1, 1, 3, 3, 5}
	tok, err := New(tokens, types, []string{"a b", "Ġ ab", "x y"}, 5, 6)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Encode("ab ab<|eos|>", true); !slices.Equal(got, []int{5, 2, 4, 6}) {
		t.Errorf("Encode = %v", got)
	}
	if tok.BOS() != 5 || tok.EOS() != 6 || tok.VocabSize() != 8 {
		t.Errorf("BOS %d EOS %d size %d", tok.BOS(), tok.EOS(), tok.VocabSize())
	}
	if got := tok.Decode([]int{5, 4, 7, 99}); got != "<|bos|> ab" {
		t.Errorf("Decode = %q", got)
	}
	if !slices.Equal(tok.TokenTypes(), types) || !slices.Equal(tok.Tokens(), tokens) {
		t.Errorf("accessors: %v %v", tok.Tokens(), tok.TokenTypes())
	}
	// A byte with no token is dropped, as Hugging Face does without unk.
	if got := tok.Encode("c", false); len(got) != 0 {
		t.Errorf("Encode(c) = %v", got)
	}
	for _, bad := range []struct {
		tokens []string
		types  []int32
		merges []string
	}{
		{nil, nil, nil},
		{[]string{"a"}, []int32{1, 1}, nil},
		{[]string{"a"}, nil, []string{"a"}},
		{[]string{"a"}, nil, []string{"a b c"}},
	} {
		if _, err := New(bad.tokens, bad.types, bad.merges, -1, -1); err == nil {
			t.Errorf("New(%q, %v, %q) succeeded", bad.tokens, bad.types, bad.merges)
		}
	}
}

func TestByteLevel(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	enc := byteLevelEncode(string(all))
	if utf8.RuneCountInString(enc) != 256 || !strings.HasPrefix(enc, "ĀāĂ") || !strings.Contains(enc, "ğĠ!\"#") {
		t.Errorf("byteLevelEncode = %q", enc)
	}
	if byteLevelEncode(" \n\t") != "ĠĊĉ" {
		t.Errorf("byteLevelEncode(space, newline, tab) = %q", byteLevelEncode(" \n\t"))
	}
	dec, ok := appendByteLevelDecode(nil, enc)
	if !ok || !bytes.Equal(dec, all) {
		t.Errorf("appendByteLevelDecode did not invert byteLevelEncode")
	}
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"ŀ", "\x9e", true},
		{"<|eot_id|>ĉ", "<|eot_id|>\t", true},
		{" ", " ", false}, // the space is not in the alphabet: kept as it is
		{"<|eot_id|>ĉ ", "<|eot_id|>ĉ ", false},
		{"\xff", "\xff", false},
	} {
		got, ok := appendByteLevelDecode(nil, c.in)
		if string(got) != c.want || ok != c.ok {
			t.Errorf("appendByteLevelDecode(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestEOG(t *testing.T) {
	for name, tok := range tokenizers(t) {
		if tok.EOS() != 128009 {
			t.Errorf("%s: EOS = %d", name, tok.EOS())
		}
		for id, want := range map[int]bool{128009: true, 128001: true, 128008: true, 128000: false, 13: false, -1: false} {
			if tok.IsEOG(id) != want {
				t.Errorf("%s: IsEOG(%d) = %v", name, id, !want)
			}
		}
	}
}
