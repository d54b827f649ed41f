package gguf

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	ggufparser "github.com/gpustack/gguf-parser-go"
)

// TestReadableByGGUFParserGo checks a model-like file against an independent
// reader, github.com/gpustack/gguf-parser-go.
func TestReadableByGGUFParserGo(t *testing.T) {
	const hidden, ff, vocab = 256, 384, 64
	type tensor struct {
		name string
		typ  Type
		dims []uint64
	}
	tensors := []tensor{
		{"token_embd.weight", TypeF16, []uint64{hidden, vocab}},
		{"output_norm.weight", TypeF32, []uint64{hidden}},
	}
	for _, n := range []string{"attn_norm", "attn_sub_norm", "ffn_norm"} {
		tensors = append(tensors, tensor{"blk.0." + n + ".weight", TypeF32, []uint64{hidden}})
	}
	tensors = append(tensors, tensor{"blk.0.ffn_sub_norm.weight", TypeF32, []uint64{ff}})
	for _, n := range []string{"attn_q", "attn_k", "attn_v", "attn_output"} {
		tensors = append(tensors, tensor{"blk.0." + n + ".weight", TypeI2_S, []uint64{hidden, hidden}})
	}
	tensors = append(tensors,
		tensor{"blk.0.ffn_gate.weight", TypeI2_S, []uint64{hidden, ff}},
		tensor{"blk.0.ffn_up.weight", TypeI2_S, []uint64{hidden, ff}},
		tensor{"blk.0.ffn_down.weight", TypeI2_S, []uint64{ff, hidden}},
	)
	tokens := make([]string, vocab)
	for i := range tokens {
		tokens[i] = string(rune('A' + i))
	}

	path := filepath.Join(t.TempDir(), "tiny.gguf")
	out, err := os.Create(path)
	must(t, err)
	w := NewWriter(out)
	must(t, w.AddKV("general.architecture", String("bitnet-b1.58")))
	must(t, w.AddKV("general.name", String("tiny")))
	must(t, w.SetAlignment(32))
	must(t, w.AddKV("general.file_type", Uint32(40)))
	must(t, w.AddKV("bitnet-b1.58.block_count", Uint32(1)))
	must(t, w.AddKV("bitnet-b1.58.embedding_length", Uint32(hidden)))
	must(t, w.AddKV("bitnet-b1.58.rope.freq_base", Float32(500000)))
	must(t, w.AddKV("tokenizer.ggml.model", String("gpt2")))
	must(t, w.AddKV("tokenizer.ggml.tokens", Strings(tokens)))
	must(t, w.AddKV("tokenizer.ggml.token_type", Int32s(make([]int32, vocab))))
	must(t, w.AddKV("tokenizer.ggml.add_bos_token", Bool(true)))
	for _, tn := range tensors {
		must(t, w.AddTensor(tn.name, tn.typ, tn.dims))
	}
	must(t, w.WriteHeader())
	for i, tn := range tensors {
		n, _ := elements(tn.dims)
		size, _ := tn.typ.Size(n)
		must(t, w.WriteTensor(tn.name, tensorBytes(i, size)))
	}
	must(t, w.Finish())
	must(t, out.Close())

	gf, err := ggufparser.ParseGGUFFile(path)
	if err != nil {
		t.Fatalf("gguf-parser-go: %v", err)
	}
	if gf.Header.Version != ggufparser.GGUFVersionV3 {
		t.Errorf("version %v", gf.Header.Version)
	}
	arch, ok := gf.Header.MetadataKV.Get("general.architecture")
	if !ok || arch.ValueString() != "bitnet-b1.58" {
		t.Errorf("architecture %v, %v", arch.Value, ok)
	}
	if kv, ok := gf.Header.MetadataKV.Get("general.alignment"); !ok || kv.ValueUint32() != 32 {
		t.Errorf("alignment %v", kv.Value)
	}
	if kv, ok := gf.Header.MetadataKV.Get("bitnet-b1.58.rope.freq_base"); !ok || kv.ValueFloat32() != 500000 {
		t.Errorf("rope.freq_base %v", kv.Value)
	}
	if kv, ok := gf.Header.MetadataKV.Get("tokenizer.ggml.tokens"); !ok || !reflect.DeepEqual(kv.ValueArray().ValuesString(), tokens) {
		t.Errorf("tokens %v", kv.Value)
	}
	if gf.Header.MetadataKVCount != 11 {
		t.Errorf("%d keys", gf.Header.MetadataKVCount)
	}
	if gf.Header.TensorCount != uint64(len(tensors)) || len(gf.TensorInfos) != len(tensors) {
		t.Fatalf("tensor count %d (%d infos), want %d", gf.Header.TensorCount, len(gf.TensorInfos), len(tensors))
	}

	f, err := Open(path)
	must(t, err)
	defer f.Close()
	for i, ti := range gf.TensorInfos {
		mine := f.Tensors()[i]
		if ti.Name != tensors[i].name || uint32(ti.Type) != uint32(tensors[i].typ) || !reflect.DeepEqual(ti.Dimensions, tensors[i].dims) {
			t.Errorf("tensor %d: gguf-parser-go read %s %v type %d", i, ti.Name, ti.Dimensions, ti.Type)
		}
		if ti.Offset+f.DataOffset() != mine.Offset {
			t.Errorf("tensor %s: relative offset %d, ours absolute %d (data at %d)", ti.Name, ti.Offset, mine.Offset, f.DataOffset())
		}
	}
}
