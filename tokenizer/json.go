package tokenizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/bitnet-go/bitnet/internal/regfile"
)

type jsonAddedToken struct {
	ID         int32  `json:"id"` // not used: ids are assigned as Hugging Face does
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

// jsonModel is tokenizer.json's model less vocab and merges, which
// jsonReader parses.
type jsonModel struct {
	Type                    string   `json:"type"`
	Dropout                 *float64 `json:"dropout"`
	UnkToken                *string  `json:"unk_token"`
	ContinuingSubwordPrefix *string  `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string  `json:"end_of_word_suffix"`
	ByteFallback            bool     `json:"byte_fallback"`
	IgnoreMerges            bool     `json:"ignore_merges"`
}

type jsonTokenizer struct {
	AddedTokens   []jsonAddedToken `json:"added_tokens"`
	Normalizer    json.RawMessage  `json:"normalizer"`
	PreTokenizer  json.RawMessage  `json:"pre_tokenizer"`
	PostProcessor json.RawMessage  `json:"post_processor"`
	Decoder       json.RawMessage  `json:"decoder"`
}

// parsed is tokenizer.json split into what encoding/json decodes and the
// vocabulary and merges that jsonReader decodes.
type parsed struct {
	top        jsonTokenizer
	model      jsonModel
	haveModel  bool
	haveMerges bool
	vocab      []vocabEntry
	merges     []string
}

func parseTokenizerJSON(data []byte) (*parsed, error) {
	r := &jsonReader{data: data, arena: make([]byte, 0, len(data))}
	top := map[string]json.RawMessage{}
	modelRest := map[string]json.RawMessage{}
	var vocabSpans, mergeSpans []span
	var vocabIDs []int32
	p := &parsed{}
	more, err := r.open('{', '}')
	for more && err == nil {
		var k string
		if k, err = r.key(); err != nil {
			break
		}
		if k != "model" || r.peek() != '{' {
			var raw []byte
			if raw, err = r.skip(); err != nil {
				break
			}
			top[k] = raw
			more, err = r.next('}')
			continue
		}
		p.haveModel = true
		var mmore bool
		mmore, err = r.open('{', '}')
		for mmore && err == nil {
			var mk string
			if mk, err = r.key(); err != nil {
				break
			}
			switch {
			case mk == "vocab" && r.peek() == '{':
				vocabSpans, vocabIDs, err = r.vocab()
			case mk == "merges" && r.peek() == '[':
				p.haveMerges = true
				mergeSpans, err = r.merges()
			default:
				var raw []byte
				raw, err = r.skip()
				modelRest[mk] = raw
			}
			if err == nil {
				mmore, err = r.next('}')
			}
		}
		if err == nil {
			more, err = r.next('}')
		}
	}
	if err == nil && r.peek() != 0 {
		err = r.errorf("data after the top-level object")
	}
	if err != nil {
		return nil, err
	}
	arena := string(r.arena)
	p.vocab = make([]vocabEntry, len(vocabSpans))
	for i, s := range vocabSpans {
		p.vocab[i] = vocabEntry{text: arena[s.off : s.off+s.n], id: vocabIDs[i], typ: TypeNormal}
	}
	p.merges = make([]string, len(mergeSpans))
	for i, s := range mergeSpans {
		p.merges[i] = arena[s.off : s.off+s.n]
	}
	if err := remarshal(top, &p.top); err != nil {
		return nil, err
	}
	if err := remarshal(modelRest, &p.model); err != nil {
		return nil, err
	}
	return p, nil
}

func remarshal(fields map[string]json.RawMessage, v any) error {
	b, err := json.Marshal(fields)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return fmt.Errorf("tokenizer: parsing tokenizer.json: %w", err)
	}
	return nil
}

// jsonComponent holds the fields of the pre-tokenizer, post-processor and
// decoder variants that are checked.
type jsonComponent struct {
	Type           string            `json:"type"`
	PreTokenizers  []json.RawMessage `json:"pretokenizers"`
	Processors     []json.RawMessage `json:"processors"`
	Pattern        *jsonPattern      `json:"pattern"`
	Behavior       string            `json:"behavior"`
	Invert         bool              `json:"invert"`
	AddPrefixSpace bool              `json:"add_prefix_space"`
	UseRegex       *bool             `json:"use_regex"`
	Single         []jsonPiece       `json:"single"`
	SpecialTokens  map[string]struct {
		IDs []int32 `json:"ids"`
	} `json:"special_tokens"`
}

type jsonPattern struct {
	Regex  *string `json:"Regex"`
	String *string `json:"String"`
}

type jsonPiece struct {
	SpecialToken *struct {
		ID string `json:"id"`
	} `json:"SpecialToken"`
	Sequence *struct {
		ID string `json:"id"`
	} `json:"Sequence"`
}

func isNull(m json.RawMessage) bool {
	m = bytes.TrimSpace(m)
	return len(m) == 0 || bytes.Equal(m, []byte("null"))
}

// FromJSON parses a Hugging Face tokenizer.json. Only what this package
// reproduces exactly is accepted: a BPE model (no dropout, byte fallback,
// subword prefix or suffix), no normalizer, LLaMA 3's pre-tokenizer
// (Sequence[Split(LLaMA 3 regex, Isolated), ByteLevel(use_regex=false)]), a
// ByteLevel decoder, and a post-processor made of ByteLevel and
// TemplateProcessing. Anything else is an error naming it.
//
// BOS is the first special token of the template's single sequence (or
// <|begin_of_text|>); EOS is <|eot_id|> if present (LLaMA 3 chat models,
// BitNet b1.58 2B4T), else <|end_of_text|>, </s> or <|endoftext|>; use
// IsEOG to stop a generation.
func FromJSON(data []byte) (*Tokenizer, error) {
	p, err := parseTokenizerJSON(data)
	if err != nil {
		return nil, err
	}
	j, m := &p.top, &p.model
	if !p.haveModel {
		return nil, errors.New("tokenizer: tokenizer.json has no model")
	}
	if m.Type == "" && p.haveMerges {
		m.Type = "BPE" // files from old versions of tokenizers omit it
	}
	if m.Type != "BPE" {
		return nil, fmt.Errorf("tokenizer: unsupported model type %q (only BPE)", m.Type)
	}
	switch {
	case m.Dropout != nil && *m.Dropout != 0:
		return nil, fmt.Errorf("tokenizer: unsupported BPE dropout %v", *m.Dropout)
	case m.ContinuingSubwordPrefix != nil && *m.ContinuingSubwordPrefix != "":
		return nil, fmt.Errorf("tokenizer: unsupported BPE continuing_subword_prefix %q", *m.ContinuingSubwordPrefix)
	case m.EndOfWordSuffix != nil && *m.EndOfWordSuffix != "":
		return nil, fmt.Errorf("tokenizer: unsupported BPE end_of_word_suffix %q", *m.EndOfWordSuffix)
	case m.ByteFallback:
		return nil, errors.New("tokenizer: unsupported BPE byte_fallback")
	}
	if !isNull(j.Normalizer) {
		return nil, fmt.Errorf("tokenizer: unsupported normalizer %s", describe(j.Normalizer))
	}
	if err := checkPreTokenizer(j.PreTokenizer); err != nil {
		return nil, err
	}
	if err := checkDecoder(j.Decoder); err != nil {
		return nil, err
	}
	added := make([]addedToken, len(j.AddedTokens))
	for i, a := range j.AddedTokens {
		added[i] = addedToken{id: -1, content: a.Content, special: a.Special, normalized: a.Normalized,
			lstrip: a.LStrip, rstrip: a.RStrip, singleWord: a.SingleWord}
	}
	t, err := build(0, p.vocab, added, p.merges, true, m.IgnoreMerges)
	if err != nil {
		return nil, err
	}
	if err := t.setPostProcessor(j.PostProcessor); err != nil {
		return nil, err
	}
	if t.bos < 0 {
		if id, ok := t.otherIDs["<|begin_of_text|>"]; ok {
			t.bos = int(id)
		}
	}
	for _, s := range []string{"<|eot_id|>", "<|end_of_text|>", "</s>", "<|endoftext|>"} {
		if id, ok := t.TokenID(s); ok {
			t.eos = int(id)
			break
		}
	}
	t.setEOG()
	return t, nil
}

// MaxJSONSize caps a tokenizer.json read by FromJSONFile (LLaMA 3's is
// 9 MB).
const MaxJSONSize = 64 << 20

// FromJSONFile reads the tokenizer.json at path (a regular file of at most
// MaxJSONSize bytes) and parses it with FromJSON.
func FromJSONFile(path string) (*Tokenizer, error) {
	data, err := regfile.ReadFile(path, MaxJSONSize)
	if err != nil {
		return nil, err
	}
	t, err := FromJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

func describe(m json.RawMessage) string {
	var c jsonComponent
	if json.Unmarshal(m, &c) == nil && c.Type != "" {
		return c.Type
	}
	s := string(bytes.TrimSpace(m))
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return s
}

func checkPreTokenizer(raw json.RawMessage) error {
	const want = "Sequence[Split(LLaMA 3 regex, Isolated), ByteLevel(add_prefix_space=false, use_regex=false)]"
	if isNull(raw) {
		return fmt.Errorf("tokenizer: unsupported pre_tokenizer null (want %s)", want)
	}
	var seq jsonComponent
	if err := json.Unmarshal(raw, &seq); err != nil {
		return fmt.Errorf("tokenizer: parsing pre_tokenizer: %w", err)
	}
	if seq.Type != "Sequence" || len(seq.PreTokenizers) != 2 {
		return fmt.Errorf("tokenizer: unsupported pre_tokenizer %s (want %s)", describeSeq(seq), want)
	}
	var split, bl jsonComponent
	if json.Unmarshal(seq.PreTokenizers[0], &split) != nil || json.Unmarshal(seq.PreTokenizers[1], &bl) != nil {
		return fmt.Errorf("tokenizer: unsupported pre_tokenizer (want %s)", want)
	}
	if split.Type != "Split" || split.Pattern == nil || split.Pattern.Regex == nil ||
		*split.Pattern.Regex != llama3Pattern || split.Behavior != "Isolated" || split.Invert {
		p := "?"
		if split.Pattern != nil && split.Pattern.Regex != nil {
			p = *split.Pattern.Regex
		}
		return fmt.Errorf("tokenizer: unsupported pre_tokenizer %s with pattern %q, behavior %q, invert %v (want %s)",
			split.Type, p, split.Behavior, split.Invert, want)
	}
	if bl.Type != "ByteLevel" || bl.AddPrefixSpace || (bl.UseRegex != nil && *bl.UseRegex) {
		return fmt.Errorf("tokenizer: unsupported pre_tokenizer step %s (add_prefix_space=%v, use_regex=%v) (want %s)",
			bl.Type, bl.AddPrefixSpace, bl.UseRegex == nil || *bl.UseRegex, want)
	}
	return nil
}

func describeSeq(c jsonComponent) string {
	if c.Type != "Sequence" {
		return c.Type
	}
	var names []string
	for _, p := range c.PreTokenizers {
		names = append(names, describe(p))
	}
	return "Sequence[" + strings.Join(names, ", ") + "]"
}

func checkDecoder(raw json.RawMessage) error {
	if isNull(raw) {
		return errors.New("tokenizer: unsupported decoder null (want ByteLevel)")
	}
	var d jsonComponent
	if err := json.Unmarshal(raw, &d); err != nil {
		return fmt.Errorf("tokenizer: parsing decoder: %w", err)
	}
	if d.Type != "ByteLevel" {
		return fmt.Errorf("tokenizer: unsupported decoder %s (want ByteLevel)", d.Type)
	}
	return nil
}

// setPostProcessor accepts null, ByteLevel (it changes only offsets),
// TemplateProcessing, and a Sequence of those; the template's single
// sequence gives the ids Encode adds around the text.
func (t *Tokenizer) setPostProcessor(raw json.RawMessage) error {
	if isNull(raw) {
		return nil
	}
	var p jsonComponent
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("tokenizer: parsing post_processor: %w", err)
	}
	switch p.Type {
	case "ByteLevel":
		return nil
	case "Sequence":
		for _, sub := range p.Processors {
			if err := t.setPostProcessor(sub); err != nil {
				return err
			}
		}
		return nil
	case "TemplateProcessing":
		var prefix, suffix []int32
		seen := false
		for _, piece := range p.Single {
			switch {
			case piece.Sequence != nil:
				if seen {
					return errors.New("tokenizer: unsupported TemplateProcessing with two sequences in single")
				}
				seen = true
			case piece.SpecialToken != nil:
				st, ok := p.SpecialTokens[piece.SpecialToken.ID]
				if !ok {
					return fmt.Errorf("tokenizer: TemplateProcessing special token %q not defined", piece.SpecialToken.ID)
				}
				for _, id := range st.IDs {
					if id < 0 || int(id) >= len(t.tokens) {
						return fmt.Errorf("tokenizer: TemplateProcessing special token %q has id %d out of range", piece.SpecialToken.ID, id)
					}
				}
				if seen {
					suffix = append(suffix, st.IDs...)
				} else {
					prefix = append(prefix, st.IDs...)
				}
			}
		}
		t.prefix, t.suffix = prefix, suffix
		if len(prefix) > 0 {
			t.bos = int(prefix[0])
		}
		return nil
	}
	return fmt.Errorf("tokenizer: unsupported post_processor %s", p.Type)
}
