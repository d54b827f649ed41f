package sched

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Pool runs parallel-fors on a fixed set of goroutines: a Pool of n
// threads is the calling goroutine plus n−1 workers started once by
// NewPool. Run, RunChunks and RunSplit cut [0, n) into ranges ("bands")
// and call a function on each.
//
// The caller and the workers claim bands from a shared counter, so a worker
// that the OS has not scheduled yet simply ends up with fewer bands (or
// none) instead of stalling the call. Calls neither allocate nor start
// goroutines: hand-offs go through atomics, and between calls the workers
// spin for up to spinTime, then sleep on a channel. Calls from several
// goroutines are serialized.
type Pool struct {
	mu      sync.Mutex
	threads int
	workers []*worker
	seq     uint64        // number of jobs handed out
	claim   atomic.Uint64 // seq<<32 | bands<<16 | next band of the current job
	pending atomic.Int32  // bands (split job: rows) of the current job not yet finished
	waiting atomic.Bool   // the caller sleeps on done: whoever clears it sends
	done    chan struct{}
	job     job
	segs    []segment // a split job's segments, one per thread
	exited  sync.WaitGroup

	callerStop func() bool // Idle's stop for the caller: every band is done
}

// Idle is optional work for a thread of a job that finds no band left to
// claim while other threads still run theirs, e.g. reading what the next
// job will read into the caches. thread is 0 for the caller and 1… for the
// workers. It must bound its work (a worker's next job may never come) and
// return soon after stop() reports true (check it every few microseconds of
// work): for the caller, when every band of the job is done; for a worker,
// when the next job has been posted. Idle runs concurrently with the
// caller's code after the job returns, so it must read only what the caller
// does not change.
type Idle func(thread int, stop func() bool)

// worker is one of a Pool's goroutines.
type worker struct {
	todo     atomic.Uint64 // sequence number of the job to join; closed to exit
	sleeping atomic.Bool   // parked on wake: whoever clears it sends a token
	wake     chan struct{}
	thread   int         // Idle's thread number
	cur      uint64      // the job the worker last joined (its goroutine only)
	stop     func() bool // Idle's stop: a job other than cur was posted
}

// closed is the todo value telling a worker to exit.
const closed = ^uint64(0)

// job is the call being run, cut in bands of chunk items of n (or a split
// job's ranges, split.go). Its fields are written before the job's claim
// word is published and read only by a goroutine holding a band of it.
type job struct {
	n, chunk int
	fn       func(lo, hi int)
	idle     Idle // run by a thread that ran out of bands, or nil
}

const (
	// BandRows is the granularity of RunSplit's ranges (the row count of
	// the kernels' tiles).
	BandRows = 16
	// spinTime is how long an idle worker, or a caller waiting for the
	// last bands, polls before it sleeps.
	spinTime = 50 * time.Microsecond
	// maxThreads bounds NewPool (bands must fit the claim word).
	maxThreads = 4096
	// maxBands is the most bands a job has (they count in 16 bits of the
	// claim word, where all ones marks a split job).
	maxBands = 1<<16 - 2
)

