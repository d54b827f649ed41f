package hf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/nlpodyssey/safetensors"
)

func TestWriteSafetensors(t *testing.T) {
	ts := []Tensor{
		{Name: "b.u8", Dtype: "U8", Shape: []int{3}, Data: []byte{1, 2, 3}},
		{Name: "a.bf16", Dtype: "BF16", Shape: []int{2, 2}, Data: AppendBF16(nil, []float32{1, 2, 3, 4})},
		{Name: "c.f32", Dtype: "F32", Shape: []int{1}, Data: AppendF32(nil, []float32{0.5})},
		{Name: "d.i64", Dtype: "I64", Shape: []int{}, Data: make([]byte, 8)},
		{Name: "é \"quoted\" <name>", Dtype: "I8", Shape: []int{0}, Data: nil},
	}
	md := map[string]string{"format": "pt", "b": "x\"y"}
	var buf, buf2 bytes.Buffer
	if err := WriteSafetensors(&buf, ts, md); err != nil {
		t.Fatal(err)
	}
	// Deterministic regardless of input order.
	rev := []Tensor{ts[4], ts[3], ts[2], ts[1], ts[0]}
	if err := WriteSafetensors(&buf2, rev, md); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Error("output depends on input order")
	}
	b := buf.Bytes()
	n := binary.LittleEndian.Uint64(b)
	if (8+n)%8 != 0 {
		t.Errorf("header length %d leaves data unaligned", n)
	}
	h, err := parseHeader(b, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if h.metadata["b"] != "x\"y" || h.metadata["format"] != "pt" {
		t.Errorf("metadata %v", h.metadata)
	}
	wantOrder := []string{"d.i64", "c.f32", "a.bf16", "b.u8", "é \"quoted\" <name>"}
	for i, r := range h.tensors {
		if r.name != wantOrder[i] {
			t.Errorf("tensor %d is %q, want %q", i, r.name, wantOrder[i])
		}
		if sz := int64(dtypeSizes[r.dtype]); (h.dataStart+r.begin)%sz != 0 {
			t.Errorf("%s misaligned", r.name)
		}
	}
	st, err := safetensors.Deserialize(b)
	if err != nil {
		t.Fatalf("nlpodyssey rejects our output: %v", err)
	}
	for _, x := range ts {
		v, ok := st.Tensor(x.Name)
		if !ok || !bytes.Equal(v.Data(), x.Data) || v.DType().String() != x.Dtype {
			t.Errorf("%s: round trip differs", x.Name)
		}
	}
}

func TestWriteSafetensorsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		ts   []Tensor
		want string
	}{
		{"short data", []Tensor{{Name: "w", Dtype: "BF16", Shape: []int{2}, Data: []byte{1}}}, "1 data bytes, shape [2] of BF16 needs 4"},
		{"unknown dtype", []Tensor{{Name: "w", Dtype: "F8_E4M3", Shape: []int{1}, Data: []byte{1}}}, "F8_E4M3"},
		{"duplicate", []Tensor{{Name: "w", Dtype: "U8", Shape: []int{1}, Data: []byte{1}}, {Name: "w", Dtype: "U8", Shape: []int{1}, Data: []byte{1}}}, "duplicate tensor"},
		{"reserved name", []Tensor{{Name: "__metadata__", Dtype: "U8", Shape: []int{1}, Data: []byte{1}}}, "invalid tensor name"},
		{"negative dim", []Tensor{{Name: "w", Dtype: "U8", Shape: []int{-1}}}, "invalid dimension -1"},
	} {
		err := WriteSafetensors(io.Discard, tc.ts, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	short := []TensorSource{{Name: "w", Dtype: "F32", Shape: []int{4}, Write: func(w io.Writer) error {
		_, err := w.Write(make([]byte, 12))
		return err
	}}}
	if err := WriteSafetensorsStream(io.Discard, short, nil); err == nil || !strings.Contains(err.Error(), "wrote 12 bytes, the header declares 16") {
		t.Errorf("short stream: %v", err)
	}
	long := []TensorSource{{Name: "w", Dtype: "F32", Shape: []int{1}, Write: func(w io.Writer) error {
		_, err := w.Write(make([]byte, 8))
		return err
	}}}
	if err := WriteSafetensorsStream(io.Discard, long, nil); err == nil || !strings.Contains(err.Error(), "more than the 4 bytes") {
		t.Errorf("long stream: %v", err)
	}
	boom := errors.New("boom")
	failing := []TensorSource{{Name: "w", Dtype: "U8", Shape: []int{1}, Write: func(io.Writer) error { return boom }}}
	if err := WriteSafetensorsStream(io.Discard, failing, nil); !errors.Is(err, boom) {
		t.Errorf("callback error: %v", err)
	}
}

func TestWriteIndex(t *testing.T) {
	var buf bytes.Buffer
	wm := map[string]string{"b": "s2.safetensors", "a": "s1.safetensors"}
	if err := WriteIndex(&buf, wm, 42); err != nil {
		t.Fatal(err)
	}
	ix, err := ParseIndex(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if ix.TotalSize != 42 || len(ix.WeightMap) != 2 || ix.WeightMap["a"] != "s1.safetensors" {
		t.Errorf("%+v", ix)
	}
	if s := ix.Shards(); len(s) != 2 || s[0] != "s1.safetensors" {
		t.Errorf("Shards %v", s)
	}
	if err := WriteIndex(io.Discard, map[string]string{"a": "../x.safetensors"}, 0); err == nil {
		t.Error("WriteIndex accepted a path outside the directory")
	}
}
