package gguf_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/bitnet-go/bitnet/format/gguf"
)

// Write a small file (metadata, an F32 norm and an I2_S weight), then read it
// back. A converter would stream each tensor with TensorWriter instead of
// building it in memory, and a loader would use gguf.Open to map a file.
func Example() {
	var buf bytes.Buffer
	w := gguf.NewWriter(&buf)
	check(w.AddKV(gguf.KeyArchitecture, gguf.String("bitnet-b1.58")))
	check(w.SetAlignment(32))
	check(w.AddKV("bitnet-b1.58.embedding_length", gguf.Uint32(128)))
	check(w.AddKV("bitnet-b1.58.attention.layer_norm_rms_epsilon", gguf.Float32(1e-5)))
	check(w.AddKV("tokenizer.ggml.tokens", gguf.Strings([]string{"a", "b", "c"})))
	check(w.AddTensor("output_norm.weight", gguf.TypeF32, []uint64{128}))
	check(w.AddTensor("blk.0.attn_q.weight", gguf.TypeI2_S, []uint64{128, 128})) // {in, out}
	check(w.WriteHeader())
	check(w.WriteTensor("output_norm.weight", make([]byte, 128*4)))
	tw, err := w.TensorWriter("blk.0.attn_q.weight")
	check(err)
	for range 4 { // 128·128/4 code bytes + 32 for the scale, in chunks
		_, err := tw.Write(make([]byte, (128*128/4+32)/4))
		check(err)
	}
	check(tw.Close())
	check(w.Finish())

	f, err := gguf.Parse(buf.Bytes())
	check(err)
	defer f.Close()
	arch, err := f.String(gguf.KeyArchitecture)
	check(err)
	dim, err := f.Uint32("bitnet-b1.58.embedding_length")
	check(err)
	eps, err := f.Float32("bitnet-b1.58.attention.layer_norm_rms_epsilon")
	check(err)
	fmt.Println(arch, dim, eps)
	for _, kv := range f.KVs() {
		fmt.Printf("%s = %v\n", kv.Key, kv.Value)
	}
	for _, t := range f.Tensors() {
		data, err := f.TensorData(t.Name)
		check(err)
		fmt.Printf("%s %s %v: %d bytes at %d\n", t.Name, t.Type, t.Dims, len(data), t.Offset)
	}
	// Output:
	// bitnet-b1.58 128 1e-05
	// general.architecture = "bitnet-b1.58"
	// general.alignment = 32
	// bitnet-b1.58.embedding_length = 128
	// bitnet-b1.58.attention.layer_norm_rms_epsilon = 1e-05
	// tokenizer.ggml.tokens = [3]STRING{"a", "b", "c"}
	// output_norm.weight F32 [128]: 512 bytes at 416
	// blk.0.attn_q.weight I2_S [128 128]: 4128 bytes at 928
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
