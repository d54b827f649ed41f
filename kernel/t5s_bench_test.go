package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/bitnet-go/bitnet/internal/sched"
)

// t5sSetBytes is the size of each layout's weight set in
// BenchmarkMatVecT5S: large enough that every mat-vec streams from memory.
const t5sSetBytes = 128 << 20

// t5sWeightSet is weightSet for T5_S: n matrices of rows × k random valid
// bytes (k padded to whole blocks), rotated copies of one.
func t5sWeightSet(rows, k, total int) [][]byte {
	size := rows * k / 5
	n := max(1, (total+size-1)/size)
	rng := rand.New(rand.NewPCG(uint64(rows), uint64(k)+5))
	base := make([]byte, size)
	for i := range base {
		var c [5]byte
		for j := range c {
			c[j] = byte(rng.IntN(3))
		}
		base[i] = t5sByte(c)
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

// t3sWeightSet is weightSet for T3_S: n matrices of rows × k random valid
// codes (k padded to whole groups), rotated copies of one.
func t3sWeightSet(rows, k, total int) [][]byte {
	size := rows * T3SRowBytes(k)
	n := max(1, (total+size-1)/size)
	base := t3sWeights(rand.New(rand.NewPCG(uint64(rows), uint64(k)+3)), rows, k)
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

// BenchmarkMatVecT5S streams the 2B4T projections from memory as I2_S, as
// T5_S and as T3_S, one layout after the other on each path, in bands of rows on a
// pool like BenchmarkMatVec. It reports GB/s of packed bytes and Gweights/s
// (weight values of the unpadded matrix per second), the figure that says
// which layout decodes a token faster.
func BenchmarkMatVecT5S(b *testing.B) {
	for _, shape := range benchShapes {
		rows, k := shape[0], shape[1]
		k5 := (k + T5SBlockValues - 1) / T5SBlockValues * T5SBlockValues
		i2s := weightSet(rows, k, t5sSetBytes)
		t5s := t5sWeightSet(rows, k5, t5sSetBytes)
		k3 := (k + T3SGroupValues - 1) / T3SGroupValues * T3SGroupValues
		t3s := t3sWeightSet(rows, k3, t5sSetBytes)
		x := benchActs(max(k5, k3))
		clear(x[k:])
		dst := make([]int32, rows)
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%dx%d/threads=%d", rows, k, threads), func(b *testing.B) {
				eachBenchPath(b, func(b *testing.B) {
					p := sched.NewPool(threads)
					defer p.Close()
					n := 2 * p.Threads()
					chunk := ((rows+n-1)/n + 15) / 16 * 16
					for _, layout := range []string{"i2s", "t5s", "t3s"} {
						b.Run(layout, func(b *testing.B) {
							bytes := rows * k / 4
							switch layout {
							case "t5s":
								bytes = rows * k5 / 5
							case "t3s":
								bytes = rows * T3SRowBytes(k3)
							}
							b.SetBytes(int64(bytes))
							i := 0
							for b.Loop() {
								if layout == "i2s" {
									bandRows(p, dst, i2s[i%len(i2s)], x, k, rows, 1)
								} else if layout == "t3s" {
									w, rb := t3s[i%len(t3s)], T3SRowBytes(k3)
									p.RunChunks(rows, chunk, func(lo, hi int) {
										MatMatStrideT3S(dst[lo:], rows, w[lo*rb:hi*rb], x, k3, hi-lo, 1)
									})
								} else {
									w := t5s[i%len(t5s)]
									p.RunChunks(rows, chunk, func(lo, hi int) {
										MatMatStrideT5S(dst[lo:], rows, w[lo*k5/5:hi*k5/5], x, k5, hi-lo, 1)
									})
								}
								i++
							}
							b.ReportMetric(float64(rows)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gweights/s")
						})
					}
				})
			})
		}
	}
}
