//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// streamBench is one streaming kernel over a rotation of units, each unit
// bytes of memory the kernel reads once per run. Units are visited in turn,
// so that a unit is not read again before the whole set (far beyond the
// last-level cache) has been.
type streamBench struct {
	name   string
	stream Stream
	units  int
	mem    func(unit int) []byte       // the bytes a unit streams
	run    func(unit, part, parts int) // the kernel on part of a unit
}

// BenchmarkStreamPrefetch times every prefetch variant of every streaming
// kernel, interleaved in each round with a plain read of the same number of
// bytes (readBytes, BenchmarkMemRead's loop) from the same rotation: the
// metrics are each variant's GB/s and its percentage of that read's GB/s,
// measured in the same run, so a noisy machine moves both (medians of the
// runs: use -benchtime=20x or more).
func BenchmarkStreamPrefetch(b *testing.B) {
	for _, sb := range streamBenches() {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", sb.name, threads), func(b *testing.B) {
				runStreamBench(b, sb, threads)
			})
		}
	}
}

func runStreamBench(b *testing.B, sb streamBench, threads int) {
	hints := PrefetchVariants()
	const read = -1 // the plain read, timed beside the hints
	cands := append([]int{read}, make([]int, len(hints))...)
	for i := range hints {
		cands[i+1] = int(hints[i])
	}
	samples := make([][]float64, len(cands)) // GB/s of every run
	var sink [2]uint64
	unit := 0
	parallel := func(f func(part int)) {
		var wg sync.WaitGroup
		for t := 1; t < threads; t++ {
			wg.Add(1)
			go func(t int) { defer wg.Done(); f(t) }(t)
		}
		f(0)
		wg.Wait()
	}
	round := 0
	for b.Loop() {
		for i := range cands {
			c := cands[(i+round)%len(cands)] // rotate the order every round
			u := unit % sb.units
			unit++
			m := sb.mem(u)
			start := time.Now()
			if c == read {
				parallel(func(part int) {
					lo, hi := len(m)*part/threads&^63, len(m)*(part+1)/threads&^63
					sink[part&1] += readBytes(m[lo:hi])
				})
			} else {
				restore := SetPrefetch(sb.stream, Prefetch(c))
				parallel(func(part int) { sb.run(u, part, threads) })
				restore()
			}
			j := (i + round) % len(cands)
			samples[j] = append(samples[j], float64(len(m))/time.Since(start).Seconds()/1e9)
		}
		round++
	}
	// The median run: robust both to runs cut by other processes and to
	// the odd run that finds its data cached.
	gbs := func(i int) float64 {
		v := slices.Clone(samples[i])
		slices.Sort(v)
		return v[len(v)/2]
	}
	b.ReportMetric(gbs(0), "read-GB/s")
	for i, c := range cands[1:] {
		name := Prefetch(c).String()
		b.ReportMetric(gbs(i+1), name+"-GB/s")
		b.ReportMetric(100*gbs(i+1)/gbs(0), name+"-%read")
	}
	b.ReportMetric(0, "ns/op") // a round's time says nothing by itself
}

