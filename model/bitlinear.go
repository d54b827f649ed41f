package model

import (
	"github.com/bitnet-go/bitnet/internal/sched"
	"github.com/bitnet-go/bitnet/kernel"
)

// One BitLinear operation serves every token count: quantize the T input
// rows to int8 (kernel.Quantize), compute the exact int32 products of up
// to three matrices that read them (kernel.MatMatStride, band of rows by
// band of rows on the pool), and turn each product into floats with
// dequant inside the same band, where the epilogue stores it, adds it to
// the residual stream or combines gate and up. A decode step (T = 1) and a
// prefill (T > 1) differ only in how rows are cut into bands (runRows),
// which integer products do not see: their float outputs are the same bit
// for bit, on any number of threads.

// epilogue says how a BitLinear writes its outputs y = dequant(Σ t·q).
type epilogue int

const (
	// store writes y: each matrix of the op into its own output.
	store epilogue = iota
	// addTo adds y to the output: the residual stream after o_proj and
	// down_proj.
	addTo
	// reluSqrUp reads two matrices of equal rows, gate and up, and writes
	// relu(y_gate)²·y_up into the first output (BitNet b1.58's feed-forward,
	// docs/SEMANTICS.md §1).
	reluSqrUp
	// siluUp is reluSqrUp with silu(y_gate)·y_up (the Llama family's
	// feed-forward, arch.SiLU).
	siluUp
)

// gated reports whether the epilogue combines two matrices row by row.
func (e epilogue) gated() bool { return e == reluSqrUp || e == siluUp }

// bitLinear is one BitLinear operation on the T tokens quantized in s.xq:
// the matrices ls (unused ones nil, at the end) and where their outputs
// go, out[i][t·stride[i] + r] for token t and row r of matrix i.
type bitLinear struct {
	ls     [3]*Linear
	out    [3][]float32
	stride [3]int
	epi    epilogue
	T      int
	ldd    int // stride of the int32 products in s.acc: the matrices' rows
	layer  int // which BitLinear of a decode step this is (warm.go)
	kind   int // opQKV … opDown
}

// linear runs op: it quantizes the T rows x[t·xStride : t·xStride+cols]
// (padded with zeros to the matrices' K) and computes op on the pool.
func (m *Model) linear(s *State, x []float32, xStride, cols int, op bitLinear) {
	K := op.ls[0].K
	for t := 0; t < op.T; t++ {
		row := s.xq[t*K : (t+1)*K]
		s.scale[t], _ = kernel.Quantize(row[:cols], x[t*xStride:t*xStride+cols])
		clear(row[cols:])
	}
	op.ldd = 0
	for _, l := range op.ls {
		if l != nil {
			op.ldd += l.Rows
		}
	}
	rows := op.ldd
	if op.epi.gated() {
		rows = op.ls[0].Rows
	}
	if op.T == 1 {
		for _, l := range op.ls {
			if l != nil && l.Format == FormatT5S {
				s.t5s.Prepare(s.xq[:K], K) // once for every band
				break
			}
		}
	}
	var idle sched.Idle
	if op.T == 1 && s.warm != nil {
		idle = s.warm[op.layer][op.kind].idle
	}
	start := s.phaseStart()
	s.op = op
	rowBytes := op.ls[0].Format.rowBytes(K)
	if op.epi.gated() {
		rowBytes *= 2 // a row of gate and one of up
	}
	m.runRows(rows, K, op.T, rowBytes, s.bands.linear, idle)
	s.op = bitLinear{}
	s.phaseEnd(start, phaseTernary)
}

const (
	// splitMinBytes is the least weight bytes a thread takes at a time in
	// a one-token BitLinear or the LM head (sched.Pool.RunSplit: each
	// thread streams its own segment of the rows in ranges that shrink to
	// this, then takes the others' leftovers): small enough that threads
	// finish within a few microseconds of each other.
	splitMinBytes = 64 << 10
	// bandsPerThread is how many bands the rows of a many-token BitLinear
	// are cut into per thread.
	bandsPerThread = 2
	// minSplitValues is the smallest many-token product (rows·K·T weight
	// values multiplied) worth splitting: below it waking a worker costs
	// more than it saves.
	minSplitValues = 1 << 18
)

// splitMin is the fewest rows of rowBytes bytes a RunSplit range holds.
func splitMin(rowBytes int) int { return max(1, splitMinBytes/max(rowBytes, 1)) }

