package model

import (
	"fmt"
	"math"
	"runtime"
	"unsafe"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/hugemem"
	"github.com/bitnet-go/bitnet/internal/sched"
	"github.com/bitnet-go/bitnet/internal/sysmem"
	"github.com/bitnet-go/bitnet/kernel"
)

// Model runs the forward pass over Weights. It is safe for one goroutine at
// a time per State; several States may share a Model sequentially.
type Model struct {
	W       *Weights
	invFreq []float32
	kMax    int // widest padded in-dimension of any projection
	accRows int // most output rows of one BitLinear operation
	pool    *sched.Pool
	file    *gguf.File // set by Open

	prefetch    []kernel.Calibration // what OpenWith's calibration measured
	prefetchHow string               // how the kernels' prefetch hints were chosen
}

// New checks w and prepares a model running on threads threads (≤ 0: 1).
func New(w *Weights, threads int) (*Model, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	m := &Model{W: w, invFreq: ropeInvFreq(w.RopeTheta, w.HeadDim), pool: sched.NewPool(max(threads, 1)), prefetchHow: "default"}
	for i := range w.Layers {
		L := &w.Layers[i]
		for _, l := range L.linears() {
			m.kMax = max(m.kMax, l.K)
		}
		m.accRows = max(m.accRows, L.Q.Rows+L.K.Rows+L.V.Rows, L.Gate.Rows+L.Up.Rows, L.O.Rows, L.Down.Rows)
	}
	f16ToF32()
	return m, nil
}

// Close releases the model's worker threads.
func (m *Model) Close() {
	m.pool.Close()
	if m.file != nil {
		m.file.Close()
	}
}

// Threads reports the number of threads the model uses.
func (m *Model) Threads() int { return m.pool.Threads() }

func (l *Layer) linears() []*Linear {
	return []*Linear{&l.Q, &l.K, &l.V, &l.O, &l.Gate, &l.Up, &l.Down}
}

// State is one sequence: its KV cache and scratch buffers.
type State struct {
	pos    int
	ctx    int
	cache  [][]float32 // KV cache per layer, [ctx][K: KVHeads·HeadDim | V: same]
	kvFree func()      // releases the memory behind kv
	kvGC   runtime.Cleanup
	hidden func(layer int, h []float32)
	phases *Phases // see TimePhases

	batch  int
	h, x   []float32 // residual and normed input, [batch][Hidden]
	gate   []float32 // [batch][Intermediate]
	q      []float32 // [batch][Heads·HeadDim]
	kv     []float32 // [batch][2·KVHeads·HeadDim]
	attn   []float32 // [batch][Heads·HeadDim]
	xq     []int8    // [batch][kMax]
	scale  []float32 // [batch]
	acc    []int32   // [batch][accRows]
	scores []float32 // [Heads][ctx]
	pad    []float32 // [thread][4 queries | 4 outputs][HeadDim]: attendGroups' padded jobs
	cos    []float32 // [batch][HeadDim/2]: RoPE tables of the current tokens
	sin    []float32
	logits []float32

	// Work handed to the pool: the call's parameters here, read by the
	// band functions of bands.
	op               bitLinear // linear
	attnLayer, attnT int       // attend
	headOut, headIn  []float32 // lmHead
	bands            bandFuncs

	headQ8K kernel.Q8K     // lmHead's input, quantized for a Q6_K head
	t5s     kernel.T5SActs // a one-token BitLinear's input, prepared for T5_S matrices

	warm     [][numOps]*warmTarget // per layer and BitLinear: read ahead while idle (warm.go)
	warmHead *warmTarget           // the same after the LM head: the next token's first weights
}

