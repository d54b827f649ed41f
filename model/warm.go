package model

import (
	"unsafe"

	"github.com/bitnet-go/bitnet/internal/sched"
)

// A decode step is a chain of parallel jobs, each waiting for the last: a
// BitLinear cannot start before the one it reads from has finished, and
// between the two the caller runs the serial glue (norms, quantizing the
// activations). A thread that runs out of bands of a BitLinear, while
// another finishes its own or the caller runs the glue, would leave memory
// idle; instead it reads the first weights it will stream in the next
// weight job into its caches (sched.Idle), so that job starts on data at
// hand instead of on a cold stream. Reading is plain loads, one per cache
// line, so it does not depend on how a CPU treats prefetch hints; it stops
// as soon as the job it waits for can go on, and reads at most warmBytes
// per thread, so it cannot evict what the next job reads first.

// warmBytes bounds the bytes a thread reads ahead for the next job: a few
// microseconds of streaming, a fraction of any L2.
const warmBytes = 128 << 10

// warmChunk is how many bytes a thread reads between checks of stop.
const warmChunk = 4 << 10

// nextJob names the weight job that follows a BitLinear in a decode step:
// up to three matrices whose rows it stacks (gated: read side by side, row
// r of each), or the LM head.
type nextJob struct {
	ls    [3]*Linear
	gated bool
	head  bool
}

// warmTarget is what each thread reads while it idles at the end of one
// BitLinear: per thread, the bytes at the start of the first band it will
// likely take in the next job. A State makes one per BitLinear of a decode
// step when it is created; they never change after, so a worker may still
// read one while the caller has moved on.
type warmTarget struct {
	parts [][3][]byte // [thread][matrix] bytes from the thread's first row
	sinks []byte      // per thread: the loaded bytes' sum, kept
	idle  sched.Idle  // run, bound to this target
}

// Decode-step BitLinears of a layer, in order (warmPlan's second index).
const (
	opQKV = iota
	opO
	opGateUp
	opDown
	numOps
)

// warmPlan makes the warm targets of every BitLinear of a decode step on
// the pool, and the LM head's (the next token's first QKV), or nils on one
// thread.
func (m *Model) warmPlan() ([][numOps]*warmTarget, *warmTarget) {
	if m.pool.Threads() <= 1 || len(m.W.Layers) == 0 {
		return nil, nil
	}
	plan := make([][numOps]*warmTarget, len(m.W.Layers))
	for li := range m.W.Layers {
		L := &m.W.Layers[li]
		next := [numOps]nextJob{
			opQKV:    {ls: [3]*Linear{&L.O}},
			opO:      {ls: [3]*Linear{&L.Gate, &L.Up}, gated: true},
			opGateUp: {ls: [3]*Linear{&L.Down}},
			opDown:   {head: true},
		}
		if li+1 < len(m.W.Layers) {
			N := &m.W.Layers[li+1]
			next[opDown] = nextJob{ls: [3]*Linear{&N.Q, &N.K, &N.V}}
		}
		for k := range next {
			plan[li][k] = m.warmTarget(next[k])
		}
	}
	L := &m.W.Layers[0]
	return plan, m.warmTarget(nextJob{ls: [3]*Linear{&L.Q, &L.K, &L.V}})
}

// warmTarget returns the target whose parts start next's first bands.
func (m *Model) warmTarget(next nextJob) *warmTarget {
	threads := m.pool.Threads()
	w := &warmTarget{parts: make([][3][]byte, threads), sinks: make([]byte, threads)}
	w.idle = w.run
	if next.head {
		head := m.W.Head()
		row := head.rowBytes(m.W.Hidden)
		data := head.Data
		if head.Type == TableF16 {
			data = f16Bytes(head.F16)
		}
		for t, r := range m.pool.SplitStarts(nil, m.W.Vocab) {
			lo := min(r*row, len(data))
			w.parts[t][0] = data[lo:min(lo+warmBytes, len(data))]
		}
		return w
	}
	rows := next.ls[0].Rows
	if !next.gated {
		rows = 0
		for _, l := range next.ls {
			if l != nil {
				rows += l.Rows
			}
		}
	}
	for t, r := range m.pool.SplitStarts(nil, rows) {
		off := 0
		for i, l := range next.ls {
			if l == nil {
				break
			}
			b0 := r
			if !next.gated {
				b0 = r - off
				off += l.Rows
				if b0 < 0 || b0 >= l.Rows {
					continue
				}
			}
			lo := min(b0*l.Format.rowBytes(l.K), len(l.Packed))
			w.parts[t][i] = l.Packed[lo:min(lo+warmBytes, len(l.Packed))]
			if !next.gated {
				break // the band starts in this matrix
			}
		}
	}
	return w
}

// run is w's sched.Idle: thread reads its part, warmChunk bytes of each
// matrix at a time, until stop.
func (w *warmTarget) run(thread int, stop func() bool) {
	if thread >= len(w.parts) {
		return
	}
	p := &w.parts[thread]
	var sum byte
	for off := 0; off < warmBytes; off += warmChunk {
		if stop() {
			break
		}
		more := false
		for _, b := range p {
			if off < len(b) {
				sum += touchLines(b[off:min(off+warmChunk, len(b))])
				more = true
			}
		}
		if !more {
			break
		}
	}
	w.sinks[thread] = sum
}

// touchLines loads one byte of every 64-byte line of b and returns their
// sum (which the caller keeps, so the loads stay).
func touchLines(b []byte) (sum byte) {
	for i := 0; i < len(b); i += 64 {
		sum += b[i]
	}
	return sum
}

// f16Bytes views an F16 table as bytes.
func f16Bytes(v []uint16) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 2*len(v))
}
