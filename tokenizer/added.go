package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// addedToken is an entry of tokenizer.json's added_tokens (or a GGUF
// control / user-defined token): matched in the input text before
// pre-tokenization.
type addedToken struct {
	id         int32
	content    string
	special    bool
	normalized bool
	lstrip     bool
	rstrip     bool
	singleWord bool
}

// matcher finds added tokens in text, leftmost-longest (the aho-corasick
// MatchKind::LeftmostLongest that Hugging Face uses), with a byte trie.
type matcher struct {
	first [256]bool
	nodes []trieNode
	toks  []addedToken
}

type trieNode struct {
	edges []byte
	child []int32
	tok   int32 // index into toks of the token ending here, or -1
}

func newMatcher(toks []addedToken) *matcher {
	m := &matcher{nodes: []trieNode{{tok: -1}}}
	for _, t := range toks {
		if t.content == "" {
			continue
		}
		n := int32(0)
		for i := 0; i < len(t.content); i++ {
			b := t.content[i]
			next := int32(-1)
			for k, e := range m.nodes[n].edges {
				if e == b {
					next = m.nodes[n].child[k]
					break
				}
			}
			if next < 0 {
				next = int32(len(m.nodes))
				m.nodes = append(m.nodes, trieNode{tok: -1})
				m.nodes[n].edges = append(m.nodes[n].edges, b)
				m.nodes[n].child = append(m.nodes[n].child, next)
			}
			n = next
		}
		if m.nodes[n].tok < 0 {
			m.nodes[n].tok = int32(len(m.toks))
			m.toks = append(m.toks, t)
		}
		m.first[t.content[0]] = true
	}
	if len(m.toks) == 0 {
		return nil
	}
	return m
}

// longest returns the end and token index of the longest added token that
// starts at s[i], or -1.
func (m *matcher) longest(s string, i int) (end int, tok int32) {
	end, tok = -1, -1
	n := int32(0)
	for j := i; j < len(s); j++ {
		b := s[j]
		next := int32(-1)
		node := &m.nodes[n]
		for k, e := range node.edges {
			if e == b {
				next = node.child[k]
				break
			}
		}
		if next < 0 {
			break
		}
		n = next
		if t := m.nodes[n].tok; t >= 0 {
			end, tok = j+1, t
		}
	}
	return end, tok
}

// split calls text for each stretch of s without an added token and token for
// each added token found, in order, following Hugging Face's
// AddedVocabulary::find_matches (including lstrip, rstrip and single_word).
func (m *matcher) split(s string, text func(string), token func(int32)) {
	if m == nil {
		if s != "" {
			text(s)
		}
		return
	}
	start := 0 // start of the pending text
	for i := 0; i < len(s); {
		if !m.first[s[i]] {
			i++
			continue
		}
		end, ti := m.longest(s, i)
		if end < 0 {
			i++
			continue
		}
		t := &m.toks[ti]
		ms, me := i, end
		if t.singleWord && !(isWordBoundaryBefore(s, ms) && isWordBoundaryAfter(s, me)) {
			i = end // the automaton resumes after the rejected match
			continue
		}
		if t.lstrip {
			for ms > start {
				r, w := utf8.DecodeLastRuneInString(s[:ms])
				if !unicode.IsSpace(r) {
					break
				}
				ms -= w
			}
		}
		if t.rstrip {
			for me < len(s) {
				r, w := utf8.DecodeRuneInString(s[me:])
				if !unicode.IsSpace(r) {
					break
				}
				me += w
			}
		}
		if start < ms {
			text(s[start:ms])
		}
		token(t.id)
		start, i = me, me
	}
	if start < len(s) {
		text(s[start:])
	}
}

func isAlnum(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Other_Alphabetic, r)
}

func isWordBoundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isAlnum(r)
}

func isWordBoundaryAfter(s string, i int) bool {
	if i == len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isAlnum(r)
}
