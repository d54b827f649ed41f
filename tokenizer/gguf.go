package tokenizer

import (
	"errors"
	"fmt"

	"github.com/bitnet-go/bitnet/format/gguf"
)

// ErrVocabMismatch is wrapped by the error for a vocabulary whose size
// disagrees with the model's token embedding.
var ErrVocabMismatch = errors.New("the vocabulary disagrees with the model")

// checkVocab checks n tokens against the rows of token_embd.weight and the
// <arch>.vocab_size key, when the file has them: llama.cpp requires them to
// agree, and a token id past the embedding cannot be run.
func checkVocab(f *gguf.File, n int) error {
	if t, ok := f.Tensor("token_embd.weight"); ok && len(t.Dims) == 2 && t.Dims[1] != uint64(n) {
		return fmt.Errorf("tokenizer.ggml.tokens has %d tokens but token_embd.weight has %d rows: %w", n, t.Dims[1], ErrVocabMismatch)
	}
	if arch, err := f.String(gguf.KeyArchitecture); err == nil {
		if v, err := f.Uint64(arch + ".vocab_size"); err == nil && v != uint64(n) {
			return fmt.Errorf("tokenizer.ggml.tokens has %d tokens but %s.vocab_size is %d: %w", n, arch, v, ErrVocabMismatch)
		}
	}
	return nil
}

// NoToken is a GGUF token id key's value for "no such token" (-1 as int32).
const NoToken = 0xFFFFFFFF

// FromGGUF builds the tokenizer stored in a GGUF file's tokenizer.ggml.*
// keys (ours and bitnet.cpp's: model "gpt2", LLaMA 3 byte-level BPE). A
// file without them is an error saying so; other tokenizer models or
// pre-tokenizers are refused by name; a token count that differs from
// token_embd.weight's rows or <arch>.vocab_size is ErrVocabMismatch.
func FromGGUF(f *gguf.File) (*Tokenizer, error) {
	if _, ok := f.Get("tokenizer.ggml.tokens"); !ok {
		return nil, fmt.Errorf("the file has no tokenizer (no tokenizer.ggml.tokens): pass token ids instead of text")
	}
	model, err := f.String("tokenizer.ggml.model")
	if err != nil {
		return nil, err
	}
	if model != "gpt2" {
		return nil, fmt.Errorf("tokenizer model %q is not supported (supported: gpt2 byte-level BPE)", model)
	}
	if pre, err := f.String("tokenizer.ggml.pre"); err == nil && pre != "llama-bpe" && pre != "llama3" && pre != "default" {
		return nil, fmt.Errorf("pre-tokenizer %q is not supported (supported: llama-bpe)", pre)
	}
	tokens, err := f.Strings("tokenizer.ggml.tokens")
	if err != nil {
		return nil, err
	}
	var types []int32
	if _, ok := f.Get("tokenizer.ggml.token_type"); ok {
		if types, err = f.Int32s("tokenizer.ggml.token_type"); err != nil {
			return nil, err
		}
	}
	if err := checkVocab(f, len(tokens)); err != nil {
		return nil, err
	}
	merges, err := f.Strings("tokenizer.ggml.merges")
	if err != nil {
		return nil, err
	}
	bos, eos := -1, -1
	// 0xFFFFFFFF is no token: llama.cpp reads the ids as int32, where it
	// is -1 (LLAMA_TOKEN_NULL); convert once wrote a null id that way.
	if v, err := f.Uint32("tokenizer.ggml.bos_token_id"); err == nil && v != NoToken {
		bos = int(v)
	}
	if v, err := f.Uint32("tokenizer.ggml.eos_token_id"); err == nil && v != NoToken {
		eos = int(v)
	}
	return New(tokens, types, merges, bos, eos)
}