// streamBenches builds the streaming kernels of a decode step at 2B4T's
// shapes: the I2_S mat-vec on each amd64 path (gate/up and down shapes,
// weights in huge pages as the model loads them), the F16 and Q8_0 LM head
// on each instruction set, and attention over a 1024-position KV cache.
func streamBenches() []streamBench {
	var out []streamBench
	for _, set := range []struct {
		name  string
		tiles *tileSet
		ok    bool
	}{
		{"avx512", avx512Tiles, cpu.X86.HasAVX512VNNI && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL},
		{"avx2", avx2Tiles, cpu.X86.HasAVX2},
	} {
		if !set.ok {
			continue
		}
		for _, shape := range [][2]int{{6912, 2560}, {2560, 6912}} {
			rows, k := shape[0], shape[1]
			ws := weightSet(rows, k, weightSetBytes)
			x := benchActs(k)
			dst := make([]int32, rows)
			tiles := set.tiles
			out = append(out, streamBench{
				name:   fmt.Sprintf("matvec-%s/%dx%d", set.name, rows, k),
				stream: StreamTernary,
				units:  len(ws),
				mem:    func(u int) []byte { return ws[u] },
				run: func(u, part, parts int) {
					lo, hi := rows*part/parts&^15, rows*(part+1)/parts&^15
					tiles.matVec(dst[lo:hi], ws[u][lo*k/4:hi*k/4], x, k)
				},
			})
		}
	}

	// LM heads: 1/4 of 2B4T's 128256 rows per unit, 4 units (656 MB F16).
	const headRows, hidden, headUnits = 128256 / 4, 2560, 4
	rng := rand.New(rand.NewPCG(3, 4))
	f16 := hugeBytes(headUnits * headRows * hidden * 2)
	for i := 0; i < len(f16); i += 2 {
		h := uint16(rng.IntN(0x3c00)) | uint16(rng.IntN(2))<<15
		f16[i], f16[i+1] = byte(h), byte(h>>8)
	}
	q8row := hidden / 32 * 34
	q8 := hugeBytes(headUnits * headRows * q8row)
	for i := range q8 {
		q8[i] = byte(rng.Uint32())
		if i%34 == 1 {
			q8[i] &= 0x3b
		}
	}
	xf := make([]float32, hidden)
	for i := range xf {
		xf[i] = float32(rng.NormFloat64())
	}
	headOut := make([]float32, headRows)
	f16Unit := func(u int) []byte { return f16[u*headRows*hidden*2 : (u+1)*headRows*hidden*2] }
	q8Unit := func(u int) []byte { return q8[u*headRows*q8row : (u+1)*headRows*q8row] }
	halves := func(u, lo, hi int) *uint16 {
		return (*uint16)(unsafe.Pointer(&f16Unit(u)[lo*hidden*2]))
	}
	span := func(part, parts int) (int, int) { return headRows * part / parts, headRows * (part + 1) / parts }
	if cpu.X86.HasAVX512F {
		out = append(out,
			streamBench{name: "head-f16-avx512", stream: StreamHead, units: headUnits, mem: f16Unit,
				run: func(u, part, parts int) {
					lo, hi := span(part, parts)
					matVecF16AVX512P(prefetchHint[StreamHead], &headOut[lo], halves(u, lo, hi), &xf[0], hidden, hi-lo)
				}},
			streamBench{name: "head-q8_0-avx512", stream: StreamHead, units: headUnits, mem: q8Unit,
				run: func(u, part, parts int) {
					lo, hi := span(part, parts)
					matVecQ8_0AVX512P(prefetchHint[StreamHead], &headOut[lo], &q8Unit(u)[lo*q8row], &xf[0], hidden, hi-lo)
				}})
	}
	out = append(out,
		streamBench{name: "head-f16-avx2", stream: StreamHead, units: headUnits, mem: f16Unit,
			run: func(u, part, parts int) {
				lo, hi := span(part, parts)
				matVecF16AVX2P(prefetchHint[StreamHead], &headOut[lo], halves(u, lo, hi), &xf[0], hidden, hi-lo)
			}},
		streamBench{name: "head-q8_0-avx2", stream: StreamHead, units: headUnits, mem: q8Unit,
			run: func(u, part, parts int) {
				lo, hi := span(part, parts)
				matVecQ8_0AVX2P(prefetchHint[StreamHead], &headOut[lo], &q8Unit(u)[lo*q8row], &xf[0], hidden, hi-lo)
			}})

	// Attention: 30 layers of a 1024-position cache, each position a key
	// and a value of 5 kv heads × 128 (2B4T), one unit per 6 layers; a
	// part takes every parts-th (layer, kv head) of its unit.
	const layers, perUnit, ctx, kvHeads, hd = 30, 6, 1024, 5, 128
	const kvDim = kvHeads * hd
	layerFloats := ctx * 2 * kvDim
	cache := unsafe.Slice((*float32)(unsafe.Pointer(&hugeBytes(layers * layerFloats * 4)[0])), layers*layerFloats)
	for i := range cache {
		cache[i] = float32(rng.NormFloat64())
	}
	q := make([]float32, 4*kvHeads*hd)
	for i := range q {
		q[i] = float32(rng.NormFloat64()) * 0.05
	}
	var scores, attnOut [2][]float32
	for i := range scores {
		scores[i] = make([]float32, 4*ctx)
		attnOut[i] = make([]float32, 4*hd)
	}
	attnMem := func(u int) []byte {
		f := cache[u*perUnit*layerFloats : (u+1)*perUnit*layerFloats]
		return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), len(f)*4)
	}
	// attn runs the four-head forms on path (the active one if ""), or
	// the single-head forms.
	attn := func(x4 bool, path string) func(u, part, parts int) {
		dots, axpys := DotsF32x4, AxpysF32x4
		if path == "avx2" {
			dots = func(dst []float32, dstStride int, q, m []float32, stride, count int) {
				dotsNAVX2(4, dst, dstStride, q, m, stride, count)
			}
			axpys = func(dst, w []float32, wStride int, m []float32, stride, count int) {
				axpysNAVX2(4, dst, w, wStride, m, stride, count)
			}
		}
		return func(u, part, parts int) {
			s, o := scores[part&1], attnOut[part&1]
			for j := part; j < perUnit*kvHeads; j += parts {
				c := cache[(u*perUnit+j/kvHeads)*layerFloats:]
				g := j % kvHeads
				if x4 {
					dots(s, ctx, q[g*4*hd:(g+1)*4*hd], c[g*hd:], 2*kvDim, ctx)
					clear(o)
					axpys(o, s, ctx, c[kvDim+g*hd:], 2*kvDim, ctx)
					continue
				}
				for h := 0; h < 4; h++ {
					qh := q[(g*4+h)*hd : (g*4+h+1)*hd]
					DotsF32(s[:ctx], qh, c[g*hd:], 2*kvDim)
					AxpysF32(o[:hd], s[:ctx], c[kvDim+g*hd:], 2*kvDim)
				}
			}
		}
	}
	out = append(out,
		streamBench{name: "attention-x4", stream: StreamAttention, units: layers / perUnit, mem: attnMem, run: attn(true, "")},
		streamBench{name: "attention-x4-avx2", stream: StreamAttention, units: layers / perUnit, mem: attnMem, run: attn(true, "avx2")},
		streamBench{name: "attention-1", stream: StreamAttention, units: layers / perUnit, mem: attnMem, run: attn(false, "")})
	return out
}
