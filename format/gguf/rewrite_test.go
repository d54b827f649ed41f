package gguf

import (
	"bytes"
	"testing"
)

func TestRewriteEditsKeysAndKeepsTensors(t *testing.T) {
	var src bytes.Buffer
	w := NewWriter(&src)
	w.AddKV("a", String("x"))
	w.AddKV("drop.me", Uint32(1))
	w.AddTensor("t", TypeF32, []uint64{4})
	w.WriteHeader()
	w.WriteTensor("t", []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	f, err := Parse(src.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = Rewrite(f, &out, func(kv KV) (KV, bool) {
		if kv.Key == "a" {
			kv.Key, kv.Value = "b", String("y")
		}
		return kv, kv.Key != "drop.me"
	})
	if err != nil {
		t.Fatal(err)
	}
	g, err := Parse(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := g.String("b"); v != "y" {
		t.Errorf("b = %q", v)
	}
	if _, ok := g.Get("a"); ok {
		t.Error("a kept")
	}
	if _, ok := g.Get("drop.me"); ok {
		t.Error("drop.me kept")
	}
	d, _ := g.TensorData("t")
	if d[15] != 16 || len(d) != 16 {
		t.Errorf("tensor data %v", d)
	}
}
