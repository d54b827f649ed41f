package kernel

import "testing"

func BenchmarkTmpMatMat(b *testing.B) {
	rows, k, tokens := 2560, 2560, 64
	w := t5sWeightSet(rows, k, 1)[0]
	wi := weightSet(rows, k, 1)[0]
	x := benchActs(k * tokens)
	dst := make([]int32, rows*tokens)
	for _, name := range []string{"avx512"} {
		restore, _ := Use(name)
		b.Run(name+"/t5s", func(b *testing.B) {
			for b.Loop() {
				MatMatStrideT5S(dst, rows, w, x, k, rows, tokens)
			}
			b.ReportMetric(float64(rows*k*tokens)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gmac/s")
		})
		b.Run(name+"/i2s", func(b *testing.B) {
			for b.Loop() {
				MatMatStride(dst, rows, wi, x, k, rows, tokens)
			}
			b.ReportMetric(float64(rows*k*tokens)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gmac/s")
		})
		restore()
	}
}
