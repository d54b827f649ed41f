package membw

import "testing"

func TestReadWordsSums(t *testing.T) {
	b := make([]uint64, 1000)
	var want uint64
	for i := range b {
		b[i] = uint64(i * 7)
		want += b[i]
	}
	// The fast and Go paths must agree on the plain sum for the fast part.
	if fastRead != nil {
		got := readWords(b)
		if got != want {
			t.Fatalf("fast read sum %d, want %d", got, want)
		}
	}
	if bw, err := Measure(8<<20, 2, 2); err != nil || bw <= 0 {
		t.Fatalf("bandwidth %v, %v", bw, err)
	}
	if _, err := Measure(1<<62, 1, 1); err == nil {
		t.Fatal("a 4 EiB probe buffer: no error")
	}
}

func BenchmarkMeasure1GB(b *testing.B) {
	for range b.N {
		bw, err := Measure(1<<30, 1, 3)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(bw/1e9, "GB/s")
	}
}