// bandFuncs are the functions a State hands to the pool, each computing
// bands [lo, hi) of the call whose parameters are in the State. They are
// made once per State, so that a decode step allocates no closures; what
// a band is (rows, heads, threads) is each function's business.
type bandFuncs struct {
	linear     func(lo, hi int) // rows of s.op (State.linearRows)
	attnHeads  func(lo, hi int) // query heads (Model.attendHeads)
	attnGroups func(lo, hi int) // threads of grouped heads (Model.attendGroups)
	lmHead     func(lo, hi int) // logits rows (Model.lmHeadRows)
}

// NewState makes a sequence holding up to ctx tokens (≤ 0 or more than the
// model's context length: the model's context length; ContextFor gives
// what a run needs). The KV cache for all of them is reserved at once,
// after checking it fits in the memory available: if not, the error names
// the bytes and the flag that reduces them.
func (m *Model) NewState(ctx int) (*State, error) {
	c := &m.W.Config
	if ctx <= 0 || ctx > c.ContextLength {
		ctx = c.ContextLength
	}
	// The whole context's cache, reserved up front outside the Go heap in
	// huge pages: it never grows or moves, and memory is touched (and
	// counted in RSS) only as tokens arrive, 2 MiB at a time per layer.
	per := ctx * 2 * c.KVHeads * c.HeadDim
	scoreRows := max(c.Heads, 4*m.pool.Threads())
	kvBytes := uint64(c.Layers) * uint64(per) * 4
	need := kvBytes + uint64(scoreRows)*uint64(ctx)*4
	if err := checkBudget(need, func() string {
		return fmt.Sprintf("a context of %d tokens needs %d bytes of KV cache (%d layers × %d bytes per token)", ctx, kvBytes, c.Layers, 2*c.KVHeads*c.HeadDim*4)
	}, "use a smaller context: infer -c N, or fewer prompt + -n tokens (the cache is sized from them when -c is 0)"); err != nil {
		return nil, err
	}
	mem, free, err := hugemem.Alloc(c.Layers * per * 4)
	if err != nil {
		return nil, fmt.Errorf("model: the KV cache for a context of %d tokens: %w (use a smaller context: infer -c N)", ctx, err)
	}
	s := &State{ctx: ctx, cache: make([][]float32, c.Layers)}
	all := unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(mem))), len(mem)/4)
	for i := range s.cache {
		s.cache[i] = all[i*per : i*per : (i+1)*per]
	}
	s.kvFree = free
	s.kvGC = runtime.AddCleanup(s, func(free func()) { free() }, free)
	// Score rows: one per query head (attendHeads), or four per thread
	// (attendGroups).
	s.scores = make([]float32, scoreRows*ctx)
	s.pad = make([]float32, m.pool.Threads()*8*c.HeadDim)
	if m.W.Head().Type == TableQ6_K {
		s.headQ8K = kernel.NewQ8K(c.Hidden)
	}
	s.warm, s.warmHead = m.warmPlan()
	s.bands = bandFuncs{
		linear:     s.linearRows,
		attnHeads:  func(lo, hi int) { m.attendHeads(s, lo, hi) },
		attnGroups: func(lo, hi int) { m.attendGroups(s, lo, hi) },
		lmHead:     func(lo, hi int) { m.lmHeadRows(s, lo, hi) },
	}
	return s, nil
}

// ContextFor returns the context a run needs: requested when positive,
// else the prompt plus maxTokens new tokens (maxTokens ≤ 0 generates until
// the context is full: the model's), never more than the model's context
// length.
func (m *Model) ContextFor(requested, prompt, maxTokens int) int {
	n := m.W.ContextLength
	switch {
	case requested > 0:
		return min(requested, n)
	case maxTokens > 0 && prompt >= 0 && maxTokens < n && prompt < n-maxTokens:
		return prompt + maxTokens
	}
	return n
}

// available reports the memory a new allocation may take
// (sysmem.Available; tests replace it).
var available = sysmem.Available

