package kernel

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Pool runs kernels on a fixed set of goroutines. MatVec and MatMat split the
// rows of the matrix into bands (multiples of splitRows rows), one per
// thread; Run is a generic parallel-for. The calling goroutine always takes
// one band itself, so a Pool of n threads starts n−1 goroutines, once.
//
// Calls neither allocate nor start goroutines. Hand-offs go through
// atomics: between calls the workers spin for up to spinTime, then sleep on
// a channel; a call wakes only the workers it needs. Calls from several
// goroutines are serialized.
type Pool struct {
	mu      sync.Mutex
	threads int
	workers []*worker
	seq     uint64       // number of jobs handed out
	pending atomic.Int32 // bands of the current job not yet finished
	job     job
	exited  sync.WaitGroup
}

// worker is one of a Pool's goroutines.
type worker struct {
	todo     atomic.Uint64 // sequence number of the job to run; closed to exit
	sleeping atomic.Bool   // parked on wake: whoever clears it sends a token
	wake     chan struct{}
	band     int     // the band of job todo to run
	scratch  []int32 // for paths without matMatStride
}

// closed is the todo value telling a worker to exit.
const closed = ^uint64(0)

// jobKind says what a job runs.
type jobKind int

const (
	jobRun jobKind = iota
	jobMatVec
	jobMatMat
)

// job is the call being run, split in bands of chunk items of n.
type job struct {
	kind     jobKind
	n, chunk int
	fn       func(lo, hi int)
	p        *path
	dst      []int32
	w        []byte
	x        []int8
	k        int
	tokens   int
	scratch0 []int32 // the caller's scratch, like worker.scratch
}

const (
	// splitRows is the granularity of row bands.
	splitRows = 16
	// minSplitValues is the smallest matrix (rows·k·tokens weight values
	// multiplied) worth splitting: below it waking a worker costs more
	// than it saves.
	minSplitValues = 1 << 18
	// spinTime is how long an idle worker polls before it sleeps.
	spinTime = 50 * time.Microsecond
)

// NewPool returns a Pool of threads threads (runtime.GOMAXPROCS(0) if
// threads ≤ 0). A Pool of one thread runs everything inline.
func NewPool(threads int) *Pool {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	p := &Pool{threads: threads}
	for i := 1; i < threads; i++ {
		w := &worker{wake: make(chan struct{}, 1)}
		p.workers = append(p.workers, w)
		p.exited.Add(1)
		go p.work(w)
	}
	return p
}

// Threads returns the number of threads the Pool runs on.
func (p *Pool) Threads() int { return p.threads }

// Close stops the workers and waits for them to exit. Later calls run
// inline on the caller's goroutine.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.workers {
		w.post(closed)
	}
	p.workers = nil
	p.threads = 1
	p.exited.Wait()
}

// MatVec is MatVec run on the Pool's threads.
func (p *Pool) MatVec(dst []int32, w []byte, x []int8, k int) {
	rows := len(dst)
	checkShape(rows, w, x, k, 1)
	p.mu.Lock()
	defer p.mu.Unlock()
	chunk, bands := p.split(rows, rows*k)
	if bands <= 1 {
		active.matVec(dst, w, x, k)
		return
	}
	p.job = job{kind: jobMatVec, n: rows, chunk: chunk, p: active, dst: dst, w: w, x: x, k: k}
	p.run(bands)
}

