package tokenizer

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Token types, as in GGUF's tokenizer.ggml.token_type (llama.cpp's
// llama_token_type).
const (
	TypeNormal      int32 = 1
	TypeUnknown     int32 = 2
	TypeControl     int32 = 3
	TypeUserDefined int32 = 4
	TypeUnused      int32 = 5
	TypeByte        int32 = 6
)

// maxIDs bounds token ids (the largest vocabularies have a few hundred
// thousand tokens), so that a corrupt file cannot make build allocate
// gigabytes.
const maxIDs = 1 << 22

// maxUnusedIDs bounds the ids without a token beyond one per token: build
// allocates about 30 bytes per id up to the largest, so without it a
// one-token vocabulary with id 4194303 (an 800-byte tokenizer.json) would
// cost 120 MB. Real vocabularies are dense.
const maxUnusedIDs = 1 << 16

// Tokenizer is a byte-level BPE tokenizer. It is safe for concurrent use.
type Tokenizer struct {
	tokens []string // id -> vocabulary string; "" for ids without a token
	types  []int32  // id -> Type*
	has    []bool   // id -> the id has a token
	added  []bool   // id -> the token is an added token

	pieceOff []uint32 // id -> [pieceOff[id], pieceEnd[id]) in pieces
	pieceEnd []uint32
	pieces   string // decoded bytes of every token

	vocab    map[string]int32 // raw bytes of a model token -> id
	otherIDs map[string]int32 // added token content, or model token not in byte-level form -> id

	merges    mergeTable
	mergeList []string // "a b", by rank
	byteID    [256]int32

	ignoreMerges bool
	// Added tokens are found in two passes, as Hugging Face does: first the
	// ones matched on raw text (normalized=false), then in what remains the
	// ones matched on normalized text.
	rawAdded, normAdded *matcher

	prefix, suffix []int32 // added by Encode when addBOS
	bos, eos       int
	eog            []int // end-of-generation tokens besides eos

	cache wordCache
}

// vocabEntry is one model (non-added) token.
type vocabEntry struct {
	text string // byte-level form
	id   int32
	typ  int32 // TypeNormal, or a GGUF type other than control/user-defined
}

// build assembles a Tokenizer of at least size ids. An added token with a
// negative id gets the id Hugging Face assigns when loading tokenizer.json:
// the id of the same content if it already has one (added before, or in the
// model vocabulary), else the next id after the model vocabulary and the
// added tokens so far. merges are "a b" strings of vocabulary strings in
// rank order; strict makes merges naming unknown tokens an error (Hugging
// Face) instead of skipping them (llama.cpp tolerates them).
// Bounds on added (special, control, user-defined) tokens, which are
// matched in the text with a byte trie of one node per byte: real ones are
// a few dozen bytes (LLaMA 3's 256 take 7 KB together).
const (
	MaxAddedTokenBytes = 1 << 10 // one added token's content
	MaxAddedBytes      = 2 << 20 // all added tokens' contents together
)

// checkAdded refuses added tokens past MaxAddedTokenBytes or, together,
// MaxAddedBytes, before the trie is built.
func checkAdded(added []addedToken) error {
	total := 0
	for _, a := range added {
		if len(a.content) > MaxAddedTokenBytes {
			return fmt.Errorf("tokenizer: an added token (%q...) is %d bytes long, at most %d are accepted", a.content[:16], len(a.content), MaxAddedTokenBytes)
		}
		total += len(a.content)
	}
	if total > MaxAddedBytes {
		return fmt.Errorf("tokenizer: %d added tokens are %d bytes long together, at most %d are accepted", len(added), total, MaxAddedBytes)
	}
	return nil
}

