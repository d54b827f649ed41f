package sched

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestPoolRun(t *testing.T) {
	for _, threads := range []int{1, 2, 4} {
		p := NewPool(threads)
		if p.Threads() != threads {
			t.Fatalf("Threads() = %d, want %d", p.Threads(), threads)
		}
		for _, n := range []int{0, 1, 2, 3, 7, 20, 1000} {
			seen := make([]int32, n)
			var calls atomic.Int32
			p.Run(n, func(lo, hi int) {
				calls.Add(1)
				if lo >= hi {
					t.Errorf("empty range [%d,%d)", lo, hi)
				}
				for i := lo; i < hi; i++ {
					seen[i]++
				}
			})
			for i, v := range seen {
				if v != 1 {
					t.Fatalf("threads=%d n=%d: index %d visited %d times", threads, n, i, v)
				}
			}
			if int(calls.Load()) > threads {
				t.Fatalf("threads=%d n=%d: %d calls", threads, n, calls.Load())
			}
		}
		p.Close()
	}
}

// TestPoolRunChunks checks that RunChunks visits [0, n) once, in ranges
// starting at multiples of the chunk (raised so bands fit the claim word).
func TestPoolRunChunks(t *testing.T) {
	for _, threads := range []int{1, 2, 3} {
		p := NewPool(threads)
		for _, c := range []struct{ n, chunk, want int }{
			{0, 4, 4}, {1, 4, 4}, {5, 4, 4}, {1000, 128, 128}, {1000, 0, 1},
			{200000, 1, 4}, // 200000 ranges would overflow 16 bits
		} {
			seen := make([]int32, c.n)
			p.RunChunks(c.n, c.chunk, func(lo, hi int) {
				if threads > 1 && (lo%c.want != 0 || hi-lo > c.want || (hi-lo < c.want && hi != c.n)) {
					t.Errorf("threads=%d n=%d chunk=%d: range [%d,%d)", threads, c.n, c.chunk, lo, hi)
				}
				for i := lo; i < hi; i++ {
					seen[i]++
				}
			})
			for i, v := range seen {
				if v != 1 {
					t.Fatalf("threads=%d n=%d: index %d visited %d times", threads, c.n, i, v)
				}
			}
		}
		p.Close()
	}
}

func TestPoolDefaultThreads(t *testing.T) {
	p := NewPool(0)
	defer p.Close()
	if p.Threads() < 1 {
		t.Fatalf("Threads() = %d", p.Threads())
	}
}

// TestPoolNoAllocs checks that the steady state allocates nothing.
func TestPoolNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	p := NewPool(2)
	defer p.Close()
	fn := func(lo, hi int) {}
	for name, call := range map[string]func(){
		"Run":       func() { p.Run(10, fn) },
		"RunChunks": func() { p.RunChunks(1000, 16, fn) },
		"RunSplit":  func() { p.RunSplit(1000, 16, fn, nil) },
	} {
		if n := testing.AllocsPerRun(100, call); n != 0 {
			t.Errorf("%s: %v allocations per call", name, n)
		}
	}
}

// TestPoolConcurrentCallers shares one Pool between goroutines; calls are
// serialized, and the race detector checks the hand-offs.
func TestPoolConcurrentCallers(t *testing.T) {
	const n = 256
	p := NewPool(2)
	defer p.Close()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := make([]int64, n)
			for i := 0; i < 50; i++ {
				p.RunChunks(n, 16, func(lo, hi int) {
					for r := lo; r < hi; r++ {
						dst[r] = int64(r * i)
					}
				})
				var sum atomic.Int64
				p.Run(n, func(lo, hi int) {
					for r := lo; r < hi; r++ {
						sum.Add(dst[r])
					}
				})
				if want := int64(n * (n - 1) / 2 * i); sum.Load() != want {
					t.Errorf("call %d: sum %d, want %d", i, sum.Load(), want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestPoolClose(t *testing.T) {
	p := NewPool(3)
	p.Close()
	if p.Threads() != 1 {
		t.Fatalf("Threads() after Close = %d", p.Threads())
	}
	n := 0
	p.Run(5, func(lo, hi int) { n += hi - lo })
	if n != 5 {
		t.Fatalf("Run after Close covered %d of 5", n)
	}
}
