package hugemem

import "testing"

func TestAllocZeroedAndWritable(t *testing.T) {
	for _, n := range []int{0, 1, 4096, 3 << 20} {
		b, free := Alloc(n)
		if len(b) != n {
			t.Fatalf("Alloc(%d) gave %d bytes", n, len(b))
		}
		for i := range b {
			if b[i] != 0 {
				t.Fatalf("Alloc(%d): byte %d is %d, not zero", n, i, b[i])
			}
			b[i] = byte(i)
		}
		Advise(b) // a no-op or a hint, on memory already advised
		free()
	}
}