func build(size int, model []vocabEntry, added []addedToken, merges []string, strict, ignoreMerges bool) (*Tokenizer, error) {
	if err := checkAdded(added); err != nil {
		return nil, err
	}
	t := &Tokenizer{ignoreMerges: ignoreMerges, bos: -1, eos: -1}
	// Model tokens: their decoded bytes go to one arena, and the vocabulary
	// is keyed by raw bytes, so that a pre-token is looked up as it is.
	arena := make([]byte, 0, 8*len(model)+64)
	spans := make([]span, len(model))
	decodable := make([]bool, len(model))
	for i, e := range model {
		if e.id < 0 || e.id >= maxIDs {
			return nil, fmt.Errorf("tokenizer: id %d of token %q out of range", e.id, e.text)
		}
		size = max(size, int(e.id)+1)
		n := len(arena)
		arena, decodable[i] = appendByteLevelDecode(arena, e.text)
		spans[i] = span{int32(n), int32(len(arena) - n)}
		if len(arena) > 1<<31-1 {
			return nil, errors.New("tokenizer: vocabulary too large")
		}
	}
	pieces := string(arena)
	t.vocab = make(map[string]int32, len(model))
	t.otherIDs = make(map[string]int32)
	for i, e := range model {
		if decodable[i] {
			t.vocab[pieces[spans[i].off:spans[i].off+spans[i].n]] = e.id
		} else {
			t.otherIDs[e.text] = e.id
		}
	}
	modelLen := int32(len(t.vocab) + len(t.otherIDs)) // distinct model tokens

	// Added tokens.
	index := make(map[string]int, len(added)) // content -> index in list
	var list []addedToken
	maxAdded := int32(-1)
	for _, a := range added {
		if a.id < 0 {
			if a.content == "" {
				continue // Hugging Face ignores it
			}
			if k, ok := index[a.content]; ok {
				a.id = list[k].id
			} else if id, ok := t.modelID(a.content); ok {
				a.id = id
			} else if maxAdded >= modelLen || (maxAdded >= 0 && modelLen == 0) {
				a.id = maxAdded + 1
			} else {
				a.id = modelLen
			}
		}
		if a.id >= maxIDs {
			return nil, fmt.Errorf("tokenizer: id %d of added token %q out of range", a.id, a.content)
		}
		maxAdded = max(maxAdded, a.id)
		size = max(size, int(a.id)+1)
		if k, ok := index[a.content]; ok && list[k].id == a.id {
			list[k] = a // the same token again: the later flags win
			continue
		}
		index[a.content] = len(list)
		list = append(list, a)
	}
	added = list
	if n := len(model) + len(added); size > 2*n+maxUnusedIDs {
		return nil, fmt.Errorf("tokenizer: ids up to %d for %d tokens: the vocabulary is too sparse", size-1, n)
	}

	t.tokens = make([]string, size)
	t.types = make([]int32, size)
	t.has = make([]bool, size)
	t.added = make([]bool, size)
	t.pieceOff = make([]uint32, size)
	t.pieceEnd = make([]uint32, size)
	for i, e := range model {
		t.tokens[e.id] = e.text
		t.types[e.id] = e.typ
		t.has[e.id] = true
		t.pieceOff[e.id] = uint32(spans[i].off)
		t.pieceEnd[e.id] = uint32(spans[i].off + spans[i].n)
	}
	for _, a := range added {
		// An added token may have the id of a model token (the same
		// content): the model keeps it, so BPE may still produce it.
		t.tokens[a.id] = a.content
		t.has[a.id] = true
		t.added[a.id] = true
		if a.special {
			t.types[a.id] = TypeControl
		} else {
			t.types[a.id] = TypeUserDefined
		}
		t.otherIDs[a.content] = a.id
		n := len(arena)
		arena, _ = appendByteLevelDecode(arena, a.content)
		t.pieceOff[a.id] = uint32(n)
		t.pieceEnd[a.id] = uint32(len(arena))
	}
	if len(arena) > 1<<32-1 {
		return nil, errors.New("tokenizer: vocabulary too large")
	}
	if len(arena) != len(pieces) {
		pieces = string(arena) // the model pieces are a prefix: the vocab keys stay valid
	}
	t.pieces = pieces
	for b := range t.byteID {
		t.byteID[b] = -1
		if id, ok := t.vocab[string([]byte{byte(b)})]; ok {
			t.byteID[b] = id
		}
	}

	if err := t.setMerges(merges, strict); err != nil {
		return nil, err
	}
	var rawTok, normTok []addedToken
	for _, a := range added {
		if a.normalized {
			normTok = append(normTok, a)
		} else {
			rawTok = append(rawTok, a)
		}
	}
	t.rawAdded = newMatcher(rawTok)
	t.normAdded = newMatcher(normTok)
	return t, nil
}

