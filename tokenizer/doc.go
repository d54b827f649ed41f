// Package tokenizer is a byte-level BPE tokenizer that reproduces Hugging
// Face tokenizers on LLaMA 3's tokenizer.json (the tokenizer of BitNet b1.58
// 2B4T), and the same tokenizer built from GGUF tokenizer.ggml.* metadata
// (llama.cpp's "gpt2" model with the "llama-bpe" pre-tokenizer).
//
// # Contract
//
// Encode(text, addBOS) returns the ids that Hugging Face's
// Tokenizer.encode(text, add_special_tokens=addBOS) returns:
//
//  1. Added tokens (tokenizer.json's added_tokens, or GGUF tokens of type
//     control or user-defined) are found in the text first, leftmost-longest,
//     and become their ids; lstrip, rstrip and single_word are honoured.
//     Special tokens in the text are always recognised.
//  2. The text between them is split into the matches of R (below), found by a
//     hand-written scanner that gives the matches Oniguruma gives
//     (including the \s+(?!\S) lookahead and the case folding of ſ to s).
//     Character classes are Unicode 16.0's, as in Hugging Face tokenizers
//     0.23: Go's unicode package (15.0) plus the letters and digits added
//     since, checked against Hugging Face on every code point.
//  3. Each piece is mapped byte by byte through GPT-2's bytes_to_unicode.
//     With ignore_merges (LLaMA 3, and always for New) a piece that is
//     itself a vocabulary token is that token; otherwise BPE merges are
//     applied, lowest rank first, the leftmost on ties.
//  4. With addBOS, the TemplateProcessing post-processor's single template
//     is applied (for LLaMA 3: <|begin_of_text|>, id 128000, in front).
//
// R is LLaMA 3's pre-tokenizer regex:
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// Input is a Go string and need not be valid UTF-8 (Hugging Face only
// accepts valid text). Encode never panics: each invalid byte is treated as
// one character of the "other" class (like U+FFFD) for pre-tokenization and
// its raw byte goes through the byte-level map, so DecodeBytes(Encode(s))
// equals s for every s, and Decode(Encode(s)) equals s for valid UTF-8.
//
// Decode inverts the byte-level map as Hugging Face's ByteLevel decoder
// does (special tokens give their text; unknown ids are skipped) and
// replaces invalid UTF-8 by U+FFFD like String::from_utf8_lossy.
// DecodeBytes returns the raw bytes. A StreamDecoder returns text as ids
// arrive, holding back the bytes of a character split across tokens.
//
// FromJSON accepts only tokenizer.json files whose behaviour this package
// reproduces (BPE model, no normalizer, LLaMA 3's pre-tokenizer, ByteLevel
// decoder, ByteLevel/TemplateProcessing post-processing) and names what it
// rejects. Added tokens get their ids as Hugging Face assigns them on
// loading (for a consistent file, the ids written in it). Tokens,
// TokenTypes and Merges give the GGUF arrays (tokenizer.ggml.tokens,
// token_type, merges; tokenizer.ggml.model "gpt2", pre "llama-bpe") from
// which New rebuilds an identical tokenizer.
//
// The tests check LLaMA 3's tokenizer.json against vectors from an
// independent implementation (testdata/vectors.json) and from Hugging Face
// tokenizers itself (testdata/hf_vectors.json, made by
// testdata/gen_hf_vectors.js), through both FromJSON and New.
//
// A Tokenizer is safe for concurrent use.
package tokenizer