// checkBudget fails when need bytes exceed the memory available, with the
// description what() and the advice how to need less. Where no estimate
// exists the allocation is just tried.
func checkBudget(need uint64, what func() string, advice string) error {
	avail, ok := available()
	if !ok || need <= avail {
		return nil
	}
	return fmt.Errorf("model: %s: %d bytes (%.1f GiB), more than the %d bytes (%.1f GiB) of memory available; %s",
		what(), need, float64(need)/(1<<30), avail, float64(avail)/(1<<30), advice)
}

// Pos is the number of tokens in the cache.
func (s *State) Pos() int { return s.pos }

// Reset empties the cache.
func (s *State) Reset() {
	s.pos = 0
	for i := range s.cache {
		s.cache[i] = s.cache[i][:0]
	}
}

// Close releases the KV cache's memory now rather than when s is garbage
// collected. s must not be used after.
func (s *State) Close() {
	if s.kvFree != nil {
		s.kvGC.Stop()
		s.kvFree()
		s.cache, s.kvFree = nil, nil
	}
}

// OnHidden sets a function called after every decoder layer with the
// residual stream of the tokens of the current Forward call, [T][Hidden].
func (s *State) OnHidden(f func(layer int, h []float32)) { s.hidden = f }

// ensureBatch sizes the scratch buffers for T tokens and the logits for
// n positions, checking the memory they take first.
func (m *Model) ensureBatch(s *State, T, n int) error {
	c := &m.W.Config
	var need uint64
	if s.batch < T {
		perToken := 4*(c.Hidden+3*max(c.Hidden, c.Intermediate)+c.Intermediate+2*c.Heads*c.HeadDim+2*c.KVHeads*c.HeadDim+1+c.HeadDim+m.accRows) + m.kMax
		need += uint64(T) * uint64(perToken)
	}
	if cap(s.logits) < n*c.Vocab {
		need += uint64(n) * uint64(c.Vocab) * 4
	}
	if need == 0 {
		return nil
	}
	if err := checkBudget(need, func() string {
		return fmt.Sprintf("a batch of %d tokens (logits for %d) needs scratch memory", T, n)
	}, "use a shorter prompt (infer -p, bench -p)"); err != nil {
		return err
	}
	if cap(s.logits) < n*c.Vocab {
		s.logits = make([]float32, n*c.Vocab)
	}
	if s.batch >= T {
		return nil
	}
	s.batch = T
	s.h = make([]float32, T*c.Hidden)
	s.x = make([]float32, T*max(c.Hidden, c.Intermediate))
	s.gate = make([]float32, T*c.Intermediate)
	s.q = make([]float32, T*c.Heads*c.HeadDim)
	s.kv = make([]float32, T*2*c.KVHeads*c.HeadDim)
	s.attn = make([]float32, T*c.Heads*c.HeadDim)
	s.xq = make([]int8, T*m.kMax)
	s.scale = make([]float32, T)
	s.cos = make([]float32, T*c.HeadDim/2)
	s.sin = make([]float32, T*c.HeadDim/2)
	s.acc = make([]int32, T*m.accRows)
	return nil
}

