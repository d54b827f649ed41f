package gguf

import (
	"bytes"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestRoundTrip(t *testing.T) {
	for _, align := range []uint32{0, 1, 8, 64, 4096} {
		data := writeSample(t, align)
		f, err := Parse(data)
		if err != nil {
			t.Fatalf("align %d: %v", align, err)
		}
		want := sampleKVs()
		wantAlign := uint32(DefaultAlignment)
		if align != 0 {
			wantAlign = align
			want = append(want[:1:1], append([]KV{{KeyAlignment, Uint32(align)}}, want[1:]...)...)
		}
		if f.Version() != 3 || f.Alignment() != wantAlign {
			t.Errorf("align %d: version %d alignment %d", align, f.Version(), f.Alignment())
		}
		got := f.KVs()
		if len(got) != len(want) {
			t.Fatalf("align %d: %d keys, want %d", align, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Key != w.Key || g.Value.Type() != w.Value.Type() || g.Value.ElemType() != w.Value.ElemType() ||
				!reflect.DeepEqual(g.Value.Interface(), w.Value.Interface()) {
				t.Errorf("key %d: got %s=%v (%s), want %s=%v (%s)", i, g.Key, g.Value, g.Value.Type(), w.Key, w.Value, w.Value.Type())
			}
			if v, ok := f.Get(w.Key); !ok || !reflect.DeepEqual(v, g.Value) {
				t.Errorf("Get(%q) = %v, %v", w.Key, v, ok)
			}
		}
		if f.DataOffset()%uint64(wantAlign) != 0 || f.DataOffset() > uint64(len(data)) {
			t.Errorf("align %d: data offset %d", align, f.DataOffset())
		}
		ts := f.Tensors()
		if len(ts) != len(sampleTensors) {
			t.Fatalf("%d tensors, want %d", len(ts), len(sampleTensors))
		}
		for i, st := range sampleTensors {
			ti := ts[i]
			n, _ := elements(st.dims)
			size, _ := st.typ.Size(n)
			if ti.Name != st.name || ti.Type != st.typ || !reflect.DeepEqual(ti.Dims, st.dims) || ti.Size != size || ti.Elements() != n {
				t.Errorf("tensor %d: got %+v, want %+v size %d", i, ti, st, size)
			}
			if ti.Offset%uint64(wantAlign) != 0 || ti.Offset < f.DataOffset() {
				t.Errorf("tensor %q: offset %d (data at %d, alignment %d)", ti.Name, ti.Offset, f.DataOffset(), wantAlign)
			}
			d, err := f.TensorData(st.name)
			if err != nil || !bytes.Equal(d, tensorBytes(i, size)) || cap(d) != len(d) {
				t.Errorf("tensor %q: data mismatch (err %v)", st.name, err)
			}
			if got, ok := f.Tensor(st.name); !ok || !reflect.DeepEqual(got, ti) {
				t.Errorf("Tensor(%q) = %+v, %v", st.name, got, ok)
			}
		}
		// Trailing padding: the file ends aligned.
		if len(data)%int(wantAlign) != 0 {
			t.Errorf("align %d: file length %d not aligned", align, len(data))
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFloatBitsRoundTrip(t *testing.T) {
	nan32 := math.Float32frombits(0x7fc00123)
	nan64 := math.Float64frombits(0x7ff8000000000abc)
	var buf bytes.Buffer
	w := NewWriter(&buf)
	must(t, w.AddKV("a", Float32(nan32)))
	must(t, w.AddKV("b", Float64s([]float64{nan64, math.Copysign(0, -1)})))
	must(t, w.WriteHeader())
	must(t, w.Finish())
	f, err := Parse(buf.Bytes())
	must(t, err)
	a, _ := f.Get("a")
	b, _ := f.Get("b")
	if math.Float32bits(a.Interface().(float32)) != 0x7fc00123 {
		t.Errorf("float32 NaN payload lost")
	}
	bs := b.Interface().([]float64)
	if math.Float64bits(bs[0]) != 0x7ff8000000000abc || math.Float64bits(bs[1]) != 1<<63 {
		t.Errorf("float64 bits lost: %x %x", math.Float64bits(bs[0]), math.Float64bits(bs[1]))
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := writeSample(t, 0), writeSample(t, 0)
	if !bytes.Equal(a, b) {
		t.Fatal("same input gave different bytes")
	}
}

// TestExactBytes checks the writer against a file assembled by hand from the
// specification.
func TestExactBytes(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	must(t, w.AddKV("general.architecture", String("bitnet-b1.58")))
	must(t, w.AddKV("x", Int32s([]int32{-1, 2})))
	must(t, w.AddTensor("w", TypeI2_S, []uint64{128, 2}))
	must(t, w.AddTensor("n", TypeF32, []uint64{3}))
	must(t, w.WriteHeader())
	must(t, w.WriteTensor("w", bytes.Repeat([]byte{0xAA}, 64+32)))
	must(t, w.WriteTensor("n", []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	must(t, w.Finish())

	r := header(2, 2)
	r.str("general.architecture").u32(8).str("bitnet-b1.58")
	r.str("x").u32(9).u32(5).u64(2).u32(math.MaxUint32).u32(2)
	r.tensor("w", []uint64{128, 2}, 36, 0)
	r.tensor("n", []uint64{3}, 0, 96)
	r.data(0)
	r.bytes(bytes.Repeat([]byte{0xAA}, 96)...)
	r.bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12).data(0)
	if !bytes.Equal(buf.Bytes(), r.b) {
		t.Fatalf("writer output differs from hand-built file:\n got %x\nwant %x", buf.Bytes(), r.b)
	}
}

func TestTensorWriterStreams(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	must(t, w.AddTensor("a", TypeQ8_0, []uint64{32, 100}))
	must(t, w.AddTensor("b", TypeF32, []uint64{1}))
	must(t, w.WriteHeader())
	payload := tensorBytes(3, 34*100)
	tw, err := w.TensorWriter("a")
	must(t, err)
	// One byte at a time.
	if n, err := io.Copy(tw, iotest.OneByteReader(bytes.NewReader(payload))); err != nil || n != int64(len(payload)) {
		t.Fatalf("copy: %d, %v", n, err)
	}
	if _, err := tw.Write([]byte{0}); err == nil || !strings.Contains(err.Error(), "exceeds its size") {
		t.Errorf("overlong write: %v", err)
	}
	must(t, tw.Close())
	must(t, tw.Close()) // idempotent
	if _, err := tw.Write([]byte{0}); err == nil {
		t.Error("write after Close succeeded")
	}
	must(t, w.WriteTensor("b", []byte{0, 0, 0x80, 0x3f}))
	must(t, w.Finish())
	f, err := Parse(buf.Bytes())
	must(t, err)
	d, _ := f.TensorData("a")
	if !bytes.Equal(d, payload) {
		t.Fatal("streamed data mismatch")
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk full")
	}
	k := min(f.n, len(p))
	f.n -= k
	if k < len(p) {
		return k, errors.New("disk full")
	}
	return k, nil
}

func TestWriterIOErrorSticks(t *testing.T) {
	w := NewWriter(&failWriter{n: 100})
	must(t, w.AddTensor("a", TypeF32, []uint64{1 << 20}))
	must(t, w.WriteHeader()) // buffered
	err := w.WriteTensor("a", make([]byte, 4<<20))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want disk full", err)
	}
	if err := w.Finish(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Finish after I/O error: %v", err)
	}
}

func TestWriterErrors(t *testing.T) {
	type step func(w *Writer) error
	add := func(name string, typ Type, dims ...uint64) step {
		return func(w *Writer) error { return w.AddTensor(name, typ, dims) }
	}
	kv := func(k string, v Value) step { return func(w *Writer) error { return w.AddKV(k, v) } }
	hdr := func(w *Writer) error { return w.WriteHeader() }
	wt := func(name string, n int) step {
		return func(w *Writer) error { return w.WriteTensor(name, make([]byte, n)) }
	}
	fin := func(w *Writer) error { return w.Finish() }
	cases := []struct {
		name  string
		steps []step
		want  string
	}{
		{"duplicate key", []step{kv("a", Uint8(1)), kv("a", Uint8(2))}, `"a": duplicate key`},
		{"empty key", []step{kv("", Uint8(1))}, "empty key"},
		{"long key", []step{kv(strings.Repeat("k", MaxKeyLen+1), Uint8(1))}, "key length 65536 exceeds"},
		{"zero value", []step{kv("a", Value{})}, "zero Value"},
		{"alignment type", []step{kv(KeyAlignment, Uint64(32))}, "want UINT32"},
		{"alignment value", []step{kv(KeyAlignment, Uint32(48))}, "not a power of two"},
		{"SetAlignment 0", []step{func(w *Writer) error { return w.SetAlignment(0) }}, "not a power of two"},
		{"SetAlignment dup", []step{func(w *Writer) error { return w.SetAlignment(64) }, kv(KeyAlignment, Uint32(64))}, "duplicate key"},
		{"duplicate tensor", []step{add("t", TypeF32, 1), add("t", TypeF32, 2)}, `"t": duplicate tensor name`},
		{"empty tensor name", []step{add("", TypeF32, 1)}, "empty tensor name"},
		{"long tensor name", []step{add(strings.Repeat("n", 64), TypeF32, 1)}, "name length 64 exceeds 63"},
		{"no dims", []step{add("t", TypeF32)}, "0 dimensions"},
		{"five dims", []step{add("t", TypeF32, 1, 1, 1, 1, 1)}, "5 dimensions"},
		{"zero dim", []step{add("t", TypeF32, 4, 0)}, "dimension 1 is 0"},
		{"dims overflow", []step{add("t", TypeF32, 1<<32, 1<<32)}, "overflows"},
		{"size overflow", []step{add("t", TypeF64, 1<<62)}, "overflows"},
		{"unknown type", []step{add("t", Type(4), 1)}, "unknown tensor type id 4"},
		{"TL2 unsized", []step{add("t", TypeTL2, 128)}, "TL2 (id 39) is unsupported"},
		{"I2_S block", []step{add("t", TypeI2_S, 6)}, "not a multiple of the block size 4"},
		{"Q4_K block", []step{add("t", TypeQ4_K, 128)}, "not a multiple of the block size 256"},
		{"write before header", []step{add("t", TypeF32, 1), wt("t", 4)}, "after WriteHeader"},
		{"kv after header", []step{hdr, kv("a", Uint8(1))}, "before WriteHeader"},
		{"tensor after header", []step{hdr, add("t", TypeF32, 1)}, "before WriteHeader"},
		{"header twice", []step{hdr, hdr}, "before WriteHeader"},
		{"out of order", []step{add("a", TypeF32, 1), add("b", TypeF32, 1), hdr, wt("b", 4)}, `"b" written out of order: "a" is next`},
		{"undeclared", []step{add("a", TypeF32, 1), hdr, wt("zz", 4)}, `"zz" was not declared`},
		{"too many", []step{add("a", TypeF32, 1), hdr, wt("a", 4), wt("a", 4)}, "already written"},
		{"wrong size", []step{add("a", TypeF32, 3), hdr, wt("a", 8)}, "8 bytes, want 12"},
		{"missing tensors", []step{add("a", TypeF32, 1), add("b", TypeF32, 1), hdr, wt("a", 4), fin}, `1 of 2 tensors written, next is "b"`},
		{"finish twice", []step{hdr, fin, fin}, "after WriteHeader and before Finish"},
		{"finish before header", []step{fin}, "after WriteHeader"},
		{"open tensor writer", []step{add("a", TypeF32, 2), hdr, func(w *Writer) error {
			_, err := w.TensorWriter("a")
			return err
		}, fin}, "still being written"},
		{"short tensor", []step{add("a", TypeF32, 2), hdr, func(w *Writer) error {
			tw, _ := w.TensorWriter("a")
			tw.Write([]byte{1, 2, 3})
			return tw.Close()
		}}, "closed after 3 bytes, want 8"},
		{"short tensor sticks", []step{add("a", TypeF32, 2), hdr, func(w *Writer) error {
			tw, _ := w.TensorWriter("a")
			tw.Write([]byte{1, 2, 3})
			tw.Close()
			return nil
		}, fin}, "closed after 3 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := NewWriter(io.Discard)
			var err error
			for _, s := range c.steps {
				if err = s(w); err != nil {
					break
				}
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// A tensor whose WriteTensor failed on size can be retried.
func TestWriteTensorRetry(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	must(t, w.AddTensor("a", TypeF32, []uint64{1}))
	must(t, w.WriteHeader())
	if err := w.WriteTensor("a", []byte{1}); err == nil {
		t.Fatal("short WriteTensor succeeded")
	}
	must(t, w.WriteTensor("a", []byte{1, 2, 3, 4}))
	must(t, w.Finish())
	_, err := Parse(buf.Bytes())
	must(t, err)
}

func TestConstructorsCopy(t *testing.T) {
	s := []int32{1, 2}
	v := Int32s(s)
	s[0] = 9
	if v.Interface().([]int32)[0] != 1 {
		t.Fatal("Int32s aliases its argument")
	}
	if got := Strings([]string{"a", "b"}).String(); got != `[2]STRING{"a", "b"}` {
		t.Errorf("String() = %s", got)
	}
	if got := Uint32(7).String(); got != "7" {
		t.Errorf("String() = %s", got)
	}
}

// TestValueOffset checks that the Writer and the parser agree on where each
// value is, that the bytes there are the value's encoding, and that a
// value patched in place (same length) parses as the new value.
func TestValueOffset(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if _, err := w.ValueOffset("general.architecture"); !errors.Is(err, errPhase) {
		t.Fatalf("ValueOffset before WriteHeader: %v", err)
	}
	for _, kv := range sampleKVs() {
		must(t, w.AddKV(kv.Key, kv.Value))
	}
	must(t, w.AddKV("test.placeholder", String("0000")))
	must(t, w.AddTensor("t", TypeF32, []uint64{3}))
	must(t, w.WriteHeader())
	must(t, w.WriteTensor("t", make([]byte, 12)))
	must(t, w.Finish())
	if _, err := w.ValueOffset("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ValueOffset of a missing key: %v", err)
	}
	data := buf.Bytes()
	f, err := Parse(data)
	must(t, err)
	wd, err := w.DataOffset()
	must(t, err)
	if wd != f.DataOffset() {
		t.Errorf("Writer.DataOffset %d, File.DataOffset %d", wd, f.DataOffset())
	}
	for _, kv := range append(sampleKVs(), KV{"test.placeholder", String("0000")}) {
		wo, err := w.ValueOffset(kv.Key)
		must(t, err)
		fo, ok := f.ValueOffset(kv.Key)
		if !ok || fo != wo {
			t.Errorf("%s: Writer offset %d, File offset %d (%v)", kv.Key, wo, fo, ok)
		}
		enc := appendValue(nil, kv.Value)
		if !bytes.Equal(data[wo-4:wo-4+uint64(len(enc))], enc) {
			t.Errorf("%s: bytes at %d are not the value's encoding", kv.Key, wo)
		}
	}
	off, _ := w.ValueOffset("test.placeholder")
	copy(data[off+8:], "beef")
	g, err := Parse(data)
	must(t, err)
	if s, _ := g.String("test.placeholder"); s != "beef" {
		t.Errorf("patched value = %q", s)
	}
}

func TestReadAt(t *testing.T) {
	data := writeSample(t, 0)
	f, err := Parse(data)
	must(t, err)
	if f.Size() != uint64(len(data)) {
		t.Errorf("Size %d, want %d", f.Size(), len(data))
	}
	p := make([]byte, 10)
	if n, err := f.ReadAt(p, 4); n != 10 || err != nil || !bytes.Equal(p, data[4:14]) {
		t.Errorf("ReadAt(4) = %d, %v", n, err)
	}
	if n, err := f.ReadAt(p, int64(len(data))-3); n != 3 || err != io.EOF {
		t.Errorf("ReadAt at the end = %d, %v, want 3, EOF", n, err)
	}
	if _, err := f.ReadAt(p, -1); err == nil {
		t.Error("negative offset accepted")
	}
	must(t, f.Close())
	if _, err := f.ReadAt(p, 0); err == nil {
		t.Error("ReadAt after Close succeeded")
	}
}
