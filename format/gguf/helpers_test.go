package gguf

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

// sampleKVs has every value type, scalars and arrays, in a fixed order.
func sampleKVs() []KV {
	return []KV{
		{"general.architecture", String("bitnet-b1.58")},
		{"test.uint8", Uint8(200)},
		{"test.int8", Int8(-100)},
		{"test.uint16", Uint16(60000)},
		{"test.int16", Int16(-30000)},
		{"test.uint32", Uint32(4000000000)},
		{"test.int32", Int32(-2000000000)},
		{"test.float32", Float32(1e-5)},
		{"test.bool.true", Bool(true)},
		{"test.bool.false", Bool(false)},
		{"test.string", String("héllo\x00world")},
		{"test.string.empty", String("")},
		{"test.uint64", Uint64(math.MaxUint64)},
		{"test.int64", Int64(math.MinInt64)},
		{"test.float64", Float64(math.Inf(-1))},
		{"test.uint8s", Uint8s([]uint8{0, 1, 255})},
		{"test.int8s", Int8s([]int8{-128, 0, 127})},
		{"test.uint16s", Uint16s([]uint16{1, 65535})},
		{"test.int16s", Int16s([]int16{-32768, 32767})},
		{"test.uint32s", Uint32s([]uint32{0, 7, math.MaxUint32})},
		{"test.int32s", Int32s([]int32{-1, 0, 1, 2})},
		{"test.float32s", Float32s([]float32{0.5, -2, float32(math.Inf(1))})},
		{"test.bools", Bools([]bool{true, false, true})},
		{"test.strings", Strings([]string{"a", "", "Ġthe", "<|eot_id|>"})},
		{"test.strings.empty", Strings(nil)},
		{"test.uint64s", Uint64s([]uint64{1 << 40})},
		{"test.int64s", Int64s([]int64{-1 << 40, 1 << 40})},
		{"test.float64s", Float64s([]float64{math.Pi, -0.25})},
	}
}

type sampleTensor struct {
	name string
	typ  Type
	dims []uint64
}

// sampleTensors covers plain, block-quantized and I2_S types and 1 to 4
// dimensions.
var sampleTensors = []sampleTensor{
	{"token_embd.weight", TypeF16, []uint64{8, 5}},
	{"output_norm.weight", TypeF32, []uint64{8}},
	{"blk.0.attn_q.weight", TypeI2_S, []uint64{128, 8}},
	{"blk.0.q8", TypeQ8_0, []uint64{64, 3}},
	{"blk.0.q4k", TypeQ4_K, []uint64{256}},
	{"blk.0.bf16", TypeBF16, []uint64{3, 1, 2}},
	{"blk.0.four", TypeF32, []uint64{1, 2, 3, 1}},
	{"blk.0.i8", TypeI8, []uint64{7}},
}

// tensorBytes is deterministic filler data for tensor i.
func tensorBytes(i int, size uint64) []byte {
	b := make([]byte, size)
	for j := range b {
		b[j] = byte(i*31 + j*7 + 1)
	}
	return b
}

// writeSample writes the sample file with the given alignment (0: default).
func writeSample(t testing.TB, alignment uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for i, kv := range sampleKVs() {
		if i == 1 && alignment != 0 {
			if err := w.SetAlignment(alignment); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.AddKV(kv.Key, kv.Value); err != nil {
			t.Fatal(err)
		}
	}
	for _, st := range sampleTensors {
		if err := w.AddTensor(st.name, st.typ, st.dims); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteHeader(); err != nil {
		t.Fatal(err)
	}
	for i, st := range sampleTensors {
		n, _ := elements(st.dims)
		size, _ := st.typ.Size(n)
		if err := w.WriteTensor(st.name, tensorBytes(i, size)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// raw assembles GGUF bytes by hand, for malformed inputs.
type raw struct{ b []byte }

func (r *raw) u32(v uint32) *raw { r.b = binary.LittleEndian.AppendUint32(r.b, v); return r }
func (r *raw) u64(v uint64) *raw { r.b = binary.LittleEndian.AppendUint64(r.b, v); return r }
func (r *raw) str(s string) *raw { r.u64(uint64(len(s))); r.b = append(r.b, s...); return r }
func (r *raw) bytes(p ...byte) *raw {
	r.b = append(r.b, p...)
	return r
}

// header starts a v3 file.
func header(nt, nkv uint64) *raw {
	r := &raw{b: []byte("GGUF")}
	return r.u32(3).u64(nt).u64(nkv)
}

// kvU32 appends a UINT32 key.
func (r *raw) kvU32(key string, v uint32) *raw { return r.str(key).u32(uint32(ValueTypeUint32)).u32(v) }

// tensor appends a tensor info.
func (r *raw) tensor(name string, dims []uint64, typ Type, off uint64) *raw {
	r.str(name).u32(uint32(len(dims)))
	for _, d := range dims {
		r.u64(d)
	}
	return r.u32(uint32(typ)).u64(off)
}

// data pads to 32 and appends n zero bytes.
func (r *raw) data(n int) *raw {
	for len(r.b)%32 != 0 {
		r.b = append(r.b, 0)
	}
	r.b = append(r.b, make([]byte, n)...)
	return r
}