// Forward appends tokens to the sequence and returns logits: for every
// token ([T][Vocab]) when all is true, else for the last token only. The
// returned slice is owned by s and valid until its next Forward.
func (m *Model) Forward(s *State, tokens []int, all bool) ([]float32, error) {
	c := &m.W.Config
	T := len(tokens)
	if T == 0 {
		return nil, fmt.Errorf("model: no tokens")
	}
	if s.cache == nil {
		return nil, fmt.Errorf("model: the state is closed")
	}
	if s.pos+T > s.ctx {
		return nil, fmt.Errorf("model: %d tokens after %d cached exceed the context of %d", T, s.pos, s.ctx)
	}
	for _, t := range tokens {
		if t < 0 || t >= c.Vocab {
			return nil, fmt.Errorf("model: token id %d outside the vocabulary [0, %d)", t, c.Vocab)
		}
	}
	n := T
	if !all {
		n = 1
	}
	if err := m.ensureBatch(s, T, n); err != nil {
		return nil, err
	}
	m.pool.Wake() // workers asleep since the last call spin by the first job
	start := s.phaseStart()
	H := c.Hidden
	h := s.h[:T*H]
	half := c.HeadDim / 2
	for i, t := range tokens {
		m.embed(h[i*H:(i+1)*H], t)
		ropeTables(s.cos[i*half:(i+1)*half], s.sin[i*half:(i+1)*half], m.invFreq, s.pos+i)
	}
	for l := range m.W.Layers {
		m.attention(s, l, T)
		m.mlp(s, l, T)
		if s.hidden != nil {
			s.hidden(l, h)
		}
	}
	s.pos += T
	first := 0
	if !all {
		first = T - 1
	}
	logits := s.logits[:n*c.Vocab]
	for i := first; i < T; i++ {
		x := s.x[:H]
		rmsNorm(x, h[i*H:(i+1)*H], m.W.OutputNorm, c.RMSEps)
		m.lmHead(s, logits[(i-first)*c.Vocab:(i-first+1)*c.Vocab], x)
	}
	s.phaseEnd(start, phaseTotal)
	return logits, nil
}

// embed writes token t's embedding row into dst.
func (m *Model) embed(dst []float32, t int) { m.W.Embed.row(dst, t, m.W.Hidden) }

// lmHead computes logits[v] = x · head[v] with the LM head (the tied
// embedding or the output head), rows split across the pool. A Q6_K head
// reads x quantized to Q8_K once here, as llama.cpp does.
func (m *Model) lmHead(s *State, logits, x []float32) {
	start := s.phaseStart()
	s.headOut, s.headIn = logits, x
	if m.W.Head().Type == TableQ6_K {
		kernel.QuantizeQ8_K(s.headQ8K, x)
	}
	var idle sched.Idle
	if s.warmHead != nil {
		idle = s.warmHead.idle // the next token's first weights
	}
	m.pool.RunSplit(len(logits), splitMin(m.W.Head().rowBytes(m.W.Hidden)), s.bands.lmHead, idle)
	s.headOut, s.headIn = nil, nil
	s.phaseEnd(start, phaseHead)
}

// lmHeadRows computes logits rows [lo, hi) of the call set up by lmHead.
func (m *Model) lmHeadRows(s *State, lo, hi int) {
	H := m.W.Hidden
	head := m.W.Head()
	row := head.rowBytes(H)
	switch head.Type {
	case TableQ6_K:
		kernel.MatVecQ6_K(s.headOut[lo:hi], head.Data[lo*row:hi*row], s.headQ8K, H)
	case TableQ8_0:
		kernel.MatVecQ8_0(s.headOut[lo:hi], head.Data[lo*row:hi*row], s.headIn, H)
	default:
		kernel.MatVecF16(s.headOut[lo:hi], head.F16[lo*H:hi*H], s.headIn, H)
	}
}

