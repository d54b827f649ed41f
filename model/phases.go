package model

import "time"

// Phases accumulates where Forward's time goes, for benchmarks: the LM
// head, the ternary projections (quantizing their input, the mat-vecs and
// what their bands apply to the output), attention over the KV cache, and
// the rest (embedding, norms, RoPE, residual glue) as Total minus the
// others. Set it with State.TimePhases; a State without one reads no clock.
type Phases struct {
	Head, Ternary, Attention, Total time.Duration
	Steps                           int // Forward calls timed
}

// Glue is the time outside the named phases.
func (p *Phases) Glue() time.Duration {
	return p.Total - p.Head - p.Ternary - p.Attention
}

// TimePhases makes every later Forward on s add its phase times to p (nil:
// stop timing).
func (s *State) TimePhases(p *Phases) { s.phases = p }

// phaseStart returns the time a phase starts, or the zero time when s is
// not timed (no clock read).
func (s *State) phaseStart() time.Time {
	if s.phases == nil {
		return time.Time{}
	}
	return time.Now()
}

// The phases Forward times.
const (
	phaseHead = iota
	phaseTernary
	phaseAttention
	phaseTotal
)

// phaseEnd adds the time since start to phase k when s is timed.
func (s *State) phaseEnd(start time.Time, k int) {
	p := s.phases
	if p == nil {
		return
	}
	d := time.Since(start)
	switch k {
	case phaseHead:
		p.Head += d
	case phaseTernary:
		p.Ternary += d
	case phaseAttention:
		p.Attention += d
	case phaseTotal:
		p.Total += d
		p.Steps++
	}
}
