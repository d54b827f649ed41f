package hf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/nlpodyssey/safetensors"
)

func TestOpenBundled(t *testing.T) {
	for _, tc := range []struct {
		model   string
		tensors int
		sharded bool
		shards  int
	}{
		{"tiny_a", 1 + 2*11 + 1, false, 1},
		{"tiny_b", 1 + 3*11 + 1, true, 2},
	} {
		t.Run(tc.model, func(t *testing.T) {
			dir := goldenModel(tc.model)
			cfg, err := ReadConfig(dir)
			if err != nil {
				t.Fatal(err)
			}
			ck, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer ck.Close()
			if got := len(ck.Names()); got != tc.tensors {
				t.Errorf("%d tensors, want %d", got, tc.tensors)
			}
			if !slices.IsSorted(ck.Names()) {
				t.Error("Names not sorted")
			}
			if ck.Sharded() != tc.sharded || len(ck.Shards()) != tc.shards {
				t.Errorf("Sharded %v shards %v", ck.Sharded(), ck.Shards())
			}
			if err := ck.CheckShapes(cfg); err != nil {
				t.Fatal(err)
			}
			if u := ck.Unexpected(cfg); len(u) != 0 {
				t.Errorf("Unexpected = %v", u)
			}
			if err := loadAll(dir); err != nil {
				t.Fatal(err)
			}
			info, err := ck.Info("model.embed_tokens.weight")
			if err != nil {
				t.Fatal(err)
			}
			if info.Dtype != "BF16" || !slices.Equal(info.Shape, []int{cfg.VocabSize, cfg.HiddenSize}) {
				t.Errorf("embed info %+v", info)
			}
			compareWithNlpodyssey(t, ck)
		})
	}
}