// setMerges resolves the merges to ids (in two goroutines: the lookups
// are most of the loading time) and fills the merge table.
func (t *Tokenizer) setMerges(merges []string, strict bool) error {
	t.mergeList = merges
	keys := make([]uint64, len(merges)) // emptyKey: the merge never applies
	results := make([]int32, len(merges))
	errs := make([]error, 2)
	var wg sync.WaitGroup
	half := len(merges) / 2
	for part, r := range [2][2]int{{0, half}, {half, len(merges)}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[part] = t.resolveMerges(merges, r[0], r[1], strict, keys, results)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	t.merges = newMergeTable(len(merges))
	for rank, k := range keys {
		if k != emptyKey {
			t.merges.put(k, merge{rank: int32(rank), id: results[rank]}) // a later duplicate wins, as in HF
		}
	}
	return nil
}

func (t *Tokenizer) resolveMerges(merges []string, from, to int, strict bool, keys []uint64, results []int32) error {
	var raw []byte
	for rank := from; rank < to; rank++ {
		m := merges[rank]
		keys[rank] = emptyKey
		a, b, ok := strings.Cut(m, " ")
		if !ok || strings.Contains(b, " ") {
			return fmt.Errorf("tokenizer: merge %d %q is not two space-separated tokens", rank, m)
		}
		var okA, okB bool
		raw, okA = appendByteLevelDecode(raw[:0], a)
		na := len(raw)
		raw, okB = appendByteLevelDecode(raw, b)
		idA, inA := t.vocab[string(raw[:na])]
		idB, inB := t.vocab[string(raw[na:])]
		idC, inC := t.vocab[string(raw)]
		if okA && okB && inA && inB && inC {
			keys[rank], results[rank] = pairKey(idA, idB), idC
			continue
		}
		if !strict {
			continue
		}
		// A merge of tokens outside the byte-level alphabet can never
		// apply; Hugging Face only requires the tokens to exist.
		for _, part := range []string{a, b, a + b} {
			if _, ok := t.modelID(part); !ok {
				return fmt.Errorf("tokenizer: merge %d %q: token %q is not in the vocabulary", rank, m, part)
			}
		}
	}
	return nil
}

// modelID returns the id of a model (not added) token given in vocabulary
// (byte-level) form.
func (t *Tokenizer) modelID(s string) (int32, bool) {
	if id, ok := t.otherIDs[s]; ok && (t.added == nil || !t.added[id]) {
		return id, true
	}
	var buf [64]byte
	raw, ok := appendByteLevelDecode(buf[:0], s)
	if !ok {
		return 0, false
	}
	id, ok := t.vocab[string(raw)]
	return id, ok
}

// New builds a tokenizer from GGUF tokenizer.ggml.* metadata: tokens (in
// byte-level form, index = id), their token types (nil means all normal;
// TypeControl tokens become special added tokens and TypeUserDefined tokens
// non-special added tokens, both matched in the text before
// pre-tokenization; TypeUnused tokens are not part of the vocabulary),
// merges as "a b" strings in rank order, and the BOS and EOS ids (-1 for
// none). The llama-bpe (LLaMA 3) pre-tokenizer and ignore_merges are
// assumed. Merges naming unknown tokens are skipped, as llama.cpp tolerates.
func New(tokens []string, tokenTypes []int32, merges []string, bos, eos int) (*Tokenizer, error) {
	if tokenTypes != nil && len(tokenTypes) != len(tokens) {
		return nil, fmt.Errorf("tokenizer: %d token types for %d tokens", len(tokenTypes), len(tokens))
	}
	if len(tokens) == 0 {
		return nil, errors.New("tokenizer: empty vocabulary")
	}
	if bos >= len(tokens) || eos >= len(tokens) {
		return nil, fmt.Errorf("tokenizer: bos %d or eos %d out of range for %d tokens", bos, eos, len(tokens))
	}
	model := make([]vocabEntry, 0, len(tokens))
	var added []addedToken
	for i, s := range tokens {
		typ := TypeNormal
		if tokenTypes != nil {
			typ = tokenTypes[i]
		}
		switch typ {
		case TypeControl, TypeUserDefined:
			added = append(added, addedToken{id: int32(i), content: s, special: typ == TypeControl})
		case TypeUnused:
		default:
			model = append(model, vocabEntry{text: s, id: int32(i), typ: typ})
		}
	}
	t, err := build(len(tokens), model, added, slices.Clone(merges), false, true)
	if err != nil {
		return nil, err
	}
	t.bos, t.eos = max(bos, -1), max(eos, -1)
	if bos >= 0 {
		t.prefix = []int32{int32(bos)}
	}
	t.setEOG()
	return t, nil
}

// Encode tokenizes text as Hugging Face's Tokenizer.encode does: added
// (special) tokens found in the text become their ids, the rest is
// pre-tokenized and BPE-merged. With addBOS the post-processor's template
// is applied (for LLaMA 3: BOS in front).
//
// Invalid UTF-8 never panics: each invalid byte is one character of the
// "other" class (as U+FFFD would be) for pre-tokenization, and its raw byte
// goes through the byte-level map, so DecodeBytes(Encode(s)) == s for any s.
func (t *Tokenizer) Encode(text string, addBOS bool) []int {
	ids := make([]int32, 0, len(text)/4+4)
	if addBOS {
		ids = append(ids, t.prefix...)
	}
	ids = t.encodeTo(text, ids)
	if addBOS {
		ids = append(ids, t.suffix...)
	}
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = int(id)
	}
	return out
}

