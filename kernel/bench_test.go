package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/bitnet-go/bitnet/internal/sched"
)

// The benchmarks run on several threads the way package model does: a
// sched.Pool hands out bands of rows (bandRows), each computed with
// MatMatStride. They rotate over enough matrices (weightSetBytes in all) that
// every mat-vec streams its weights from memory, as decoding does. Compare
// BenchmarkMatVec's GB/s with BenchmarkMemRead's at the same thread count.

const weightSetBytes = 384 << 20

// bandRows computes rows·tokens outputs of w on p in bands of a multiple
// of 16 rows, two per thread (the split model uses for many tokens).
func bandRows(p *sched.Pool, dst []int32, w []byte, x []int8, k, rows, tokens int) {
	n := 2 * p.Threads()
	chunk := ((rows+n-1)/n + 15) / 16 * 16
	p.RunChunks(rows, chunk, func(lo, hi int) {
		MatMatStride(dst[lo:], rows, w[lo*k/4:hi*k/4], x, k, hi-lo, tokens)
	})
}

// benchShapes are the 2B4T projections as rows × k: q/o, k/v, gate/up, down.
var benchShapes = [][2]int{{2560, 2560}, {640, 2560}, {6912, 2560}, {2560, 6912}}

// weightSet returns n packed matrices of rows × k random codes 0..2 whose
// total size reaches at least total bytes.
func weightSet(rows, k, total int) [][]byte {
	size := rows * k / 4
	n := max(1, (total+size-1)/size)
	rng := rand.New(rand.NewPCG(uint64(rows), uint64(k)))
	// One random matrix, copied with a rotation so that each differs.
	base := make([]byte, size)
	for i := range base {
		var b byte
		for j := 0; j < 4; j++ {
			b = b<<2 | byte(rng.IntN(3))
		}
		base[i] = b
	}
	set := make([][]byte, n)
	mem := hugeBytes(n * size)
	for i := range set {
		m := mem[i*size : (i+1)*size]
		off := (i * 4099) % size
		copy(m, base[off:])
		copy(m[size-off:], base[:off])
		set[i] = m
	}
	return set
}

func benchActs(n int) []int8 {
	rng := rand.New(rand.NewPCG(9, 10))
	x := make([]int8, n)
	for i := range x {
		x[i] = int8(rng.Uint32())
	}
	return x
}

// eachBenchPath runs f once per available path except the scalar reference.
func eachBenchPath(b *testing.B, f func(b *testing.B)) {
	for _, name := range Paths() {
		if name == "ref" {
			continue
		}
		b.Run(name, func(b *testing.B) {
			restore, err := Use(name)
			if err != nil {
				b.Fatal(err)
			}
			defer restore()
			f(b)
		})
	}
}

// BenchmarkMatVec reports GB/s of packed weights streamed from memory.
func BenchmarkMatVec(b *testing.B) {
	for _, shape := range benchShapes {
		rows, k := shape[0], shape[1]
		set := weightSet(rows, k, weightSetBytes)
		x := benchActs(k)
		dst := make([]int32, rows)
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%dx%d/threads=%d", rows, k, threads), func(b *testing.B) {
				eachBenchPath(b, func(b *testing.B) {
					p := sched.NewPool(threads)
					defer p.Close()
					b.SetBytes(int64(rows * k / 4))
					i := 0
					for b.Loop() {
						bandRows(p, dst, set[i%len(set)], x, k, rows, 1)
						i++
					}
				})
			})
		}
	}
}

// BenchmarkMatMat compares one 128-token MatMat with 128 MatVecs, in GOPS
// (two operations per multiply-add). matmat and matvecs rotate over the
// weight set like BenchmarkMatVec, so each MatVec streams its matrix from
// memory as token-by-token prefill would; matvecs-warm runs the 128 MatVecs
// on one matrix, which then stays in cache.
func BenchmarkMatMat(b *testing.B) {
	const tokens = 128
	for _, shape := range benchShapes {
		rows, k := shape[0], shape[1]
		set := weightSet(rows, k, weightSetBytes)
		x := benchActs(tokens * k)
		dst := make([]int32, rows*tokens)
		ops := 2 * float64(rows) * float64(k) * tokens
		for _, threads := range []int{1, 2} {
			name := fmt.Sprintf("%dx%d/threads=%d", rows, k, threads)
			b.Run(name+"/matmat", func(b *testing.B) {
				eachBenchPath(b, func(b *testing.B) {
					p := sched.NewPool(threads)
					defer p.Close()
					i := 0
					for b.Loop() {
						bandRows(p, dst, set[i%len(set)], x, k, rows, tokens)
						i++
					}
					b.ReportMetric(ops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOPS")
				})
			})
			for _, warm := range []bool{false, true} {
				variant := "/matvecs"
				if warm {
					variant += "-warm"
				}
				b.Run(name+variant, func(b *testing.B) {
					eachBenchPath(b, func(b *testing.B) {
						p := sched.NewPool(threads)
						defer p.Close()
						i, calls := 0, 0
						for b.Loop() {
							for t := 0; t < tokens; t++ {
								w := set[calls%len(set)] // a new matrix every call
								if warm {
									w = set[i%len(set)]
								}
								bandRows(p, dst[t*rows:(t+1)*rows], w, x[t*k:(t+1)*k], k, rows, 1)
								calls++
							}
							i++
						}
						b.ReportMetric(ops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOPS")
					})
				})
			}
		}
	}
}

// BenchmarkMemRead reads a 1 GiB buffer with 1 and 2 threads: the memory
// bandwidth MatVec's GB/s should be compared with.
func BenchmarkMemRead(b *testing.B) {
	buf := hugeBytes(1 << 30)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			p := sched.NewPool(threads)
			defer p.Close()
			var sinks [2]uint64
			const chunks = 64
			part := len(buf) / chunks
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				p.Run(chunks, func(lo, hi int) {
					sinks[lo*len(sinks)/chunks] += readBytes(buf[lo*part : hi*part])
				})
			}
		})
	}
}

func BenchmarkQuantize(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{2560, 6912} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		dst := make([]int8, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			eachBenchPath(b, func(b *testing.B) {
				b.SetBytes(int64(4 * n))
				for b.Loop() {
					Quantize(dst, x)
				}
			})
		})
	}
}
