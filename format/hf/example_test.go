package hf_test

import (
	"fmt"
	"log"

	"github.com/bitnet-go/bitnet/format/hf"
)

// Open a bundled model, check it against its config and stream one tensor.
func Example() {
	dir := "../../golden/models/tiny_b"
	cfg, err := hf.ReadConfig(dir)
	if err != nil {
		log.Fatal(err)
	}
	ck, err := hf.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer ck.Close()
	if err := ck.CheckShapes(cfg); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: hidden %d, %d layers, %d heads (%d kv), head_dim %d, packed %v\n",
		cfg.Architectures[0], cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads, cfg.NumKeyValueHeads, cfg.HeadDim, cfg.Packed())
	fmt.Println(len(ck.Names()), "tensors in", ck.Shards())

	info, _ := ck.Info("model.layers.0.mlp.down_proj.weight")
	fmt.Println(info.Name, info.Dtype, info.Shape, info.Shard)
	w, err := ck.Float32(info.Name, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(w), "float32 values")
	// Output:
	// BitNetForCausalLM: hidden 192, 3 layers, 6 heads (2 kv), head_dim 32, packed false
	// 35 tensors in [model-00001-of-00002.safetensors model-00002-of-00002.safetensors]
	// model.layers.0.mlp.down_proj.weight BF16 [192 520] model-00001-of-00002.safetensors
	// 99840 float32 values
}
