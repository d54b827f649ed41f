package gguf

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseBadInput(t *testing.T) {
	arch := func(r *raw) *raw { return r.str("general.architecture").u32(8).str("bitnet-b1.58") }
	f32 := []uint64{8}
	cases := []struct {
		name  string
		data  []byte
		want  string
		class error
	}{
		{"empty", nil, `bad magic "", want "GGUF"`, ErrInvalid},
		{"bad magic", append([]byte("GGML"), header(0, 0).b[4:]...), `bad magic "GGML"`, ErrInvalid},
		{"version 1", (&raw{b: []byte("GGUF")}).u32(1).u64(0).u64(0).b, "version 1 is unsupported", ErrInvalid},
		{"version 4", (&raw{b: []byte("GGUF")}).u32(4).u64(0).u64(0).b, "unsupported GGUF version 4", ErrInvalid},
		{"big-endian", (&raw{b: []byte("GGUF")}).u32(3 << 24).u64(0).u64(0).b, "big-endian", ErrInvalid},
		{"truncated counts", []byte("GGUF\x03\x00\x00\x00\x00"), "truncated: tensor count needs 8 bytes, 1 left", ErrTruncated},
		{"huge kv count", header(0, 1<<60).b, "metadata key count 1152921504606846976 exceeds", ErrTruncated},
		{"huge tensor count", header(1<<60, 0).b, "tensor count 1152921504606846976 exceeds", ErrTruncated},
		{"kv count lies", arch(header(0, 2)).b, "truncated: key 1 length", ErrTruncated},
		{"lying key length", header(0, 1).u64(1<<40).u32(0).bytes(1, 2, 3).b, "key 0 length 1099511627776 exceeds the limit 65535", ErrTooLarge},
		{"key past end", header(0, 1).u64(100).bytes(make([]byte, 10)...).b, "key 0 length 100 exceeds the 10 bytes left", ErrTruncated},
		{"empty key", header(0, 1).str("").u32(0).bytes(1, 2).b, "key 0 is empty", ErrInvalid},
		{"lying string length", header(0, 1).str("k").u32(8).u64(1 << 62).b, `key "k" string length 4611686018427387904 exceeds the limit`, ErrTooLarge},
		{"string past end", header(0, 1).str("k").u32(8).u64(50).bytes(1, 2).b, `key "k" string length 50 exceeds the 2 bytes left`, ErrTruncated},
		{"duplicate key", arch(arch(header(0, 2))).b, `byte 76: duplicate key "general.architecture"`, ErrDuplicate},
		{"unknown value type", header(0, 1).str("k").u32(13).u32(0).b, `key "k": unknown value type 13`, ErrUnknownType},
		{"bad bool", header(0, 1).str("k").u32(7).bytes(2).b, `key "k": bool value 2, want 0 or 1`, ErrInvalid},
		{"truncated scalar", header(0, 1).str("k").u32(10).bytes(1, 2).b, `truncated: key "k" UINT64 value needs 8 bytes, 2 left`, ErrTruncated},
		{"nested array", header(0, 1).str("k").u32(9).u32(9).u64(0).b, `key "k": arrays of arrays are unsupported`, ErrInvalid},
		{"unknown elem type", header(0, 1).str("k").u32(9).u32(77).u64(0).b, `key "k": unknown array element type 77`, ErrUnknownType},
		{"huge array count", header(0, 1).str("k").u32(9).u32(0).u64(1 << 50).b, `key "k": array length 1125899906842624 exceeds the limit`, ErrTooLarge},
		{"array count lies", header(0, 1).str("k").u32(9).u32(4).u64(1000).bytes(make([]byte, 40)...).b, `key "k": array of 1000 UINT32 exceeds the 40 bytes left`, ErrTruncated},
		{"string array count lies", header(0, 1).str("k").u32(9).u32(8).u64(10).bytes(make([]byte, 40)...).b, `array of 10 STRING exceeds the 40 bytes left`, ErrTruncated},
		{"string array element lies", header(0, 1).str("k").u32(9).u32(8).u64(2).str("ok").u64(99).b, `key "k" element 1 length 99 exceeds the 0 bytes left`, ErrTruncated},
		{"bad bool element", header(0, 1).str("k").u32(9).u32(7).u64(3).bytes(0, 1, 5).b, `key "k": element 2: bool value 5`, ErrInvalid},
		{"alignment not pow2", header(0, 1).kvU32(KeyAlignment, 24).b, "alignment 24 is not a power of two", ErrInvalid},
		{"alignment zero", header(0, 1).kvU32(KeyAlignment, 0).b, "alignment 0 is not a power of two", ErrInvalid},
		{"alignment huge", header(0, 1).kvU32(KeyAlignment, 1<<21).b, "alignment 2097152 is not a power of two in [1, 1048576]", ErrInvalid},
		{"alignment string", header(0, 1).str(KeyAlignment).u32(8).str("32").b, `"general.alignment" has type STRING, want an integer`, ErrInvalid},
		{"n_dims 5", header(1, 0).tensor("t", []uint64{1, 1, 1, 1, 1}, TypeF32, 0).data(4).b, `tensor "t": n_dims 5, want 1 to 4`, ErrInvalid},
		{"n_dims 0", header(1, 0).tensor("t", nil, TypeF32, 0).data(4).b, `tensor "t": n_dims 0`, ErrInvalid},
		{"dim zero", header(1, 0).tensor("t", []uint64{4, 0}, TypeF32, 0).data(4).b, `tensor "t": dimension 1 is 0`, ErrInvalid},
		{"dims overflow", header(1, 0).tensor("t", []uint64{1 << 32, 1 << 31}, TypeF32, 0).data(4).b, `tensor "t": dimensions [4294967296 2147483648]: element count overflows int64`, ErrTooLarge},
		{"size overflow", header(1, 0).tensor("t", []uint64{1 << 62}, TypeF64, 0).data(4).b, `tensor "t": tensor type F64: byte size of 4611686018427387904 elements overflows`, ErrTooLarge},
		{"unknown tensor type", header(1, 0).tensor("t", f32, Type(5), 0).data(32).b, `tensor "t": unknown tensor type id 5`, ErrUnknownType},
		{"unknown tensor type big", header(1, 0).tensor("t", f32, Type(1000), 0).data(32).b, `unknown tensor type id 1000`, ErrUnknownType},
		{"TL1", header(1, 0).tensor("t", []uint64{128}, TypeTL1, 0).data(32).b, `tensor "t": tensor type TL1 (id 38) is unsupported`, ErrUnknownType},
		{"I2_S not multiple of 4", header(1, 0).tensor("t", []uint64{6}, TypeI2_S, 0).data(64).b, `tensor "t": tensor type I2_S: 6 elements is not a multiple of the block size 4`, ErrInvalid},
		{"empty tensor name", header(1, 0).tensor("", f32, TypeF32, 0).data(32).b, "tensor 0 has an empty name", ErrInvalid},
		{"long tensor name", header(1, 0).tensor(strings.Repeat("x", 64), f32, TypeF32, 0).data(32).b, "tensor 0 name length 64 exceeds the limit 63", ErrTooLarge},
		{"misaligned offset", header(1, 0).tensor("t", f32, TypeF32, 4).data(64).b, `tensor "t": offset 4 is not a multiple of the alignment 32`, ErrInvalid},
		{"tensor out of file", header(1, 0).tensor("t", f32, TypeF32, 32).data(40).b, `tensor "t": data at relative offset 32, 32 bytes, extends past the end of the file`, ErrTruncated},
		{"tensor offset overflow", header(1, 0).tensor("t", f32, TypeF32, math.MaxUint64&^31).data(40).b, `tensor "t": data at relative offset`, ErrTruncated},
		{"data section missing", header(1, 0).tensor("t", f32, TypeF32, 0).b, "truncated: data section starts at", ErrTruncated},
		{"overlapping tensors", header(2, 0).tensor("a", []uint64{16}, TypeF32, 0).tensor("b", f32, TypeF32, 32).data(64).b, `byte 57: tensor "b" (bytes 128..160) overlaps tensor "a" (bytes 96..160)`, ErrOverlap},
		{"same offset", header(2, 0).tensor("a", f32, TypeF32, 0).tensor("b", f32, TypeF32, 0).data(64).b, `overlaps tensor "a"`, ErrOverlap},
		{"duplicate tensor", header(2, 0).tensor("a", f32, TypeF32, 0).tensor("a", f32, TypeF32, 32).data(64).b, `byte 57: duplicate tensor name "a"`, ErrDuplicate},
		{"truncated tensor info", header(1, 0).str(strings.Repeat("t", 20)).u32(2).u64(3).b, `truncated: tensor "tttttttttttttttttttt" dimension 1 needs 8 bytes, 0 left`, ErrTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(c.data)
			if err == nil {
				t.Fatalf("parsed: %d keys, %d tensors", len(f.KVs()), len(f.Tensors()))
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %T is not a *FormatError", err)
			}
			if !errors.Is(err, c.class) {
				t.Errorf("error %q: class %v, want %v", err, fe.Err, c.class)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %q, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestParseTruncated cuts a valid file at every length: each prefix that
// loses tensor data or header bytes must fail cleanly.
func TestParseTruncated(t *testing.T) {
	data := writeSample(t, 0)
	full, err := Parse(data)
	must(t, err)
	var lastEnd uint64
	for _, ti := range full.Tensors() {
		lastEnd = max(lastEnd, ti.Offset+ti.Size)
	}
	for n := 0; n < len(data); n++ {
		_, err := Parse(data[:n])
		if uint64(n) >= lastEnd {
			if err != nil {
				t.Errorf("cut at %d (only trailing padding lost): %v", n, err)
			}
			continue
		}
		if err == nil {
			t.Fatalf("cut at %d of %d parsed", n, len(data))
		}
		msg := err.Error()
		if !strings.Contains(msg, "truncated") && !strings.Contains(msg, "left") &&
			!strings.Contains(msg, "past the end") && !strings.Contains(msg, "bad magic") {
			t.Errorf("cut at %d: unexpected error %q", n, msg)
		}
		if n >= len(magic) && !errors.Is(err, ErrTruncated) {
			t.Errorf("cut at %d: error %q is not ErrTruncated", n, msg)
		}
	}
}

func TestParseVersion2AndEmptyFile(t *testing.T) {
	r := (&raw{b: []byte("GGUF")}).u32(2).u64(0).u64(1).kvU32("x", 5)
	f, err := Parse(r.b)
	must(t, err)
	if f.Version() != 2 || len(f.Tensors()) != 0 || f.DataOffset() != 64 {
		t.Errorf("version %d, %d tensors, data at %d", f.Version(), len(f.Tensors()), f.DataOffset())
	}
}

func TestParseUnorderedTensors(t *testing.T) {
	// Tensors need not be stored in offset order, and gaps are allowed.
	r := header(2, 0).tensor("b", []uint64{8}, TypeF32, 64).tensor("a", []uint64{8}, TypeF32, 0).data(96)
	f, err := Parse(r.b)
	must(t, err)
	a, _ := f.Tensor("a")
	b, _ := f.Tensor("b")
	if a.Offset != f.DataOffset() || b.Offset != f.DataOffset()+64 {
		t.Errorf("offsets %d %d, data at %d", a.Offset, b.Offset, f.DataOffset())
	}
}

func TestAccessors(t *testing.T) {
	r := header(0, 13)
	r.str("u64small").u32(10).u64(5)
	r.str("u64big").u32(10).u64(1 << 40)
	r.str("i32neg").u32(5).u32(math.MaxUint32) // -1
	r.str("i8").u32(1).bytes(0x80)             // -128
	r.str("s").u32(8).str("hi")
	r.str("f32").u32(6).u32(math.Float32bits(1.5))
	r.str("f64").u32(12).u64(math.Float64bits(0.1))
	r.str("b").u32(7).bytes(1)
	r.str("u32s").u32(9).u32(4).u64(2).u32(1).u32(math.MaxUint32)
	r.str("i64s").u32(9).u32(11).u64(2).u64(3).u64(math.MaxUint64) // 3, -1
	r.str("strs").u32(9).u32(8).u64(2).str("x").str("y")
	r.str("f64s").u32(9).u32(12).u64(1).u64(math.Float64bits(2))
	r.str("u16").u32(2).bytes(0xff, 0xff)
	f, err := Parse(r.b)
	must(t, err)

	check := func(name string, got any, err error, want any) {
		t.Helper()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, %v; want %v", name, got, err, want)
		}
	}
	checkErr := func(name string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", name, err, want)
		}
	}
	u32, err := f.Uint32("u64small")
	check("Uint32(u64small)", u32, err, uint32(5))
	i32, err := f.Int32("u64small")
	check("Int32(u64small)", i32, err, int32(5))
	i32, err = f.Int32("i32neg")
	check("Int32(i32neg)", i32, err, int32(-1))
	i64, err := f.Int64("i8")
	check("Int64(i8)", i64, err, int64(-128))
	u64, err := f.Uint64("u64big")
	check("Uint64(u64big)", u64, err, uint64(1<<40))
	u32, err = f.Uint32("u16")
	check("Uint32(u16)", u32, err, uint32(65535))
	s, err := f.String("s")
	check("String", s, err, "hi")
	f32, err := f.Float32("f32")
	check("Float32", f32, err, float32(1.5))
	f32, err = f.Float32("f64")
	check("Float32(f64)", f32, err, float32(0.1))
	f64, err := f.Float64("f32")
	check("Float64(f32)", f64, err, 1.5)
	b, err := f.Bool("b")
	check("Bool", b, err, true)
	u32s, err := f.Uint32s("u32s")
	check("Uint32s", u32s, err, []uint32{1, math.MaxUint32})
	i32s, err := f.Int32s("i64s")
	check("Int32s(i64s)", i32s, err, []int32{3, -1})
	strs, err := f.Strings("strs")
	check("Strings", strs, err, []string{"x", "y"})
	f32s, err := f.Float32s("f64s")
	check("Float32s(f64s)", f32s, err, []float32{2})

	_, err = f.Uint32("u64big")
	checkErr("Uint32(u64big)", err, `key "u64big": UINT64 value 1099511627776 does not fit uint32`)
	_, err = f.Uint32("i32neg")
	checkErr("Uint32(i32neg)", err, `INT32 value -1 does not fit uint32`)
	_, err = f.Uint64("i8")
	checkErr("Uint64(i8)", err, `INT8 value -128 does not fit uint64`)
	_, err = f.Uint32("s")
	checkErr("Uint32(s)", err, `key "s": type STRING, want an integer`)
	_, err = f.String("u64small")
	checkErr("String(u64small)", err, `type UINT64, want STRING`)
	_, err = f.Float32("u64small")
	checkErr("Float32(u64small)", err, `want FLOAT32`)
	_, err = f.Bool("s")
	checkErr("Bool(s)", err, `want BOOL`)
	_, err = f.Strings("u32s")
	checkErr("Strings(u32s)", err, `type ARRAY of UINT32, want ARRAY of STRING`)
	_, err = f.Int32s("u32s")
	checkErr("Int32s(u32s)", err, `element 1: UINT32 value 4294967295 does not fit int32`)
	_, err = f.Uint32s("i64s")
	checkErr("Uint32s(i64s)", err, `element 1: INT64 value -1 does not fit uint32`)
	_, err = f.Int32s("strs")
	checkErr("Int32s(strs)", err, `want ARRAY of an integer type`)
	_, err = f.Float32s("s")
	checkErr("Float32s(s)", err, `want ARRAY of FLOAT32`)
	_, err = f.String("nope")
	checkErr("String(nope)", err, `key "nope": not found`)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing key error does not wrap ErrNotFound")
	}
	if _, err := f.TensorData("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("TensorData(nope): %v", err)
	}
	if _, ok := f.Tensor("nope"); ok {
		t.Error("Tensor(nope) found")
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.gguf")
	data := writeSample(t, 0)
	must(t, os.WriteFile(path, data, 0o644))
	f, err := Open(path)
	must(t, err)
	if !f.Mapped() {
		t.Log("file was not memory-mapped on this platform")
	}
	arch, err := f.String(KeyArchitecture)
	if err != nil || arch != "bitnet-b1.58" {
		t.Errorf("architecture %q, %v", arch, err)
	}
	for i, st := range sampleTensors {
		d, err := f.TensorData(st.name)
		must(t, err)
		if string(d) != string(tensorBytes(i, uint64(len(d)))) {
			t.Errorf("tensor %q data mismatch", st.name)
		}
	}
	must(t, f.Close())
	must(t, f.Close())
	if _, err := f.TensorData(sampleTensors[0].name); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("TensorData after Close: %v", err)
	}

	bad := filepath.Join(dir, "bad.gguf")
	must(t, os.WriteFile(bad, data[:len(data)-100], 0o644))
	_, err = Open(bad)
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "extends past the end") {
		t.Errorf("Open(truncated): %v", err)
	}
	empty := filepath.Join(dir, "empty.gguf")
	must(t, os.WriteFile(empty, nil, 0o644))
	if _, err = Open(empty); err == nil || !strings.Contains(err.Error(), "bad magic") {
		t.Errorf("Open(empty): %v", err)
	}
	if _, err = Open(filepath.Join(dir, "missing.gguf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing): %v", err)
	}
}