func (t *Tokenizer) encodeTo(text string, ids []int32) []int32 {
	t.rawAdded.split(text,
		func(s string) {
			t.normAdded.split(s,
				func(s string) { ids = t.encodeText(s, ids) },
				func(id int32) { ids = append(ids, id) })
		},
		func(id int32) { ids = append(ids, id) })
	return ids
}

// encodeText pre-tokenizes and BPE-encodes text that holds no added token.
func (t *Tokenizer) encodeText(s string, ids []int32) []int32 {
	for i := 0; i < len(s); {
		j := nextLlama3(s, i)
		ids = t.encodeWord(s[i:j], ids)
		i = j
	}
	return ids
}

func (t *Tokenizer) encodeWord(w string, ids []int32) []int32 {
	if t.ignoreMerges {
		if id, ok := t.vocab[w]; ok {
			return append(ids, id)
		}
	}
	if cached, ok := t.cache.get(w); ok {
		return append(ids, cached...)
	}
	n := len(ids)
	ids = t.bpe(w, ids)
	if len(w) <= maxCachedWord {
		t.cache.put(strings.Clone(w), append([]int32(nil), ids[n:]...))
	}
	return ids
}

// piece returns the bytes that id decodes to (nil for an unknown id).
func (t *Tokenizer) piece(id int) string {
	if id < 0 || id >= len(t.has) || !t.has[id] {
		return ""
	}
	return t.pieces[t.pieceOff[id]:t.pieceEnd[id]]
}

// DecodeBytes returns the concatenated bytes of the tokens, inverting the
// byte-level map; ids without a token are skipped. The result may be
// invalid UTF-8 if the ids split a character.
func (t *Tokenizer) DecodeBytes(ids []int) []byte {
	var out []byte
	for _, id := range ids {
		out = append(out, t.piece(id)...)
	}
	return out
}