func (m *Model) attention(s *State, li, T int) {
	c := &m.W.Config
	L := &m.W.Layers[li]
	H, hd := c.Hidden, c.HeadDim
	qDim, kvDim := c.Heads*hd, c.KVHeads*hd
	h, x := s.h[:T*H], s.x[:T*H]
	for t := 0; t < T; t++ {
		rmsNorm(x[t*H:(t+1)*H], h[t*H:(t+1)*H], L.AttnNorm, c.RMSEps)
	}
	m.linear(s, x, H, H, bitLinear{
		ls:     [3]*Linear{&L.Q, &L.K, &L.V},
		out:    [3][]float32{s.q, s.kv, s.kv[kvDim:]},
		stride: [3]int{qDim, 2 * kvDim, 2 * kvDim},
		epi:    store, T: T, layer: li, kind: opQKV,
	})
	fam := c.Family()
	rot := rope // q/k in Hugging Face order: rotate halves
	if fam.RopeInterleaved {
		rot = ropeInterleaved // llama.cpp's permuted q/k rows: rotate pairs
	}
	for t := 0; t < T; t++ {
		cos, sin := s.cos[t*hd/2:(t+1)*hd/2], s.sin[t*hd/2:(t+1)*hd/2]
		for hh := 0; hh < c.Heads; hh++ {
			rot(s.q[t*qDim+hh*hd:t*qDim+(hh+1)*hd], cos, sin)
		}
		kv := s.kv[t*2*kvDim : (t+1)*2*kvDim]
		for hh := 0; hh < c.KVHeads; hh++ {
			rot(kv[hh*hd:(hh+1)*hd], cos, sin)
		}
		s.cache[li] = append(s.cache[li], kv...)
	}
	m.attend(s, li, T)
	o := bitLinear{ls: [3]*Linear{&L.O}, out: [3][]float32{h}, stride: [3]int{H}, epi: addTo, T: T, layer: li, kind: opO}
	if !fam.SubNorms {
		m.linear(s, s.attn, qDim, qDim, o)
		return
	}
	for t := 0; t < T; t++ {
		rmsNorm(x[t*H:(t+1)*H], s.attn[t*qDim:(t+1)*qDim], L.AttnSubNorm, c.RMSEps)
	}
	m.linear(s, x, H, qDim, o)
}

// attend computes causal grouped-query attention for the T newest tokens
// against the cache: query head j uses kv head j/(Heads/KVHeads), scores
// scaled by head_dim^-0.5, softmax in float32 (docs/SEMANTICS.md §1).
// Query heads that share a kv head go up to four at a time (attendGroups),
// so each cached key and value is read once per four; with one query head
// per kv head, one at a time (attendHeads).
func (m *Model) attend(s *State, li, T int) {
	start := s.phaseStart()
	s.attnLayer, s.attnT = li, T
	if m.W.Heads > m.W.KVHeads {
		m.pool.Run(m.pool.Threads(), s.bands.attnGroups)
	} else {
		m.pool.Run(m.W.Heads, s.bands.attnHeads)
	}
	s.phaseEnd(start, phaseAttention)
}

// attendGroups runs, for each thread b in [lo, hi), every Threads()-th job
// of the call set up by attend. A job is up to four query heads of one kv
// head and one token (a group of G = Heads/KVHeads heads takes ⌈G/4⌉
// jobs): kernel.DotsF32x4 and AxpysF32x4 (two heads: the x2 forms) load
// each cached key and value once for the job's heads, with the results of
// attendHeads bit for bit. Three heads run as four on copies padded with a
// zero query, whose results are dropped; a single one runs alone. The
// scores go to thread b's scratch rows.
func (m *Model) attendGroups(s *State, lo, hi int) {
	c := &m.W.Config
	hd, kvDim, qDim := c.HeadDim, c.KVHeads*c.HeadDim, c.Heads*c.HeadDim
	G := c.Heads / c.KVHeads
	passes := (G + 3) / 4
	scale := float32(1 / math.Sqrt(float64(hd)))
	cache := s.cache[s.attnLayer]
	threads, T := m.pool.Threads(), s.attnT
	for b := lo; b < hi; b++ {
		scratch := s.scores[b*4*s.ctx : (b+1)*4*s.ctx]
		for job := b; job < c.KVHeads*T*passes; job += threads {
			g, t, pass := job/(T*passes), job/passes%T, job%passes
			n := s.pos + t + 1
			h0, heads := g*G+4*pass, min(4, G-4*pass) // the job's first query head, how many
			q := s.q[t*qDim+h0*hd : t*qDim+(h0+heads)*hd]
			out := s.attn[t*qDim+h0*hd : t*qDim+(h0+heads)*hd]
			if heads == 3 {
				pad := s.pad[b*8*hd : (b+1)*8*hd]
				qp, op := pad[:4*hd], pad[4*hd:]
				copy(qp, q)
				clear(qp[heads*hd:])
				q, out = qp, op
			}
			keys, values := cache[g*hd:], cache[kvDim+g*hd:]
			switch len(q) / hd {
			case 4:
				kernel.DotsF32x4(scratch, s.ctx, q, keys, 2*kvDim, n)
			case 2:
				kernel.DotsF32x2(scratch, s.ctx, q, keys, 2*kvDim, n)
			default:
				kernel.DotsF32(scratch[:n], q, keys, 2*kvDim)
			}
			for h := 0; h < heads; h++ {
				row := scratch[h*s.ctx : h*s.ctx+n]
				for p, d := range row {
					row[p] = float32(d * scale)
				}
				softmax(row)
			}
			clear(out)
			switch len(out) / hd {
			case 4:
				kernel.AxpysF32x4(out, scratch, s.ctx, values, 2*kvDim, n)
			case 2:
				kernel.AxpysF32x2(out, scratch, s.ctx, values, 2*kvDim, n)
			default:
				kernel.AxpysF32(out, scratch[:n], values, 2*kvDim)
			}
			if heads == 3 {
				copy(s.attn[t*qDim+h0*hd:t*qDim+(h0+heads)*hd], out)
			}
		}
	}
}

