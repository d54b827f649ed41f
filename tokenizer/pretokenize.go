package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// llama3Pattern is the Split regex of LLaMA 3's pre-tokenizer (also used by
// llama.cpp's "llama-bpe" pre-tokenizer). nextLlama3 reproduces the matches
// that a backtracking engine (Oniguruma, as used by Hugging Face tokenizers)
// finds for it with find_iter.
const llama3Pattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`

// Character classes of the pattern. \s is Unicode White_Space (the same set
// as unicode.IsSpace and Oniguruma's \s); cNL is the \r\n subset of it.
const (
	cOther  uint8 = iota // not \s, \p{L} or \p{N}
	cLetter              // \p{L}
	cNumber              // \p{N}
	cSpace               // \s other than \r and \n
	cNL                  // \r or \n
)

var asciiClass [utf8.RuneSelf]uint8

func init() {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			asciiClass[c] = cLetter
		case c >= '0' && c <= '9':
			asciiClass[c] = cNumber
		case c == '\r' || c == '\n':
			asciiClass[c] = cNL
		case c == ' ' || (c >= '\t' && c <= '\r'):
			asciiClass[c] = cSpace
		default:
			asciiClass[c] = cOther
		}
	}
}

// classify returns the class and byte width of the character at s[i].
// Classes follow Unicode 16.0, as Hugging Face tokenizers 0.23 does.
// An invalid UTF-8 byte is one character of class cOther (as U+FFFD would be).
func classify(s string, i int) (uint8, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	switch {
	case unicode.IsLetter(r):
		return cLetter, w
	case unicode.IsNumber(r):
		return cNumber, w
	case unicode.IsSpace(r):
		return cSpace, w
	case r < 0x1C89:
	case unicode.Is(extraLetter, r):
		return cLetter, w
	case unicode.Is(extraNumber, r):
		return cNumber, w
	}
	return cOther, w
}

// letterRun returns the end of the run of \p{L} starting at j.
func letterRun(s string, j int) int {
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if asciiClass[c] != cLetter {
				return j
			}
			j++
			continue
		}
		cls, w := classify(s, j)
		if cls != cLetter {
			return j
		}
		j += w
	}
	return j
}

// otherRun returns the end of the run of [^\s\p{L}\p{N}] starting at j.
func otherRun(s string, j int) int {
	for j < len(s) {
		cls, w := classify(s, j)
		if cls != cOther {
			return j
		}
		j += w
	}
	return j
}

// nlRun returns the end of the run of [\r\n] starting at j.
func nlRun(s string, j int) int {
	for j < len(s) && (s[j] == '\r' || s[j] == '\n') {
		j++
	}
	return j
}

// contraction reports the length after the apostrophe of a match of
// (?i:'s|'t|'re|'ve|'m|'ll|'d) whose apostrophe is at p-1, or 0. Case
// folding follows Unicode simple folding as Oniguruma does: U+017F LATIN
// SMALL LETTER LONG S matches 's'.
func contraction(s string, p int) int {
	if p >= len(s) {
		return 0
	}
	switch s[p] | 0x20 {
	case 's', 't', 'm', 'd':
		return 1
	case 'r', 'v':
		if p+1 < len(s) && s[p+1]|0x20 == 'e' {
			return 2
		}
		return 0
	case 'l':
		if p+1 < len(s) && s[p+1]|0x20 == 'l' {
			return 2
		}
		return 0
	}
	if s[p] == 0xC5 && p+1 < len(s) && s[p+1] == 0xBF { // ſ
		return 2
	}
	return 0
}

// nextLlama3 returns the end of the pre-token that starts at s[i] (i < len(s)).
// Alternatives are tried in the pattern's order, with the backtracking each
// admits resolved by hand:
//
//	1 (?i:'s|'t|'re|'ve|'m|'ll|'d)
//	2 [^\r\n\p{L}\p{N}]?\p{L}+
//	3 \p{N}{1,3}
//	4 ' '?[^\s\p{L}\p{N}]+[\r\n]*
//	5 \s*[\r\n]+      -> up to the last \r or \n of the whitespace run
//	6 \s+(?!\S)       -> the run, or the run less its last char if \S follows
//	7 \s+             -> a single whitespace char followed by \S
//
// Every character matches some alternative, so the matches tile the text.
func nextLlama3(s string, i int) int {
	n := len(s)
	c0 := s[i]
	if c0 == '\'' {
		if k := contraction(s, i+1); k > 0 {
			return i + 1 + k
		}
	}
	cls, w := classify(s, i)
	j := i + w
	switch cls {
	case cLetter:
		return letterRun(s, j)
	case cNumber:
		for k := 1; k < 3 && j < n; k++ {
			c2, w2 := classify(s, j)
			if c2 != cNumber {
				break
			}
			j += w2
		}
		return j
	case cOther:
		if j < n {
			if c2, w2 := classify(s, j); c2 == cLetter {
				return letterRun(s, j+w2)
			}
		}
		return nlRun(s, otherRun(s, j))
	case cSpace:
		if j < n {
			c2, w2 := classify(s, j)
			if c2 == cLetter {
				return letterRun(s, j+w2)
			}
			if c0 == ' ' && c2 == cOther {
				return nlRun(s, otherRun(s, j+w2))
			}
		}
	}
	// Whitespace (cSpace or cNL) not taken by alternatives 2 and 4.
	lastNL := -1
	k, prevW := i, 0
	for k < n {
		c2, w2 := classify(s, k)
		if c2 == cNL {
			lastNL = k + w2
		} else if c2 != cSpace {
			break
		}
		k += w2
		prevW = w2
	}
	if lastNL >= 0 {
		return lastNL // 5
	}
	if k == n || k-prevW == i {
		return k // 6 at end of text, or 7
	}
	return k - prevW // 6
}
