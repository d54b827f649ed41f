package kernel

import (
	"slices"
	"testing"
)

// FuzzMatVec compares every path with the reference on fuzzer-made
// matrices (codes 0..2; the contract leaves code 3 unspecified) and
// activations, as MatVec and as a two-token MatMat.
func FuzzMatVec(f *testing.F) {
	f.Add(uint8(0), uint8(0), []byte{0x1b}, []byte{0x80})
	f.Add(uint8(4), uint8(1), []byte{0xaa, 0x00, 0x55, 0x19}, []byte{0x7f, 0x80, 0x01})
	f.Add(uint8(16), uint8(3), []byte{0x24, 0x92, 0x49}, []byte{0x80})
	f.Add(uint8(39), uint8(2), []byte{0x06, 0x60}, []byte{0x7f, 0x7f, 0x80, 0x00, 0x3c})
	f.Fuzz(func(t *testing.T, rows8, blocks8 uint8, wseed, xseed []byte) {
		rows := int(rows8%40) + 1
		k := BlockValues * (int(blocks8%4) + 1)
		w := make([]byte, rows*k/4)
		for i := range w {
			var b byte
			if len(wseed) > 0 {
				b = wseed[i%len(wseed)] ^ byte(i/len(wseed)*37)
			}
			for s := 0; s < 8; s += 2 {
				if b>>s&3 == 3 {
					b &^= 2 << s // code 3 becomes 1
				}
			}
			w[i] = b
		}
		x := make([]int8, 2*k)
		for i := range x {
			if len(xseed) > 0 {
				x[i] = int8(xseed[i%len(xseed)] + byte(i/len(xseed)))
			}
		}
		want := make([]int32, 2*rows)
		MatMatRef(want, w, x, k, rows, 2)
		for _, name := range Paths() {
			restore, err := Use(name)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]int32, 2*rows)
			MatVec(got[:rows], w, x, k)
			if !slices.Equal(got[:rows], want[:rows]) {
				restore()
				t.Fatalf("%s MatVec rows=%d k=%d: %s", name, rows, k, firstDiff(got[:rows], want[:rows]))
			}
			MatMat(got, w, x, k, rows, 2)
			restore()
			if !slices.Equal(got, want) {
				t.Fatalf("%s MatMat rows=%d k=%d: %s", name, rows, k, firstDiff(got, want))
			}
		}
	})
}