// attendHeads runs query heads [lo, hi) of the call set up by attend.
func (m *Model) attendHeads(s *State, lo, hi int) {
	c := &m.W.Config
	hd := c.HeadDim
	qDim, kvDim := c.Heads*hd, c.KVHeads*hd
	group := c.Heads / c.KVHeads
	scale := float32(1 / math.Sqrt(float64(hd)))
	li, T := s.attnLayer, s.attnT
	cache := s.cache[li] // K at kvOff, V at kvDim+kvOff, 2·kvDim per position
	for job := lo * T; job < hi*T; job++ {
		head, t := job/T, job%T
		n := s.pos + t + 1
		q := s.q[t*qDim+head*hd : t*qDim+(head+1)*hd]
		kvOff := (head / group) * hd
		scores := s.scores[head*s.ctx : head*s.ctx+n]
		kernel.DotsF32(scores, q, cache[kvOff:], 2*kvDim)
		for p, d := range scores {
			scores[p] = float32(d * scale)
		}
		softmax(scores)
		out := s.attn[t*qDim+head*hd : t*qDim+(head+1)*hd]
		clear(out)
		kernel.AxpysF32(out, scores, cache[kvDim+kvOff:], 2*kvDim)
	}
}

func (m *Model) mlp(s *State, li, T int) {
	c := &m.W.Config
	L := &m.W.Layers[li]
	H, I := c.Hidden, c.Intermediate
	h, x := s.h[:T*H], s.x[:T*max(H, I)]
	for t := 0; t < T; t++ {
		rmsNorm(x[t*H:(t+1)*H], h[t*H:(t+1)*H], L.FFNNorm, c.RMSEps)
	}
	gate := s.gate[:T*I]
	fam := c.Family()
	epi := reluSqrUp
	if fam.Activation == arch.SiLU {
		epi = siluUp
	}
	m.linear(s, x, H, H, bitLinear{ls: [3]*Linear{&L.Gate, &L.Up}, out: [3][]float32{gate}, stride: [3]int{I}, epi: epi, T: T, layer: li, kind: opGateUp})
	down := bitLinear{ls: [3]*Linear{&L.Down}, out: [3][]float32{h}, stride: [3]int{H}, epi: addTo, T: T, layer: li, kind: opDown}
	if !fam.SubNorms {
		m.linear(s, gate, I, I, down)
		return
	}
	for t := 0; t < T; t++ {
		rmsNorm(x[t*I:(t+1)*I], gate[t*I:(t+1)*I], L.FFNSubNorm, c.RMSEps)
	}
	m.linear(s, x, I, I, down)
}