// compareWithNlpodyssey checks every tensor's dtype, shape and bytes against
// an independent safetensors parser, and Float32 of every BF16 tensor
// against hand-widened bits.
func compareWithNlpodyssey(t *testing.T, ck *Checkpoint) {
	t.Helper()
	seen := 0
	for _, shard := range ck.Shards() {
		buf, err := os.ReadFile(filepath.Join(ck.Dir(), shard))
		if err != nil {
			t.Fatal(err)
		}
		st, err := safetensors.Deserialize(buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, nv := range st.Tensors() {
			seen++
			raw, info, err := ck.Raw(nv.Name)
			if err != nil {
				t.Fatal(err)
			}
			if info.Shard != shard || info.Dtype != nv.TensorView.DType().String() || !bytes.Equal(raw, nv.TensorView.Data()) {
				t.Fatalf("%s: differs from nlpodyssey/safetensors", nv.Name)
			}
			for i, d := range nv.TensorView.Shape() {
				if uint64(info.Shape[i]) != d {
					t.Fatalf("%s: shape %v vs %v", nv.Name, info.Shape, nv.TensorView.Shape())
				}
			}
			if !bytes.Equal(buf[info.Offset:info.Offset+info.Size], raw) {
				t.Fatalf("%s: Offset/Size do not locate the data", nv.Name)
			}
			f, err := ck.Float32(nv.Name, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range f {
				want := math.Float32frombits(uint32(binary.LittleEndian.Uint16(raw[2*i:])) << 16)
				if math.Float32bits(v) != math.Float32bits(want) {
					t.Fatalf("%s[%d] = %v, want %v", nv.Name, i, v, want)
				}
			}
		}
	}
	if seen != len(ck.Names()) {
		t.Errorf("nlpodyssey saw %d tensors, we have %d", seen, len(ck.Names()))
	}
}

func TestFloat32Reuse(t *testing.T) {
	ck, err := Open(goldenModel("tiny_a"))
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	big := make([]float32, 1<<20)
	got, err := ck.Float32("model.norm.weight", big)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 256 || &got[0] != &big[0] {
		t.Errorf("dst not reused: len %d", len(got))
	}
	small := make([]float32, 3)
	got, err = ck.Float32("model.norm.weight", small)
	if err != nil || len(got) != 256 {
		t.Fatalf("len %d, %v", len(got), err)
	}
	raw, _, _ := ck.Raw("model.norm.weight")
	if err := ck.Release("model.norm.weight"); err != nil {
		t.Fatal(err)
	}
	if Float32FromBF16(binary.LittleEndian.Uint16(raw)) != got[0] {
		t.Error("Raw slice changed after Release")
	}
	if _, err := ck.Float32("no.such.tensor", nil); err == nil || !strings.Contains(err.Error(), `"no.such.tensor" not found`) {
		t.Errorf("missing tensor: %v", err)
	}
	ck.Close()
	if _, _, err := ck.Raw("model.norm.weight"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("after Close: %v", err)
	}
}

func TestFloat32Dtypes(t *testing.T) {
	dir := t.TempDir()
	vals := []float32{1, -2.5, 0x1p-20, 65504}
	var f16 []byte
	for _, u := range []uint16{0x3c00, 0xc100, 0x0001, 0x7bff} {
		f16 = binary.LittleEndian.AppendUint16(f16, u)
	}
	writeFile(t, filepath.Join(dir, SingleFile), []Tensor{
		{Name: "f32", Dtype: "F32", Shape: []int{2, 2}, Data: AppendF32(nil, vals)},
		{Name: "f16", Dtype: "F16", Shape: []int{4}, Data: f16},
		{Name: "u8", Dtype: "U8", Shape: []int{3}, Data: []byte{1, 2, 3}},
		{Name: "i32", Dtype: "I32", Shape: []int{1}, Data: []byte{1, 0, 0, 0}},
		{Name: "scalar", Dtype: "BF16", Shape: []int{}, Data: []byte{0x80, 0x3f}},
		{Name: "empty", Dtype: "BF16", Shape: []int{0, 7}, Data: nil},
	}, nil)
	ck, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	got, err := ck.Float32("f32", nil)
	if err != nil || !slices.Equal(got, vals) {
		t.Errorf("F32: %v %v", got, err)
	}
	got, err = ck.Float32("f16", nil)
	if want := []float32{1, -2.5, 0x1p-24, 65504}; err != nil || !slices.Equal(got, want) {
		t.Errorf("F16: %v %v, want %v", got, err, want)
	}
	got, err = ck.Float32("scalar", nil)
	if err != nil || !slices.Equal(got, []float32{1}) {
		t.Errorf("scalar: %v %v", got, err)
	}
	got, err = ck.Float32("empty", nil)
	if err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
	for _, name := range []string{"u8", "i32"} {
		_, err := ck.Float32(name, nil)
		if err == nil || !strings.Contains(err.Error(), "is not a floating-point type") || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestBadInputs builds broken model directories and checks each error.
func TestBadInputs(t *testing.T) {
	const upA = "model.layers.1.mlp.up_proj.weight"
	tinyA := func(edit func(t *testing.T, dir string)) func(t *testing.T) string {
		return func(t *testing.T) string {
			dir := copyModel(t, "tiny_a")
			edit(t, dir)
			return dir
		}
	}
	tinyB := func(edit func(t *testing.T, dir string)) func(t *testing.T) string {
		return func(t *testing.T) string {
			dir := copyModel(t, "tiny_b")
			edit(t, dir)
			return dir
		}
	}
	config := func(edit func(m map[string]any)) func(t *testing.T) string {
		return tinyA(func(t *testing.T, dir string) { editJSON(t, filepath.Join(dir, ConfigFile), edit) })
	}
	index := func(edit func(wm map[string]any)) func(t *testing.T) string {
		return tinyB(func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, IndexFile), func(m map[string]any) { edit(m["weight_map"].(map[string]any)) })
		})
	}
	single := func(edit func([]Tensor) []Tensor) func(t *testing.T) string {
		return tinyA(func(t *testing.T, dir string) { rewriteTensors(t, filepath.Join(dir, SingleFile), edit) })
	}
	setFloat := func(name string, i int, v float32) func([]Tensor) []Tensor {
		return func(ts []Tensor) []Tensor {
			for k := range ts {
				if ts[k].Name == name {
					binary.LittleEndian.PutUint16(ts[k].Data[2*i:], BF16FromFloat32(v))
				}
			}
			return ts
		}
	}
	// oneTensorFile replaces tiny_a's weights by a file with one tensor of
	// the given header entry (dtypes the writer refuses).
	oneTensorFile := func(dtype string) func(t *testing.T) string {
		return tinyA(func(t *testing.T, dir string) {
			hdr := fmt.Sprintf(`{"w":{"dtype":%q,"shape":[2,2],"data_offsets":[0,4]}}`, dtype)
			if err := os.WriteFile(filepath.Join(dir, SingleFile), rawSafetensors(hdr, make([]byte, 4)), 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
	shard1 := "model-00001-of-00002.safetensors"
	shard2 := "model-00002-of-00002.safetensors"

	cases := []struct {
		name  string
		setup func(t *testing.T) string
		want  []string
	}{
		{"missing config.json", tinyA(func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ConfigFile)) }),
			[]string{"no config.json in"}},
		{"unsupported architecture", config(func(m map[string]any) { m["architectures"] = []string{"MistralForCausalLM"} }),
			[]string{`unsupported architecture ["MistralForCausalLM"]`, "BitNetForCausalLM or BitnetForCausalLM", "LlamaForCausalLM"}},
		{"llama class with bitnet model_type", config(func(m map[string]any) { m["architectures"] = []string{"LlamaForCausalLM"} }),
			[]string{`architecture ["LlamaForCausalLM"] with model_type "bitnet": want model_type "llama"`}},
		{"no architectures", config(func(m map[string]any) { delete(m, "architectures") }),
			[]string{"unsupported architecture none"}},
		{"wrong hidden_act", config(func(m map[string]any) { m["hidden_act"] = "silu" }),
			[]string{`hidden_act "silu" is not supported`}},
		{"heads do not divide hidden", config(func(m map[string]any) { m["num_attention_heads"] = 5 }),
			[]string{"num_attention_heads 5 does not divide hidden_size 256"}},
		{"kv heads do not divide heads", config(func(m map[string]any) { m["num_key_value_heads"] = 3 }),
			[]string{"num_key_value_heads 3 does not divide num_attention_heads 4"}},
		{"odd head_dim", config(func(m map[string]any) { m["head_dim"] = 63 }),
			[]string{"head_dim 63 is odd"}},
		{"negative hidden", config(func(m map[string]any) { m["hidden_size"] = -256 }),
			[]string{"hidden_size = -256"}},
		{"huge vocab", config(func(m map[string]any) { m["vocab_size"] = int64(1) << 40 }),
			[]string{"vocab_size = 1099511627776, want 1..1048576"}},
		{"missing dimension", config(func(m map[string]any) { delete(m, "intermediate_size") }),
			[]string{"missing intermediate_size"}},
		{"zero rms eps", config(func(m map[string]any) { m["rms_norm_eps"] = 0 }),
			[]string{"rms_norm_eps 0 must be positive"}},
		{"bad quantization mode", config(func(m map[string]any) {
			m["quantization_config"].(map[string]any)["quantization_mode"] = "dynamic"
		}), []string{`quantization_mode "dynamic"`}},
		{"config not an object", tinyA(func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, ConfigFile), []byte(`[1]`), 0o644)
		}), []string{"config.json", "not an object"}},
		{"config too large", tinyA(func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, ConfigFile), bytes.Repeat([]byte(" "), MaxConfigSize+1), 0o644)
		}), []string{"exceeds the cap"}},
		{"missing shard file", tinyB(func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, shard2)) }),
			[]string{"shard " + shard2 + " listed in model.safetensors.index.json is missing"}},
		{"tensor in shard but not in index", index(func(wm map[string]any) { delete(wm, "model.norm.weight") }),
			[]string{`tensor "model.norm.weight" is in shard ` + shard2 + ` but not in model.safetensors.index.json`}},
		{"indexed tensor missing from its shard", index(func(wm map[string]any) { wm["model.extra.weight"] = shard1 }),
			[]string{`tensor "model.extra.weight": model.safetensors.index.json maps it to shard ` + shard1 + `, which does not contain it`}},
		{"index maps tensor to the other shard", index(func(wm map[string]any) { wm["model.norm.weight"] = shard1 }),
			[]string{`tensor "model.norm.weight" is in shard ` + shard2 + ` but model.safetensors.index.json maps it to ` + shard1}},
		{"index escapes the directory", index(func(wm map[string]any) { wm["model.norm.weight"] = "../" + shard2 }),
			[]string{"must be a plain file name"}},
		{"index without weight_map", tinyB(func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, IndexFile), func(m map[string]any) { delete(m, "weight_map") })
		}), []string{"no weight_map"}},
		{"shards without index", tinyB(func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, IndexFile)) }),
			[]string{"no model.safetensors or model.safetensors.index.json", "found " + shard1 + ", " + shard2}},
		{"directory does not exist", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") },
			[]string{"model directory ", "nope does not exist"}},
		{"a file, not a directory", func(t *testing.T) string { return filepath.Join(copyModel(t, "tiny_a"), ConfigFile) },
			[]string{"config.json is not a directory"}},
		{"no safetensors at all", tinyA(func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, SingleFile)) }),
			[]string{"no model.safetensors or model.safetensors.index.json in"}},
		{"shape mismatch", single(func(ts []Tensor) []Tensor {
			findTensor(t, ts, upA).Shape = []int{256, 640}
			return ts
		}), []string{`tensor "` + upA + `": expected shape [640 256] ([intermediate_size 640, hidden_size 256]), found [256 640]`}},
		{"missing tensor", single(func(ts []Tensor) []Tensor {
			return slices.DeleteFunc(ts, func(x Tensor) bool { return x.Name == "model.norm.weight" })
		}), []string{`tensor "model.norm.weight" (expected shape [256]) is missing`}},
		{"norm reinterpreted as U8", single(func(ts []Tensor) []Tensor {
			w := findTensor(t, ts, "model.norm.weight")
			w.Dtype, w.Shape = "U8", []int{512}
			return ts
		}), []string{`tensor "model.norm.weight": expected shape [256] (hidden_size 256), found [512]`}},
		{"integer projection", single(func(ts []Tensor) []Tensor {
			w := findTensor(t, ts, upA)
			w.Dtype, w.Shape = "I16", []int{640, 256}
			return ts
		}), []string{`tensor "` + upA + `": expected dtype BF16 or F16 or F32, found I16`}},
		{"truncated", tinyA(func(t *testing.T, dir string) {
			p := filepath.Join(dir, SingleFile)
			st, _ := os.Stat(p)
			os.Truncate(p, st.Size()-100)
		}), []string{"truncated", `tensor "model.norm.weight" needs data bytes`}},
		{"trailing bytes", tinyA(func(t *testing.T, dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, SingleFile), os.O_APPEND|os.O_WRONLY, 0)
			f.Write(make([]byte, 10))
			f.Close()
		}), []string{"trailing bytes"}},
		{"header length past end of file", tinyA(func(t *testing.T, dir string) {
			p := filepath.Join(dir, SingleFile)
			b, _ := os.ReadFile(p)
			binary.LittleEndian.PutUint64(b, uint64(len(b)))
			os.WriteFile(p, b, 0o644)
		}), []string{"header length points past the end of the file"}},
		{"header length over the cap", tinyA(func(t *testing.T, dir string) {
			p := filepath.Join(dir, SingleFile)
			os.WriteFile(p, binary.LittleEndian.AppendUint64(nil, MaxHeaderSize+1), 0o644)
			os.Truncate(p, MaxHeaderSize+16) // sparse: the length fits in the file
		}), []string{"exceeds the cap of 104857600 bytes"}},
		{"file shorter than 8 bytes", tinyA(func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, SingleFile), []byte{1, 2, 3}, 0o644)
		}), []string{"truncated: 3 bytes is too short"}},
		{"header not JSON", tinyA(func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, SingleFile), rawSafetensors(`{"w":`, nil), 0o644)
		}), []string{"invalid JSON"}},
		{"shape and offsets disagree", tinyA(func(t *testing.T, dir string) {
			hdr := `{"w":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,6]}}`
			os.WriteFile(filepath.Join(dir, SingleFile), rawSafetensors(hdr, make([]byte, 6)), 0o644)
		}), []string{`tensor "w": shape [2 2] of BF16 needs 8 bytes but data_offsets [0, 6] span 6`}},
		{"overlapping tensors", tinyA(func(t *testing.T, dir string) {
			hdr := `{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}`
			os.WriteFile(filepath.Join(dir, SingleFile), rawSafetensors(hdr, make([]byte, 6)), 0o644)
		}), []string{`tensor "b" (bytes [2, 6)) overlaps tensor "a"`}},
		{"shape overflow", tinyA(func(t *testing.T, dir string) {
			hdr := `{"w":{"dtype":"F32","shape":[1099511627776,1099511627776,1099511627776],"data_offsets":[0,0]}}`
			os.WriteFile(filepath.Join(dir, SingleFile), rawSafetensors(hdr, nil), 0o644)
		}), []string{"overflows"}},
		{"duplicate tensor key", tinyA(func(t *testing.T, dir string) {
			hdr := `{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`
			os.WriteFile(filepath.Join(dir, SingleFile), rawSafetensors(hdr, make([]byte, 1)), 0o644)
		}), []string{`duplicate key "w"`}},
		{"unsupported dtype F8_E4M3", oneTensorFile("F8_E4M3"),
			[]string{`tensor "w": dtype F8_E4M3 is a safetensors dtype this reader does not support`}},
		{"unknown dtype XYZ", oneTensorFile("XYZ"),
			[]string{`tensor "w": unknown dtype "XYZ" (supported: BF16, BOOL, F16, F32`}},
		{"NaN weight", single(setFloat(upA, 5, float32(math.NaN()))),
			[]string{`tensor "` + upA + `": element 5 (index [0 5]) is NaN`}},
		{"Inf weight", single(setFloat(upA, 256+3, float32(math.Inf(1)))),
			[]string{`tensor "` + upA + `": element 259 (index [1 3]) is +Inf`}},
		{"-Inf norm", single(setFloat("model.norm.weight", 0, float32(math.Inf(-1)))),
			[]string{`tensor "model.norm.weight": element 0 (index [0]) is -Inf`}},
		{"NaN in a shard", tinyB(func(t *testing.T, dir string) {
			rewriteTensors(t, filepath.Join(dir, shard2), setFloat("model.norm.weight", 191, float32(math.NaN())))
		}), []string{`tensor "model.norm.weight": element 191 (index [191]) is NaN`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t)
			err := loadAll(dir)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			t.Logf("%v", err)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestUnexpectedAndLMHead(t *testing.T) {
	dir := copyModel(t, "tiny_a")
	rewriteTensors(t, filepath.Join(dir, SingleFile), func(ts []Tensor) []Tensor {
		emb := findTensor(t, ts, "model.embed_tokens.weight")
		return append(ts,
			Tensor{Name: LMHead, Dtype: emb.Dtype, Shape: emb.Shape, Data: emb.Data},
			Tensor{Name: "model.layers.0.self_attn.rotary_emb.inv_freq", Dtype: "F32", Shape: []int{32}, Data: make([]byte, 128)})
	})
	cfg, err := ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	if err := ck.CheckShapes(cfg); err != nil {
		t.Fatal(err)
	}
	if u := ck.Unexpected(cfg); !slices.Equal(u, []string{"model.layers.0.self_attn.rotary_emb.inv_freq"}) {
		t.Errorf("Unexpected = %v", u)
	}
	if !ck.Has(LMHead) {
		t.Error("lm_head.weight not found")
	}
}

func TestSynthetic(t *testing.T) {
	for _, tc := range []struct {
		mode   string
		shards int
	}{{"online", 1}, {"offline", 1}, {"offline", 3}, {"", 2}} {
		t.Run(fmt.Sprintf("%s_%d", tc.mode, tc.shards), func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeSynthetic(t, dir, synthConfig(tc.mode), tc.shards)
			if cfg.Packed() != (tc.mode == "offline") {
				t.Errorf("Packed = %v", cfg.Packed())
			}
			if err := loadAll(dir); err != nil {
				t.Fatal(err)
			}
			ck, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer ck.Close()
			if tc.mode != "offline" {
				return
			}
			name := "model.layers.1.mlp.down_proj.weight"
			info, err := ck.Info(name)
			if err != nil || info.Dtype != "U8" || !slices.Equal(info.Shape, []int{64 / 4, 96}) {
				t.Errorf("%s: %+v %v", name, info, err)
			}
			s, err := ck.Float32(name+"_scale", nil)
			if err != nil || !slices.Equal(s, []float32{Float32FromBF16(BF16FromFloat32(0.0125))}) {
				t.Errorf("scale %v %v", s, err)
			}
			// A packed checkpoint read with an online config is reported.
			online := *cfg
			online.Quantization = &QuantizationConfig{QuantMethod: "bitnet", LinearClass: "autobitlinear", QuantizationMode: "online"}
			err = ck.CheckShapes(&online)
			if err == nil || !strings.Contains(err.Error(), `tensor "model.layers.0.self_attn.q_proj.weight": expected shape [64 64] ([num_attention_heads 4 × head_dim 16 = 64, hidden_size 64]), found [16 64]`) {
				t.Errorf("online config on packed weights: %v", err)
			}
			if err == nil || !strings.Contains(err.Error(), "... and ") {
				t.Errorf("error list not capped: %v", err)
			}
		})
	}
}