// Decode returns the text of ids as Hugging Face's decode(ids,
// skip_special_tokens=false) does with the ByteLevel decoder: special tokens
// give their text, ids without a token are skipped, and bytes that do not
// form valid UTF-8 are replaced by U+FFFD as Rust's String::from_utf8_lossy
// does (one per maximal invalid subpart).
func (t *Tokenizer) Decode(ids []int) string {
	return lossyString(t.DecodeBytes(ids))
}

// TokenText returns the vocabulary string of id: the byte-level form for
// model tokens ("Ġthe"), the content for added tokens ("<|eot_id|>"); ""
// for an unknown id.
func (t *Tokenizer) TokenText(id int) string {
	if id < 0 || id >= len(t.tokens) {
		return ""
	}
	return t.tokens[id]
}

// TokenID returns the id of a vocabulary string: an added token's content
// such as "<|eot_id|>", or a model token in byte-level form ("Ġthe"). If
// text is no vocabulary string, a model token whose raw bytes are text
// (" the") is looked up.
func (t *Tokenizer) TokenID(text string) (int, bool) {
	if id, ok := t.otherIDs[text]; ok {
		return int(id), true
	}
	if raw, ok := appendByteLevelDecode(nil, text); ok {
		if id, ok := t.vocab[string(raw)]; ok {
			return int(id), true
		}
	}
	if id, ok := t.vocab[text]; ok {
		return int(id), true
	}
	return -1, false
}

// VocabSize returns the number of ids: the largest token id plus one.
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// BOS returns the beginning-of-sequence id, or -1.
func (t *Tokenizer) BOS() int { return t.bos }

// EOS returns the end-of-sequence id, or -1.
func (t *Tokenizer) EOS() int { return t.eos }

// eogTexts are special tokens that end a generation (as llama.cpp's
// end-of-generation list): LLaMA 3's end of turn, of message and of text,
// and the common ones of other models.
var eogTexts = []string{"<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|endoftext|>", "<|im_end|>", "</s>", "<end_of_turn>"}

func (t *Tokenizer) setEOG() {
	t.eog = t.eog[:0]
	for _, s := range eogTexts {
		if id, ok := t.otherIDs[s]; ok && t.types[id] == TypeControl {
			t.eog = append(t.eog, int(id))
		}
	}
}

// IsEOG reports whether id ends a generation: EOS, or a special token such
// as <|eot_id|>, <|eom_id|> or <|end_of_text|> (for LLaMA 3 chat models
// both <|eot_id|> and <|end_of_text|> end one).
func (t *Tokenizer) IsEOG(id int) bool {
	return id >= 0 && (id == t.eos || slices.Contains(t.eog, id))
}

// IsSpecial reports whether id is a special (control) token.
func (t *Tokenizer) IsSpecial(id int) bool {
	return id >= 0 && id < len(t.types) && t.types[id] == TypeControl
}

// Tokens returns the vocabulary strings indexed by id, as GGUF's
// tokenizer.ggml.tokens: byte-level form for model tokens, content for added
// tokens, and "[PAD<id>]" for ids without a token (llama.cpp's convention).
func (t *Tokenizer) Tokens() []string {
	out := make([]string, len(t.tokens))
	for id, s := range t.tokens {
		if !t.has[id] {
			s = fmt.Sprintf("[PAD%d]", id)
		}
		out[id] = s
	}
	return out
}

// TokenTypes returns the token types indexed by id, as GGUF's
// tokenizer.ggml.token_type: TypeNormal for model tokens, TypeControl for
// special added tokens, TypeUserDefined for other added tokens, TypeUnused
// for ids without a token.
func (t *Tokenizer) TokenTypes() []int32 {
	out := make([]int32, len(t.types))
	for id, typ := range t.types {
		if !t.has[id] {
			typ = TypeUnused
		}
		out[id] = typ
	}
	return out
}

// Merges returns the merges in rank order as "a b" strings, as GGUF's
// tokenizer.ggml.merges.
func (t *Tokenizer) Merges() []string { return append([]string(nil), t.mergeList...) }