// MatMat is MatMat run on the Pool's threads.
func (p *Pool) MatMat(dst []int32, w []byte, x []int8, k, rows, tokens int) {
	checkShape(rows, w, x, k, tokens)
	if len(dst) < rows*tokens {
		panic(fmt.Sprintf("kernel: dst holds %d values, need %d", len(dst), rows*tokens))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	chunk, bands := p.split(rows, rows*k*tokens)
	if bands <= 1 {
		active.matMat(dst, w, x, k, rows, tokens)
		return
	}
	p.job = job{kind: jobMatMat, n: rows, chunk: chunk, p: active, dst: dst, w: w, x: x, k: k, tokens: tokens}
	p.run(bands)
}

// Run calls fn(lo, hi) on disjoint ranges covering [0, n), at most one per
// thread, in parallel, and returns when all have returned. Ranges are as
// even as possible; a Pool of one thread calls fn(0, n).
func (p *Pool) Run(n int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	bands := min(p.threads, n)
	if bands <= 1 {
		fn(0, n)
		return
	}
	p.job = job{kind: jobRun, n: n, chunk: (n + bands - 1) / bands, fn: fn}
	p.run((n + p.job.chunk - 1) / p.job.chunk)
}

// split cuts rows into bands of a multiple of splitRows rows, one per
// thread, unless the work is too small to be worth it.
func (p *Pool) split(rows, values int) (chunk, bands int) {
	if p.threads <= 1 || values < minSplitValues || rows < 2*splitRows {
		return rows, 1
	}
	chunk = (rows + p.threads - 1) / p.threads
	chunk = (chunk + splitRows - 1) / splitRows * splitRows
	return chunk, (rows + chunk - 1) / chunk
}

// run hands bands 1..bands−1 to workers, runs band 0 itself and waits.
func (p *Pool) run(bands int) {
	p.pending.Store(int32(bands))
	p.seq++
	for i, w := range p.workers[:bands-1] {
		w.band = i + 1
		w.post(p.seq)
	}
	p.runBand(0, &p.job.scratch0)
	p.pending.Add(-1)
	for i := 1; p.pending.Load() != 0; i++ {
		if i%1024 == 0 {
			runtime.Gosched() // a worker may be waiting for a P
		}
	}
	p.job.fn, p.job.dst, p.job.w, p.job.x = nil, nil, nil, nil // drop references
}

// post gives w the job numbered seq, waking it if it sleeps.
func (w *worker) post(seq uint64) {
	w.todo.Store(seq)
	if w.sleeping.CompareAndSwap(true, false) {
		w.wake <- struct{}{}
	}
}

// next waits for a job other than last and returns its number.
func (w *worker) next(last uint64) uint64 {
	start := time.Now()
	for i := 0; ; i++ {
		if seq := w.todo.Load(); seq != last {
			return seq
		}
		if i%256 == 255 && time.Since(start) > spinTime {
			break
		}
	}
	w.sleeping.Store(true)
	if seq := w.todo.Load(); seq != last {
		if !w.sleeping.CompareAndSwap(true, false) {
			<-w.wake // post cleared the flag and sends a token: take it
		}
		return seq
	}
	<-w.wake
	return w.todo.Load()
}

// work is a worker's loop.
func (p *Pool) work(w *worker) {
	defer p.exited.Done()
	var last uint64
	for {
		last = w.next(last)
		if last == closed {
			return
		}
		p.runBand(w.band, &w.scratch)
		p.pending.Add(-1)
	}
}

// runBand runs band b of the current job.
func (p *Pool) runBand(b int, scratch *[]int32) {
	j := &p.job
	lo := b * j.chunk
	hi := min(lo+j.chunk, j.n)
	switch j.kind {
	case jobRun:
		j.fn(lo, hi)
	case jobMatVec:
		rb := j.k / 4
		j.p.matVec(j.dst[lo:hi], j.w[lo*rb:hi*rb], j.x, j.k)
	case jobMatMat:
		matMatBand(j, lo, hi, scratch)
	}
}

// matMatBand computes rows [lo, hi) of a MatMat job for every token,
// through a scratch buffer when the path cannot write with a stride.
func matMatBand(j *job, lo, hi int, scratch *[]int32) {
	rows, rb := j.n, j.k/4
	w := j.w[lo*rb : hi*rb]
	if f := j.p.matMatStride; f != nil {
		f(j.dst[lo:], rows, w, j.x, j.k, hi-lo, j.tokens)
		return
	}
	n := hi - lo
	if cap(*scratch) < n*j.tokens {
		*scratch = make([]int32, n*j.tokens)
	}
	s := (*scratch)[:n*j.tokens]
	j.p.matMat(s, w, j.x, j.k, n, j.tokens)
	for t := 0; t < j.tokens; t++ {
		copy(j.dst[t*rows+lo:t*rows+hi], s[t*n:(t+1)*n])
	}
}
