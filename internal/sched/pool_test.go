package kernel

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
)

func TestPoolMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	type tc struct {
		rows, k, tokens int
		w               []byte
		x               []int8
		want            []int32
	}
	var cases []tc
	// Small shapes run inline; the others split into bands of 16 rows with
	// a ragged last band.
	for _, s := range [][3]int{{3, 128, 1}, {31, 256, 2}, {100, 2560, 1}, {129, 2560, 3}, {200, 640, 9}, {1000, 2560, 1}, {333, 6912, 7}} {
		rows, k, tokens := s[0], s[1], s[2]
		c := tc{rows: rows, k: k, tokens: tokens, w: randomWeights(rng, rows, k), x: randomActs(rng, tokens*k)}
		c.want = make([]int32, rows*tokens)
		MatMatRef(c.want, c.w, c.x, k, rows, tokens)
		cases = append(cases, c)
	}
	for _, threads := range []int{1, 2, 3, 5} {
		p := NewPool(threads)
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			eachPath(t, func(t *testing.T) {
				for _, c := range cases {
					dst, check := guarded(t, c.rows*c.tokens)
					p.MatMat(dst, c.w, c.x, c.k, c.rows, c.tokens)
					check()
					if d := firstDiff(dst, c.want); d != "" {
						t.Fatalf("MatMat rows=%d k=%d tokens=%d: %s", c.rows, c.k, c.tokens, d)
					}
					dst, check = guarded(t, c.rows)
					p.MatVec(dst, c.w, c.x, c.k)
					check()
					if d := firstDiff(dst, c.want[:c.rows]); d != "" {
						t.Fatalf("MatVec rows=%d k=%d: %s", c.rows, c.k, d)
					}
				}
			})
		})
		p.Close()
	}
}

func TestPoolSplit(t *testing.T) {
	p := NewPool(3) // 6 bands
	defer p.Close()
	for _, c := range []struct{ rows, values, chunk, bands int }{
		{2560, 2560 * 2560, 432, 6},  // 5×432 + 400
		{640, 640 * 2560, 112, 6},    // 5×112 + 80
		{40, 40 * 6912, 16, 3},       // 16+16+8
		{33, 33 * 128 * 100, 16, 3},  // 16+16+1
		{31, 1 << 30, 31, 1},         // too few rows
		{2560, 1<<18 - 1, 2560, 1},   // too little work
		{100, 100 * 6912, 32, 4},     // 3×32 + 4
		{17 * 3, 51 * 6912, 16, 4},   // 3×16 + 3
		{6912, 6912 * 2560, 1152, 6}, // exact
	} {
		chunk, bands := p.split(c.rows, c.values)
		if chunk != c.chunk || bands != c.bands {
			t.Errorf("split(%d, %d) = %d, %d; want %d, %d", c.rows, c.values, chunk, bands, c.chunk, c.bands)
		}
		if bands > 1 && chunk%splitRows != 0 {
			t.Errorf("split(%d, %d): chunk %d not a multiple of %d", c.rows, c.values, chunk, splitRows)
		}
	}
}

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

// TestPoolRunGuided checks that RunGuided visits [0, n) once, in ranges
// that are multiples of 16 (but the last), at least the minimum, and never
// grow.
func TestPoolRunGuided(t *testing.T) {
	for _, threads := range []int{1, 2, 3} {
		p := NewPool(threads)
		for _, c := range []struct{ n, min int }{{0, 16}, {1, 16}, {100, 16}, {3840, 256}, {6912, 128}, {128256, 1}} {
			seen := make([]int32, c.n)
			var mu sync.Mutex
			var ranges [][2]int
			p.RunGuided(c.n, c.min, func(lo, hi int) {
				mu.Lock()
				ranges = append(ranges, [2]int{lo, hi})
				mu.Unlock()
				for i := lo; i < hi; i++ {
					seen[i]++
				}
			})
			for i, v := range seen {
				if v != 1 {
					t.Fatalf("threads=%d n=%d: index %d visited %d times", threads, c.n, i, v)
				}
			}
			sort.Slice(ranges, func(a, b int) bool { return ranges[a][0] < ranges[b][0] })
			for i, r := range ranges {
				size, last := r[1]-r[0], r[1] == c.n
				if threads > 1 && !last && (size%16 != 0 || size < c.min || (i > 0 && size > ranges[i-1][1]-ranges[i-1][0])) {
					t.Fatalf("threads=%d n=%d min=%d: ranges %v", threads, c.n, c.min, ranges)
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
	rng := rand.New(rand.NewPCG(15, 16))
	const rows, k, tokens = 512, 2560, 4
	w := randomWeights(rng, rows, k)
	x := randomActs(rng, tokens*k)
	dst := make([]int32, rows*tokens)
	p := NewPool(2)
	defer p.Close()
	eachPath(t, func(t *testing.T) {
		if Active() == "ref" {
			return // slow, and allocation-free by construction
		}
		p.MatVec(dst[:rows], w, x, k) // warm up scratch buffers
		p.MatMat(dst, w, x, k, rows, tokens)
		if n := testing.AllocsPerRun(20, func() { p.MatVec(dst[:rows], w, x, k) }); n != 0 {
			t.Errorf("MatVec: %v allocations per call", n)
		}
		if n := testing.AllocsPerRun(10, func() { p.MatMat(dst, w, x, k, rows, tokens) }); n != 0 {
			t.Errorf("MatMat: %v allocations per call", n)
		}
		fn := func(lo, hi int) {}
		if n := testing.AllocsPerRun(100, func() { p.Run(10, fn) }); n != 0 {
			t.Errorf("Run: %v allocations per call", n)
		}
	})
}

// TestPoolConcurrentCallers shares one Pool between goroutines; calls are
// serialized, and the race detector checks the hand-offs.
func TestPoolConcurrentCallers(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	const rows, k = 256, 2560
	w := randomWeights(rng, rows, k)
	x := randomActs(rng, k)
	want := make([]int32, rows)
	MatVecRef(want, w, x, k)
	p := NewPool(2)
	defer p.Close()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := make([]int32, rows)
			for i := 0; i < 50; i++ {
				p.MatVec(dst, w, x, k)
				if d := firstDiff(dst, want); d != "" {
					t.Error(d)
					return
				}
				var sum atomic.Int64
				p.Run(rows, func(lo, hi int) {
					for r := lo; r < hi; r++ {
						sum.Add(int64(dst[r]))
					}
				})
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
	rng := rand.New(rand.NewPCG(19, 20))
	w := randomWeights(rng, 64, 2560)
	x := randomActs(rng, 2560)
	got, want := make([]int32, 64), make([]int32, 64)
	p.MatVec(got, w, x, 2560)
	MatVecRef(want, w, x, 2560)
	if d := firstDiff(got, want); d != "" {
		t.Fatal(d)
	}
}