// NewPool returns a Pool of threads threads (runtime.GOMAXPROCS(0) if
// threads ≤ 0). A Pool of one thread runs everything inline.
func NewPool(threads int) *Pool {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	threads = min(threads, maxThreads)
	p := &Pool{threads: threads, done: make(chan struct{}, 1), segs: make([]segment, threads)}
	p.callerStop = func() bool { return p.pending.Load() == 0 }
	for i := 1; i < threads; i++ {
		w := &worker{wake: make(chan struct{}, 1), thread: i}
		w.stop = func() bool { return w.todo.Load() != w.cur }
		p.workers = append(p.workers, w)
		p.exited.Add(1)
		go p.work(w, threads)
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

// Run calls fn(lo, hi) on at most Threads() disjoint ranges covering
// [0, n), in parallel, and returns when all have returned. Ranges are as
// even as possible; a Pool of one thread calls fn(0, n). fn runs on other
// goroutines, so a closure passed here is heap-allocated by its caller.
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
	chunk := (n + bands - 1) / bands
	p.job = job{n: n, chunk: chunk, fn: fn}
	p.run((n + chunk - 1) / chunk)
}

// RunChunks calls fn(lo, hi) on the ranges [i·chunk, min((i+1)·chunk, n))
// covering [0, n), in parallel: threads claim ranges as they finish the
// last, so a thread that the OS slows down takes fewer. A Pool of one
// thread calls fn(0, n). At most 1<<16−1 ranges: a smaller chunk is
// raised to fit.
func (p *Pool) RunChunks(n, chunk int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.runChunks(n, chunk, fn, nil)
}

// runChunks is RunChunks (with idle work) for a caller holding p.mu.
func (p *Pool) runChunks(n, chunk int, fn func(lo, hi int), idle Idle) {
	chunk = max(chunk, 1, (n+maxBands-1)/maxBands)
	bands := (n + chunk - 1) / chunk
	if p.threads <= 1 || bands <= 1 {
		fn(0, n)
		return
	}
	p.job = job{n: n, chunk: chunk, fn: fn, idle: idle}
	p.run(bands)
}

// run publishes the job (p.job, already set) as bands bands, wakes the
// workers it can use, takes bands itself and waits for the rest.
func (p *Pool) run(bands int) {
	p.seq++
	seq := uint32(p.seq)
	p.pending.Store(int32(bands))
	p.claim.Store(uint64(seq)<<32 | uint64(bands)<<16)
	p.start(seq, bands-1)
}

// start posts job seq (published in p.claim) to up to n workers, runs the
// caller's share and waits for the rest.
func (p *Pool) start(seq uint32, n int) {
	for _, w := range p.workers[:min(len(p.workers), n)] {
		w.post(uint64(seq))
	}
	if idle := p.runBands(seq, 0); idle != nil && p.pending.Load() != 0 {
		idle(0, p.callerStop)
	}
	if p.pending.Load() != 0 {
		p.wait()
	}
	p.job = job{} // drop references
}

// runBands claims and runs bands (or a split job's ranges, as thread th)
// of job seq until none is left, and returns the job's Idle if it ran one
// (read while it held one).
func (p *Pool) runBands(seq uint32, th int) (idle Idle) {
	for {
		c := p.claim.Load()
		if uint32(c>>32) != seq {
			return idle
		}
		b, n := int(c&0xffff), int(c>>16&0xffff)
		if n == splitMark {
			return p.runSplit(seq, th, b*BandRows)
		}
		if b >= n {
			return idle
		}
		if p.claim.CompareAndSwap(c, c+1) {
			idle = p.job.idle
			p.runBand(b)
			p.finish(1)
		}
	}
}

// finish marks k units of the job (bands, or a split job's rows) done and
// wakes the caller if it sleeps on the last.
func (p *Pool) finish(k int32) {
	if p.pending.Add(-k) == 0 && p.waiting.CompareAndSwap(true, false) {
		p.done <- struct{}{}
	}
}

// wait returns once every band is done: it spins for up to spinTime, then
// sleeps until finish wakes it (spinning on while a worker's thread is
// preempted would only delay that worker).
func (p *Pool) wait() {
	start := time.Now()
	yield := p.threads > runtime.GOMAXPROCS(0)
	for i := 1; p.pending.Load() != 0; i++ {
		if i%256 != 0 {
			continue
		}
		if time.Since(start) > spinTime {
			p.waiting.Swap(true) // see the note on sleeping in next
			if p.pending.Load() == 0 && p.waiting.CompareAndSwap(true, false) {
				return
			}
			<-p.done // finish cleared waiting and sends
			return
		}
		if yield {
			runtime.Gosched() // let the workers have a P
		}
	}
}

// post asks w to join job seq, waking it if it sleeps.
func (w *worker) post(seq uint64) {
	w.todo.Store(seq)
	if w.sleeping.CompareAndSwap(true, false) {
		w.wake <- struct{}{}
	}
}

// next waits for a job other than last and returns its number. yield says
// the Pool has more threads than Ps: spinning must then let the goroutine
// that posts jobs run.
func (w *worker) next(last uint64, yield bool) uint64 {
	start := time.Now()
	for i := 1; ; i++ {
		if seq := w.todo.Load(); seq != last {
			return seq
		}
		if i%256 != 0 {
			continue
		}
		if time.Since(start) > spinTime {
			break
		}
		if yield {
			runtime.Gosched()
		}
	}
	// Set the flag, then re-read todo: post does the mirror (store todo,
	// then read the flag), so one side sees the other. That needs the flag's
	// store ordered before the re-read, which a read-modify-write gives on
	// every memory model and emulator; a plain atomic store was not enough
	// under qemu-user (arm64 on an x86 host), where this wait lost its
	// wake-up and deadlocked a test.
	w.sleeping.Swap(true)
	if seq := w.todo.Load(); seq != last {
		if !w.sleeping.CompareAndSwap(true, false) {
			<-w.wake // post cleared the flag and sends a token: take it
		}
		return seq
	}
	<-w.wake
	return w.todo.Load()
}

// work is the loop of a worker of a Pool of threads threads.
func (p *Pool) work(w *worker, threads int) {
	defer p.exited.Done()
	var last uint64
	for {
		last = w.next(last, threads > runtime.GOMAXPROCS(0))
		if last == closed {
			return
		}
		if idle := p.runBands(uint32(last), w.thread); idle != nil {
			w.cur = last
			idle(w.thread, w.stop)
		}
	}
}

// runBand runs band b of the current job.
func (p *Pool) runBand(b int) {
	j := &p.job
	lo := b * j.chunk
	hi := min(lo+j.chunk, j.n)
	j.fn(lo, hi)
}
