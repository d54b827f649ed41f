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
	p, err := NewProbe(8 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if bw := max(p.Read(2), p.Read(2)); bw <= 0 {
		t.Fatalf("bandwidth %v", bw)
	}
	p.Close()
	if _, err := NewProbe(1 << 62); err == nil {
		t.Fatal("a 4 EiB probe buffer: no error")
	}
}

func BenchmarkProbe1GB(b *testing.B) {
	p, err := NewProbe(1 << 30)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for range b.N {
		b.ReportMetric(max(p.Read(1), p.Read(1), p.Read(1))/1e9, "GB/s")
	}
}
