package sched

import (
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// splitRanges runs RunSplit(n, minChunk) on p with fn's extra work and
// returns its ranges, sorted, after checking that they cover [0, n) once.
func splitRanges(t *testing.T, p *Pool, n, minChunk int, work func(lo, hi int)) [][2]int {
	t.Helper()
	seen := make([]int32, n)
	var mu sync.Mutex
	var ranges [][2]int
	p.RunSplit(n, minChunk, func(lo, hi int) {
		mu.Lock()
		ranges = append(ranges, [2]int{lo, hi})
		mu.Unlock()
		for i := lo; i < hi; i++ {
			atomic.AddInt32(&seen[i], 1)
		}
		if work != nil {
			work(lo, hi)
		}
	}, nil)
	for i, v := range seen {
		if v != 1 {
			t.Fatalf("threads=%d n=%d min=%d: index %d visited %d times (ranges %v)", p.Threads(), n, minChunk, i, v, ranges)
		}
	}
	sort.Slice(ranges, func(a, b int) bool { return ranges[a][0] < ranges[b][0] })
	return ranges
}

// TestPoolRunSplit checks that RunSplit visits [0, n) once, every range
// starting at a multiple of BandRows and ending at one or at n, also when
// one thread is slow and the others take its rows.
func TestPoolRunSplit(t *testing.T) {
	for _, threads := range []int{1, 2, 3, 4} {
		p := NewPool(threads)
		for _, c := range []struct{ n, min int }{{0, 16}, {1, 16}, {15, 1}, {17, 16}, {100, 16}, {3840, 112}, {6912, 48}, {2560, 1000}, {128256, 16}} {
			for _, slow := range []bool{false, true} {
				var work func(lo, hi int)
				if slow { // the second segment's owner starts late
					second := splitStart(1, c.n, threads)
					work = func(lo, hi int) {
						if lo == second {
							time.Sleep(time.Millisecond)
						}
					}
				}
				ranges := splitRanges(t, p, c.n, c.min, work)
				for _, r := range ranges {
					if r[0] >= r[1] || r[0]%BandRows != 0 || (r[1]%BandRows != 0 && r[1] != c.n) {
						t.Fatalf("threads=%d n=%d min=%d slow=%v: range %v in %v", threads, c.n, c.min, slow, r, ranges)
					}
				}
				if threads == 1 && c.n > 0 && len(ranges) != 1 {
					t.Fatalf("one thread: ranges %v", ranges)
				}
			}
		}
		p.Close()
	}
}

// TestTakeFront checks that a segment's owner takes it front to back in
// ranges that continue one another (one stream), aligned, at least the
// minimum but the last, and nothing of another job.
func TestTakeFront(t *testing.T) {
	var s atomic.Uint64
	s.Store(segWord(7, 0, 1000))
	at := 0
	for {
		lo, hi, ok := takeFront(&s, 7, 64)
		if !ok {
			break
		}
		if lo != at || lo%BandRows != 0 || (hi-lo < 64 && hi != 1000) {
			t.Fatalf("front range [%d,%d) after %d", lo, hi, at)
		}
		at = hi
	}
	if at != 1000 {
		t.Fatalf("front ranges ended at %d, want 1000", at)
	}
	if _, _, ok := takeFront(&s, 8, 64); ok {
		t.Fatal("a range taken for another job")
	}
}

// TestSplitSteal checks that steal takes from the back of the fullest
// other segment, and never a range of another job or of its own segment.
func TestSplitSteal(t *testing.T) {
	segs := make([]segment, 3)
	segs[0].w.Store(segWord(5, 0, 100))
	segs[1].w.Store(segWord(5, 320, 960))
	segs[2].w.Store(segWord(4, 960, 2000)) // an older job
	lo, hi, ok := steal(segs, 0, 5, 16)
	if !ok || hi != 960 || lo%BandRows != 0 || lo < 320 || hi-lo < 16 {
		t.Fatalf("steal = [%d,%d) %v, want a tail of [320,960)", lo, hi, ok)
	}
	if _, l, h := segRows(segs[1].w.Load()); l != 320 || h != lo {
		t.Fatalf("segment 1 left [%d,%d), want [320,%d)", l, h, lo)
	}
	for {
		if _, _, ok := steal(segs, 0, 5, 16); !ok {
			break
		}
	}
	if _, l, h := segRows(segs[1].w.Load()); l != h {
		t.Fatalf("segment 1 not emptied: [%d,%d)", l, h)
	}
	if _, l, h := segRows(segs[0].w.Load()); l != 0 || h != 100 {
		t.Fatalf("thread 0 stole from its own segment: [%d,%d) left", l, h)
	}
	if _, l, h := segRows(segs[2].w.Load()); l != 960 || h != 2000 {
		t.Fatalf("another job's segment changed: [%d,%d)", l, h)
	}
}

func TestSplitStarts(t *testing.T) {
	for _, threads := range []int{1, 2, 3, 8} {
		p := NewPool(threads)
		for _, n := range []int{1, 100, 3840, 6912, 128256} {
			got := p.SplitStarts(nil, n)
			if len(got) != threads || got[0] != 0 || !slices.IsSorted(got) {
				t.Fatalf("threads=%d n=%d: starts %v", threads, n, got)
			}
			for _, s := range got {
				if s%BandRows != 0 || s > n {
					t.Fatalf("threads=%d n=%d: starts %v", threads, n, got)
				}
			}
		}
		p.Close()
	}
}

// TestPoolRunSplitIdle checks that idle runs on threads out of ranges and
// stops, with RunSplit's jobs back to back.
func TestPoolRunSplitIdle(t *testing.T) {
	for _, threads := range []int{2, 3} {
		p := NewPool(threads)
		var calls atomic.Int32
		idle := func(thread int, stop func() bool) {
			if thread < 0 || thread >= threads {
				t.Errorf("idle thread %d of %d", thread, threads)
			}
			calls.Add(1)
			deadline := time.Now().Add(10 * time.Second)
			for !stop() {
				if time.Now().After(deadline) {
					t.Errorf("thread %d: stop never came", thread)
					return
				}
			}
		}
		for job := range 50 {
			n := 1000 + 37*job
			seen := make([]int32, n)
			p.RunSplit(n, 16, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&seen[i], 1)
				}
				if lo == 0 {
					time.Sleep(50 * time.Microsecond) // others run out first
				}
			}, idle)
			for i, v := range seen {
				if v != 1 {
					t.Fatalf("threads=%d job %d: index %d visited %d times", threads, job, i, v)
				}
			}
		}
		p.RunSplit(100, 16, func(lo, hi int) {}, nil)
		p.Close()
		if calls.Load() == 0 {
			t.Errorf("threads=%d: idle never ran", threads)
		}
	}
}

// TestPoolWake checks that Wake wakes a sleeping worker and that jobs run
// after it.
func TestPoolWake(t *testing.T) {
	p := NewPool(2)
	defer p.Close()
	p.Run(2, func(lo, hi int) {})
	w := p.workers[0]
	deadline := time.Now().Add(10 * time.Second)
	for !w.sleeping.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the worker never slept")
		}
		time.Sleep(time.Millisecond)
	}
	p.Wake()
	if w.sleeping.Load() {
		t.Fatal("still sleeping after Wake")
	}
	p.Wake() // nothing to wake
	var n atomic.Int32
	p.RunSplit(1000, 16, func(lo, hi int) { n.Add(int32(hi - lo)) }, nil)
	if n.Load() != 1000 {
		t.Fatalf("rows run after Wake: %d", n.Load())
	}
}