func TestTypeSize(t *testing.T) {
	cases := []struct {
		typ  Type
		n    uint64
		want uint64
	}{
		{TypeF32, 10, 40}, {TypeF16, 10, 20}, {TypeBF16, 3, 6}, {TypeQ4_0, 64, 36},
		{TypeQ8_0, 32, 34}, {TypeQ2_K, 256, 84}, {TypeQ6_K, 512, 420}, {TypeQ8_K, 256, 292},
		{TypeI2_S, 2560 * 6912, 2560*6912/4 + 32}, {TypeI2_S, 4, 33}, {TypeI64, 2, 16},
	}
	for _, c := range cases {
		got, err := c.typ.Size(c.n)
		if err != nil || got != c.want {
			t.Errorf("%s.Size(%d) = %d, %v; want %d", c.typ, c.n, got, err, c.want)
		}
	}
	if _, err := TypeF32.Size(math.MaxUint64 / 2); err == nil {
		t.Error("F32 size overflow not detected")
	}
	if _, err := TypeQ8_K.Size(math.MaxUint64 &^ 255); err == nil {
		t.Error("Q8_K size overflow not detected")
	}
	names := map[Type]string{TypeI2_S: "I2_S", TypeQ4_0_4_4: "Q4_0_4_4", TypeTL2: "TL2", Type(4): "Type(4)", TypeF32: "F32"}
	for typ, want := range names {
		if typ.String() != want {
			t.Errorf("%d: %s, want %s", uint32(typ), typ, want)
		}
	}
	if ValueTypeArray.String() != "ARRAY" || ValueType(13).String() != "ValueType(13)" {
		t.Error("ValueType names")
	}
}
