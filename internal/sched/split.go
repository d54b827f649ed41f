package sched

import "sync/atomic"

// A split job streams rows once, each thread from its own place: [0, n) is
// cut into Threads() contiguous segments, thread t (0 the caller, 1… the
// workers) takes ranges from the front of segment t one after the other —
// a single forward stream per thread, so a hardware prefetcher trained on
// one range is still on track for the next — and a thread with nothing
// left in its segment takes ranges from the back of the segment with the
// most rows left, so threads still finish together when one is late or
// slow. Every range starts at a multiple of BandRows and has at least
// minChunk rows unless it ends its segment.
//
// Each segment's state is one word, seq | lo | hi (segWord): the rows
// [lo, hi) not yet taken, for job seq (its low 24 bits). Owners advance lo
// and thieves lower hi by compare-and-swap on the word, so a range is
// taken exactly once and a thread still running an old job's loop cannot
// take rows of a new one (unless it slept through 2^24 jobs).

const (
	// splitRowBits is the width of lo and hi in a segment word.
	splitRowBits = 20
	// maxSplitRows is the most rows of a split job; longer jobs run as
	// chunks (not reached by the model's sizes).
	maxSplitRows = 1<<splitRowBits - 1
	splitSeqMask = 1<<(64-2*splitRowBits) - 1
	// splitMark in bits 16–31 of the claim word marks a split job; bits
	// 0–15 then hold minChunk/BandRows.
	splitMark = 0xffff
)

// segment is one thread's segment word, alone on its cache line.
type segment struct {
	w atomic.Uint64
	_ [56]byte
}

func segWord(seq uint32, lo, hi int) uint64 {
	return uint64(seq)&splitSeqMask<<(2*splitRowBits) | uint64(lo)<<splitRowBits | uint64(hi)
}

func segRows(w uint64) (seq uint32, lo, hi int) {
	const rows = 1<<splitRowBits - 1
	return uint32(w >> (2 * splitRowBits)), int(w >> splitRowBits & rows), int(w & rows)
}

// splitStart is the first row of segment t of [0, n) on threads threads
// (n for t = threads).
func splitStart(t, n, threads int) int {
	if t >= threads {
		return n
	}
	return t * n / threads / BandRows * BandRows
}

// RunSplit calls fn(lo, hi) on ranges covering [0, n) once, cut as a split
// job (above): for one pass of a streaming kernel over rows, where a
// thread's ranges should continue one another. The ranges depend on timing,
// their boundaries do not: every range starts at a multiple of BandRows, so
// a kernel whose result for a row depends only on the row's offset from a
// multiple of BandRows computes the same values whoever takes the row. A
// thread that finds nothing left to take while others still run their
// ranges calls idle (see Idle). A Pool of one thread calls fn(0, n).
func (p *Pool) RunSplit(n, minChunk int, fn func(lo, hi int), idle Idle) {
	if n <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.threads <= 1 {
		fn(0, n)
		return
	}
	minChunk = (max(minChunk, 1) + BandRows - 1) / BandRows * BandRows
	if n > maxSplitRows || minChunk/BandRows >= 1<<16 {
		p.runChunks(n, minChunk, fn, idle)
		return
	}
	p.job = job{n: n, fn: fn, idle: idle}
	p.seq++
	seq := uint32(p.seq)
	for t := range p.threads {
		p.segs[t].w.Store(segWord(seq, splitStart(t, n, p.threads), splitStart(t+1, n, p.threads)))
	}
	p.pending.Store(int32(n))
	p.claim.Store(uint64(seq)<<32 | splitMark<<16 | uint64(minChunk/BandRows))
	p.start(seq, p.threads-1)
}

// SplitStarts returns the first row of each thread's segment of a split
// job over [0, n) on this Pool: where each thread starts reading.
func (p *Pool) SplitStarts(dst []int, n int) []int {
	dst = dst[:0]
	for t := range p.threads {
		dst = append(dst, splitStart(t, n, p.threads))
	}
	return dst
}

// runSplit takes and runs ranges of split job seq for thread th (own
// segment first, then the others' backs) until none is left, and returns
// the job's Idle if it ran a range (read while it held one).
func (p *Pool) runSplit(seq uint32, th, minChunk int) (idle Idle) {
	segs := p.segs
	for {
		lo, hi, ok := takeFront(&segs[th].w, seq, minChunk)
		if !ok {
			lo, hi, ok = steal(segs, th, seq, minChunk)
		}
		if !ok {
			return idle
		}
		idle = p.job.idle
		p.job.fn(lo, hi)
		p.finish(int32(hi - lo))
	}
}

// takeFront takes the next range from the front of segment s: a quarter
// of what is left (the ranges shrink, so the last leave little to wait
// for), at least minChunk, and all of it when less than minChunk would
// remain.
func takeFront(s *atomic.Uint64, seq uint32, minChunk int) (lo, hi int, ok bool) {
	for {
		w := s.Load()
		sq, lo, hi := segRows(w)
		if sq != seq&splitSeqMask || lo >= hi {
			return 0, 0, false
		}
		end := (lo + max(minChunk, (hi-lo)/4) + BandRows - 1) / BandRows * BandRows
		if end+minChunk > hi {
			end = hi
		}
		if s.CompareAndSwap(w, segWord(seq, end, hi)) {
			return lo, end, true
		}
	}
}

// steal takes a range from the back of the segment, other than th's, with
// the most rows left: a quarter of them, at least minChunk, all of them
// when less than minChunk would remain.
func steal(segs []segment, th int, seq uint32, minChunk int) (lo, hi int, ok bool) {
	for {
		best, bw, most := -1, uint64(0), 0
		for t := range segs {
			w := segs[t].w.Load()
			sq, lo, hi := segRows(w)
			if t != th && sq == seq&splitSeqMask && hi-lo > most {
				best, bw, most = t, w, hi-lo
			}
		}
		if best < 0 {
			return 0, 0, false
		}
		_, lo, hi := segRows(bw)
		start := (hi - max(minChunk, most/4)) / BandRows * BandRows
		if start-minChunk < lo {
			start = lo
		}
		if segs[best].w.CompareAndSwap(bw, segWord(seq, lo, start)) {
			return start, hi, true
		}
	}
}

// Wake wakes sleeping workers, so that they spin, ready for a job that is
// about to come (waking a sleeping thread takes far longer than posting a
// job to a spinning one).
func (p *Pool) Wake() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.workers {
		if w.sleeping.CompareAndSwap(true, false) {
			w.wake <- struct{}{}
		}
	}
}
