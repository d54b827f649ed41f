package model

import (
	"fmt"
	"strings"
	"time"

	"github.com/bitnet-go/bitnet/kernel"
)

// Prefetch settings of LoadOptions: PrefetchAuto calibrates at load; a hint
// name (kernel.ParsePrefetch: nta, t0, t2, none) forces that hint on every
// stream; PrefetchDefault keeps the kernel package's defaults untimed.
const (
	PrefetchAuto    = "auto"
	PrefetchDefault = "default"
)

// Calibration bounds: every timed run streams about calibrateRunBytes of
// the model's own weights, in calibrateRounds rounds over the hints, from a
// rotation of at least calibrateSetBytes read once untimed first: each
// timed run then reads data last touched ~calibrateSetBytes ago, beyond a
// last-level cache (32 MB here), and streams from memory as decoding does.
// A 2B4T-sized model reads ~300 MB in all: ~10 ms at 30 GB/s.
const (
	calibrateRounds   = 3
	calibrateRunBytes = 4 << 20
	calibrateSetBytes = 96 << 20
)

// setPrefetch applies LoadOptions.Prefetch to the kernels (process-wide)
// and records what runs, for PrefetchInfo.
func (m *Model) setPrefetch(setting string) error {
	switch setting {
	case "", PrefetchAuto:
		start := time.Now()
		m.prefetch = m.calibrate()
		m.prefetchHow = fmt.Sprintf("calibrated in %.1f ms", float64(time.Since(start).Microseconds())/1e3)
		if len(kernel.PrefetchVariants()) == 0 {
			m.prefetchHow = "no variants on this path"
		}
	case PrefetchDefault:
		m.prefetchHow = "default"
	default:
		h, err := kernel.ParsePrefetch(setting)
		if err != nil {
			return fmt.Errorf("prefetch: %w (or auto, default)", err)
		}
		for s := range kernel.NumStreams {
			kernel.SetPrefetch(s, h)
		}
		m.prefetchHow = "forced"
	}
	return nil
}

// PrefetchInfo says which prefetch variant each streaming kernel of this
// model runs with and how it was chosen, e.g. "ternary t0, head t2,
// attention t0 (calibrated in 9 ms)"; with details, the calibration's
// measured read speeds too. Every layout and head type has variants, so
// every stream is named.
func (m *Model) PrefetchInfo(details bool) string {
	var parts []string
	for s := range kernel.NumStreams {
		parts = append(parts, fmt.Sprintf("%v %v", s, kernel.PrefetchOf(s)))
	}
	out := strings.Join(parts, ", ") + " (" + m.prefetchHow + ")"
	if details {
		for _, c := range m.prefetch {
			if c.Best[c.Chosen] > 0 {
				out += "; " + c.String()
			}
		}
	}
	return out
}

// calibrate times the prefetch variants of the ternary mat-vec and of the
// LM head on the model's own matrices, split over the model's threads as
// decoding splits them, and leaves the fastest of each set. Attention keeps
// its default: at load the KV cache holds nothing to time it on.
func (m *Model) calibrate() []kernel.Calibration {
	if len(kernel.PrefetchVariants()) == 0 {
		return nil
	}
	var out []kernel.Calibration

	// Ternary: whole gate, up and down matrices (the same size), until the
	// set reaches calibrateSetBytes.
	var mats []*Linear
	setBytes := 0
	for _, pick := range []func(l *Layer) *Linear{
		func(l *Layer) *Linear { return &l.Gate },
		func(l *Layer) *Linear { return &l.Up },
		func(l *Layer) *Linear { return &l.Down },
	} {
		for i := range m.W.Layers {
			if setBytes >= calibrateSetBytes {
				break
			}
			l := pick(&m.W.Layers[i])
			if len(mats) > 0 && (len(l.Packed) != len(mats[0].Packed) || l.Format != mats[0].Format) {
				continue // every timed run reads as many bytes with one kernel
			}
			mats = append(mats, l)
			setBytes += len(l.Packed)
		}
	}
	if len(mats) > 0 {
		x := make([]int8, m.kMax)
		dst := make([]int32, m.accRows)
		run := func(i int) {
			l := mats[i%len(mats)]
			rb := l.Format.rowBytes(l.K)
			m.pool.RunSplit(l.Rows, splitMin(rb), func(lo, hi int) {
				switch l.Format {
				case FormatT5S:
					kernel.MatVecT5S(dst[lo:hi], l.Packed[lo*rb:hi*rb], x[:l.K], l.K)
				case FormatT3S:
					kernel.MatVecT3S(dst[lo:hi], l.Packed[lo*rb:hi*rb], x[:l.K], l.K)
				default:
					kernel.MatVec(dst[lo:hi], l.Packed[lo*rb:hi*rb], x[:l.K], l.K)
				}
			}, nil)
		}
		for i := range mats { // fault in and leave the caches
			run(i)
		}
		out = append(out, kernel.Calibrate(kernel.StreamTernary, calibrateRounds, len(mats[0].Packed), run))
	}

	// LM head: slices of calibrateRunBytes spread over the whole matrix.
	head := m.W.Head()
	H := m.W.Hidden
	rowBytes := head.rowBytes(H)
	rows := min(m.W.Vocab, max(1, calibrateRunBytes/rowBytes))
	slices := max(1, min(m.W.Vocab/rows, calibrateSetBytes/calibrateRunBytes))
	gap := m.W.Vocab / slices
	x := make([]float32, H)
	var xq kernel.Q8K
	if head.Type == TableQ6_K {
		xq = kernel.NewQ8K(H)
		kernel.QuantizeQ8_K(xq, x)
	}
	dst := make([]float32, rows)
	run := func(i int) {
		lo := (i % slices) * gap
		m.pool.Run(rows, func(a, b int) {
			switch head.Type {
			case TableQ6_K:
				kernel.MatVecQ6_K(dst[a:b], head.Data[(lo+a)*rowBytes:(lo+b)*rowBytes], xq, H)
				return
			case TableQ8_0:
				kernel.MatVecQ8_0(dst[a:b], head.Data[(lo+a)*rowBytes:(lo+b)*rowBytes], x, H)
				return
			}
			kernel.MatVecF16(dst[a:b], head.F16[(lo+a)*H:(lo+b)*H], x, H)
		})
	}
	for i := range slices {
		run(i)
	}
	out = append(out, kernel.Calibrate(kernel.StreamHead, calibrateRounds, rows*rowBytes, run))
	return out
}
