package tokenizer

import (
	"math"
	"sync"
)

// merge is the rank and result of merging a pair of token ids.
type merge struct {
	rank int32
	id   int32
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

const noRank = math.MaxInt32

func (t *Tokenizer) lookupMerge(a, b int32) merge {
	m, _ := t.merges.get(pairKey(a, b))
	return m
}

// smallWord is the longest word merged with the quadratic scan; longer words
// use a heap, as Hugging Face does, so that pathological inputs stay
// O(n log n).
const smallWord = 128

// bpe appends the ids of the BPE merge of the raw bytes word to out. Merges
// are applied lowest rank first, the leftmost pair on ties, which is what
// Hugging Face's priority queue does.
func (t *Tokenizer) bpe(word string, out []int32) []int32 {
	if len(word) > smallWord {
		return t.bpeLarge(word, out)
	}
	var symBuf [smallWord]int32
	var mBuf [smallWord]merge
	syms := symBuf[:0]
	for i := 0; i < len(word); i++ {
		if id := t.byteID[word[i]]; id >= 0 {
			syms = append(syms, id)
		}
	}
	if len(syms) == 0 {
		return out
	}
	ms := mBuf[:len(syms)-1]
	for i := range ms {
		ms[i] = t.lookupMerge(syms[i], syms[i+1])
	}
	for len(ms) > 0 {
		best, bestRank := -1, int32(noRank)
		for i := range ms {
			if ms[i].rank < bestRank {
				best, bestRank = i, ms[i].rank
			}
		}
		if best < 0 {
			break
		}
		syms[best] = ms[best].id
		copy(syms[best+1:], syms[best+2:])
		syms = syms[:len(syms)-1]
		copy(ms[best:], ms[best+1:])
		ms = ms[:len(ms)-1]
		if best > 0 {
			ms[best-1] = t.lookupMerge(syms[best-1], syms[best])
		}
		if best < len(ms) {
			ms[best] = t.lookupMerge(syms[best], syms[best+1])
		}
	}
	return append(out, syms...)
}

type bpeSym struct {
	id         int32
	prev, next int32 // -1 at the ends
}

type bpeEntry struct {
	rank, pos, id int32
}

func entryLess(a, b bpeEntry) bool {
	return a.rank < b.rank || (a.rank == b.rank && a.pos < b.pos)
}

type bpeHeap []bpeEntry

func (h *bpeHeap) push(e bpeEntry) {
	*h = append(*h, e)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !entryLess(s[i], s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *bpeHeap) pop() bpeEntry {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		m := l
		if r := l + 1; r < len(s) && entryLess(s[r], s[l]) {
			m = r
		}
		if !entryLess(s[m], s[i]) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// bpeLarge is Hugging Face's Word::merge_all: a doubly linked list of
// symbols and a min-heap of candidate merges keyed by (rank, position).
func (t *Tokenizer) bpeLarge(word string, out []int32) []int32 {
	syms := make([]bpeSym, 0, len(word))
	for i := 0; i < len(word); i++ {
		if id := t.byteID[word[i]]; id >= 0 {
			syms = append(syms, bpeSym{id: id, prev: int32(len(syms)) - 1, next: int32(len(syms)) + 1})
		}
	}
	if len(syms) == 0 {
		return out
	}
	syms[len(syms)-1].next = -1
	h := make(bpeHeap, 0, len(syms))
	for i := 0; i+1 < len(syms); i++ {
		if m := t.lookupMerge(syms[i].id, syms[i+1].id); m.id >= 0 {
			h.push(bpeEntry{m.rank, int32(i), m.id})
		}
	}
	for len(h) > 0 {
		e := h.pop()
		s := &syms[e.pos]
		if s.id < 0 || s.next < 0 {
			continue
		}
		right := syms[s.next]
		if m := t.lookupMerge(s.id, right.id); m.id != e.id {
			continue // stale entry
		}
		s.id = e.id
		syms[s.next].id = -1
		s.next = right.next
		if right.next >= 0 {
			syms[right.next].prev = e.pos
		}
		if s.prev >= 0 {
			if m := t.lookupMerge(syms[s.prev].id, s.id); m.id >= 0 {
				h.push(bpeEntry{m.rank, s.prev, m.id})
			}
		}
		if s.next >= 0 {
			if m := t.lookupMerge(s.id, syms[s.next].id); m.id >= 0 {
				h.push(bpeEntry{m.rank, e.pos, m.id})
			}
		}
	}
	for i := int32(0); i >= 0; i = syms[i].next {
		out = append(out, syms[i].id)
	}
	return out
}

// wordCache memoizes the BPE result of pre-tokens that are not vocabulary
// entries. It is bounded: when full it is emptied.
type wordCache struct {
	mu sync.Mutex
	m  map[string][]int32
}

const (
	wordCacheMax  = 1 << 16 // entries
	maxCachedWord = 256     // bytes
)

func (c *wordCache) get(w string) ([]int32, bool) {
	c.mu.Lock()
	ids, ok := c.m[w]
	c.mu.Unlock()
	return ids, ok
}

func (c *wordCache) put(w string, ids []int32) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= wordCacheMax {
		c.m = make(map[string][]int32)
	}
	c.m[w] = ids
	c.mu.Unlock()
}

// mergeTable maps a pair of ids to its merge: open addressing with linear
// probing, faster to build and to query than a Go map.
type mergeTable struct {
	slots []mergeSlot
	shift uint
}

type mergeSlot struct {
	key uint64 // emptyKey for a free slot
	m   merge
}

const emptyKey = ^uint64(0) // ids are < maxIDs, so no pair has this key

func newMergeTable(n int) mergeTable {
	bits := uint(4)
	for 1<<bits < n+n/2+1 {
		bits++
	}
	slots := make([]mergeSlot, 1<<bits)
	for i := range slots {
		slots[i].key = emptyKey
	}
	return mergeTable{slots: slots, shift: 64 - bits}
}

func (mt *mergeTable) index(key uint64) uint64 { return (key * 0x9E3779B97F4A7C15) >> mt.shift }

func (mt *mergeTable) put(key uint64, m merge) {
	mask := uint64(len(mt.slots) - 1)
	for i := mt.index(key); ; i = (i + 1) & mask {
		s := &mt.slots[i]
		if s.key == emptyKey || s.key == key {
			s.key, s.m = key, m
			return
		}
	}
}

func (mt *mergeTable) get(key uint64) (merge, bool) {
	mask := uint64(len(mt.slots) - 1)
	for i := mt.index(key); ; i = (i + 1) & mask {
		s := &mt.slots[i]
		if s.key == key {
			return s.m, true
		}
		if s.key == emptyKey {
			return merge{rank: noRank, id: -1}, false
		}
	}
}