func TestSyntheticPackedMissingScale(t *testing.T) {
	dir := t.TempDir()
	writeSynthetic(t, dir, synthConfig("offline"), 1)
	rewriteTensors(t, filepath.Join(dir, SingleFile), func(ts []Tensor) []Tensor {
		return slices.DeleteFunc(ts, func(x Tensor) bool { return x.Name == "model.layers.0.mlp.up_proj.weight_scale" })
	})
	err := loadAll(dir)
	if err == nil || !strings.Contains(err.Error(), `tensor "model.layers.0.mlp.up_proj.weight_scale" (expected shape [1]) is missing`) {
		t.Fatalf("got %v", err)
	}
}

func TestPackedNeedsOutMultipleOf4(t *testing.T) {
	m := synthConfig("offline")
	m["intermediate_size"] = 98
	b, _ := json.Marshal(m)
	cfg, err := ParseConfig(b)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ExpectedTensors(cfg)
	if err == nil || !strings.Contains(err.Error(), "out dimension 98 to be a multiple of 4") {
		t.Fatalf("got %v", err)
	}
}

// TestStreaming checks that Open reads headers only and Float32 allocates
// only its result: the converter relies on this for multi-GB checkpoints.
func TestStreaming(t *testing.T) {
	dir := goldenModel("tiny_a") // 3 MB of weights
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ck, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 256<<10 {
		t.Errorf("Open allocated %d bytes for a 3 MB checkpoint", d)
	}
	name := "model.layers.0.mlp.up_proj.weight" // 640×256
	dst := make([]float32, 640*256)
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := ck.Float32(name, dst); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("Float32 into a large enough dst: %v allocations", allocs)
	}
}

func BenchmarkFloat32BF16(b *testing.B) {
	ck, err := Open(goldenModel("tiny_a"))
	if err != nil {
		b.Fatal(err)
	}
	defer ck.Close()
	name := "model.embed_tokens.weight"
	info, _ := ck.Info(name)
	dst := make([]float32, info.NumElements())
	b.SetBytes(info.Size)
	for b.Loop() {
		if _, err := ck.Float32(name, dst); err != nil {
			b.Fatal(err)
		}
	}
}