// runRows runs fn on the pool over bands [lo, hi) covering the rows of a
// BitLinear of T tokens and K columns, rowBytes weight bytes per row. One
// token streams each weight once from memory: each thread its own segment
// of the rows (sched.Pool.RunSplit). Many tokens are compute-bound tiles
// over every token: bandsPerThread bands of a multiple of sched.BandRows
// rows per thread, or one call when the product is small. idle (one token
// only) runs on threads that ran out of rows (sched.Idle).
func (m *Model) runRows(rows, K, T, rowBytes int, fn func(lo, hi int), idle sched.Idle) {
	if T == 1 {
		m.pool.RunSplit(rows, splitMin(rowBytes), fn, idle)
		return
	}
	threads := m.pool.Threads()
	if threads <= 1 || rows*K*T < minSplitValues || rows < 2*sched.BandRows {
		fn(0, rows)
		return
	}
	n := threads * bandsPerThread
	chunk := ((rows+n-1)/n + sched.BandRows - 1) / sched.BandRows * sched.BandRows
	m.pool.RunChunks(rows, chunk, fn)
}

// linearRows computes rows [lo, hi) of s.op for its T tokens: rows of the
// matrices stacked one after the other, or of gate and up together.
func (s *State) linearRows(lo, hi int) {
	op := &s.op
	if op.epi.gated() {
		s.gatedRows(lo, hi)
		return
	}
	off := 0
	for i, l := range op.ls {
		if l == nil {
			break
		}
		b0, b1 := max(lo, off)-off, min(hi, off+l.Rows)-off
		if b0 < b1 {
			acc := s.products(l, off, b0, b1)
			for t := 0; t < op.T; t++ {
				a := s.scale[t]
				d := acc[t*op.ldd : t*op.ldd+b1-b0]
				y := op.out[i][t*op.stride[i]+b0 : t*op.stride[i]+b1]
				if op.epi == addTo {
					kernel.DequantAdd(y, d, a, l.Scale)
				} else {
					kernel.Dequant(y, d, a, l.Scale)
				}
			}
		}
		off += l.Rows
	}
}

// gatedRows computes rows [lo, hi) of gate (ls[0]) and up (ls[1]) and
// writes their gated product to out[0].
func (s *State) gatedRows(lo, hi int) {
	op := &s.op
	gate, up := op.ls[0], op.ls[1]
	accG := s.products(gate, 0, lo, hi)
	accU := s.products(up, gate.Rows, lo, hi)
	for t := 0; t < op.T; t++ {
		a := s.scale[t]
		g := accG[t*op.ldd : t*op.ldd+hi-lo]
		u := accU[t*op.ldd : t*op.ldd+hi-lo][:len(g)]
		out := op.out[0][t*op.stride[0]+lo : t*op.stride[0]+hi][:len(g)]
		switch op.epi {
		case reluSqrUp:
			kernel.DequantReluSqrMul(out, g, u, a, gate.Scale, up.Scale)
		case siluUp:
			kernel.DequantSiluMul(out, g, u, a, gate.Scale, up.Scale)
		}
	}
}

// products computes rows [b0, b1) of l for every token of s.op into s.acc,
// at columns off+b0… of rows op.ldd apart, and returns s.acc from there.
func (s *State) products(l *Linear, off, b0, b1 int) []int32 {
	op := &s.op
	acc := s.acc[off+b0 : op.T*op.ldd]
	rb := l.Format.rowBytes(l.K)
	switch {
	case l.Format == FormatT5S && op.T == 1:
		kernel.MatVecT5SActs(acc[:b1-b0], l.Packed[b0*rb:b1*rb], &s.t5s)
	case l.Format == FormatT5S:
		kernel.MatMatStrideT5S(acc, op.ldd, l.Packed[b0*rb:b1*rb], s.xq[:op.T*l.K], l.K, b1-b0, op.T)
	case l.Format == FormatT3S:
		kernel.MatMatStrideT3S(acc, op.ldd, l.Packed[b0*rb:b1*rb], s.xq[:op.T*l.K], l.K, b1-b0, op.T)
	default:
		kernel.MatMatStride(acc, op.ldd, l.Packed[b0*rb:b1*rb], s.xq[:op.T*l.K], l.K, b1-b0, op.T)
	}
	return acc
}
