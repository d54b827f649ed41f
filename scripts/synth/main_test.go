package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/format/hf"
)

// testShape is tiny_a's shape with one layer less and a vocabulary that is
// not a multiple of anything.
var testShape = Shape{Hidden: 256, Intermediate: 640, Layers: 2, Heads: 4, KVHeads: 1, Vocab: 1000, Ctx: 256}

func generate(t *testing.T, o Options) (*Summary, *hf.Config, *hf.Checkpoint) {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	if o.Shape == (Shape{}) {
		o.Shape = testShape
	}
	s, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := hf.ReadConfig(o.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := hf.Open(o.Dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ck.Close() })
	if err := ck.CheckShapes(cfg); err != nil {
		t.Fatalf("CheckShapes: %v", err)
	}
	if u := ck.Unexpected(cfg); len(u) > 0 {
		t.Errorf("unexpected tensors %v", u)
	}
	return s, cfg, ck
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]byte)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestForms(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shards int
		packed bool
		files  []string
	}{
		{"single", 1, false, []string{"model.safetensors"}},
		{"sharded", 3, false, []string{"model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors"}},
		{"packed", 2, true, []string{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"}},
		{"packed-single", 0, true, []string{"model.safetensors"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, cfg, ck := generate(t, Options{Dir: dir, Shards: tc.shards, Packed: tc.packed, Seed: 7})
			if cfg.Packed() != tc.packed || cfg.Quantization == nil || cfg.Quantization.LinearClass != "autobitlinear" {
				t.Errorf("config quantization %+v", cfg.Quantization)
			}
			if !slices.Equal(ck.Shards(), tc.files) {
				t.Errorf("shards %v, want %v", ck.Shards(), tc.files)
			}
			var total int64
			for _, f := range s.Files {
				st, err := os.Stat(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				total += st.Size()
			}
			if total != s.Bytes {
				t.Errorf("summary says %d bytes, files hold %d", s.Bytes, total)
			}
			specs, err := hf.ExpectedTensors(cfg)
			if err != nil {
				t.Fatal(err)
			}
			idx, err := os.ReadFile(filepath.Join(dir, hf.IndexFile))
			if len(tc.files) == 1 {
				if err == nil {
					t.Error("single-file checkpoint has an index")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ix, err := hf.ParseIndex(idx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ix.WeightMap) != len(specs) {
				t.Errorf("index lists %d tensors, want %d", len(ix.WeightMap), len(specs))
			}
			var data int64
			for _, sp := range specs {
				shard, ok := ix.WeightMap[sp.Name]
				if !ok {
					t.Errorf("index lacks %s", sp.Name)
					continue
				}
				info, err := ck.Info(sp.Name)
				if err != nil || info.Shard != shard {
					t.Errorf("%s: index says %s, found %+v %v", sp.Name, shard, info, err)
				}
				data += info.Size
				if sp.Role == hf.RoleWeightScale && ix.WeightMap[strings.TrimSuffix(sp.Name, "_scale")] != shard {
					t.Errorf("%s is not in its weight's shard", sp.Name)
				}
			}
			if ix.TotalSize != data {
				t.Errorf("index total_size %d, tensors hold %d", ix.TotalSize, data)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, packed := range []bool{false, true} {
		a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
		generate(t, Options{Dir: a, Shards: 2, Packed: packed, Seed: 3, Workers: 1})
		generate(t, Options{Dir: b, Shards: 2, Packed: packed, Seed: 3, Workers: 4})
		generate(t, Options{Dir: c, Shards: 2, Packed: packed, Seed: 4, Workers: 2})
		fa, fb, fc := readDir(t, a), readDir(t, b), readDir(t, c)
		if len(fa) != 5 { // 2 shards, index, config, generation config
			t.Errorf("%d files", len(fa))
		}
		for name, da := range fa {
			if !bytes.Equal(da, fb[name]) {
				t.Errorf("packed=%v: %s differs between two runs with the same seed", packed, name)
			}
			if strings.HasSuffix(name, ".safetensors") && bytes.Equal(da, fc[name]) {
				t.Errorf("packed=%v: %s is the same for seeds 3 and 4", packed, name)
			}
		}
	}
}

// TestPackedIsTernarizedMaster checks the packed form against docs/SEMANTICS.md
// §2 and §3 applied to the BF16 master weights of the same seed.
func TestPackedIsTernarizedMaster(t *testing.T) {
	shape := Shape{Hidden: 192, Intermediate: 520, Layers: 1, Heads: 6, KVHeads: 2, Vocab: 512, Ctx: 64} // tiny_b-like
	_, cfg, master := generate(t, Options{Shape: shape, Seed: 9})
	_, pcfg, packed := generate(t, Options{Shape: shape, Seed: 9, Packed: true, Shards: 2})
	specs, err := hf.ExpectedTensors(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pspecs, err := hf.ExpectedTensors(pcfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(pspecs) != len(specs)+7*shape.Layers {
		t.Fatalf("%d packed tensors for %d master tensors", len(pspecs), len(specs))
	}
	for _, sp := range specs {
		w, err := master.Float32(sp.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sp.Role != hf.RoleProjection {
			p, err := packed.Float32(sp.Name, nil)
			if err != nil || !slices.Equal(w, p) {
				t.Errorf("%s differs between the forms (%v)", sp.Name, err)
			}
			continue
		}
		var sum float64
		for _, v := range w {
			sum += math.Abs(float64(v))
		}
		m := max(float32(sum/float64(len(w))), 1e-5)
		inv := 1 / m
		scale, err := packed.Float32(strings.TrimSuffix(sp.Name, ".weight")+".weight_scale", nil)
		if err != nil {
			t.Fatal(err)
		}
		if scale[0] != hf.Float32FromBF16(hf.BF16FromFloat32(m)) {
			t.Errorf("%s: weight_scale %g, want bf16(%g)", sp.Name, scale[0], m)
		}
		raw, info, err := packed.Raw(sp.Name)
		if err != nil {
			t.Fatal(err)
		}
		out, in := sp.Out, sp.In
		if !slices.Equal(info.Shape, []int{out / 4, in}) || info.Dtype != "U8" {
			t.Fatalf("%s: packed %s %v", sp.Name, info.Dtype, info.Shape)
		}
		var counts [3]int
		bad := 0
		for o := range out {
			k, r := o/(out/4), o%(out/4)
			for i := range in {
				code := int(raw[r*in+i]>>(2*k)) & 3
				tq := min(max(math.RoundToEven(float64(w[o*in+i]*inv)), -1), 1)
				if code != int(tq)+1 {
					bad++
				}
				counts[min(code, 2)]++
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d codes differ from the ternarized master", sp.Name, bad)
		}
		// N(0, σ²) with m = σ·√(2/π): P(t = 0) = P(|z| < 0.399) ≈ 0.31.
		if f := float64(counts[1]) / float64(out*in); f < 0.28 || f > 0.34 {
			t.Errorf("%s: %.3f of the codes are 0, want ≈0.31 (counts %v)", sp.Name, f, counts)
		}
	}
}

func TestValueStatistics(t *testing.T) {
	_, _, ck := generate(t, Options{Seed: 5})
	for _, tc := range []struct {
		name      string
		mean, std float64
	}{
		{"model.embed_tokens.weight", 0, embedStd},
		{"model.layers.0.mlp.gate_proj.weight", 0, linearStd},
		{"model.layers.1.self_attn.o_proj.weight", 0, linearStd},
		{"model.layers.0.mlp.ffn_sub_norm.weight", 1, normStd},
	} {
		w, err := ck.Float32(tc.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		var s, s2 float64
		for _, v := range w {
			s += float64(v)
			s2 += float64(v) * float64(v)
		}
		n := float64(len(w))
		mean := s / n
		std := math.Sqrt(s2/n - mean*mean)
		se := tc.std / math.Sqrt(n)
		if math.Abs(mean-tc.mean) > 5*se || math.Abs(std/tc.std-1) > 5/math.Sqrt(n)+0.01 {
			t.Errorf("%s: mean %g std %g, want %g and %g", tc.name, mean, std, tc.mean, tc.std)
		}
	}
	// Rows must not repeat (every row has its own stream).
	w, _ := ck.Float32("model.embed_tokens.weight", nil)
	if slices.Equal(w[:256], w[256:512]) {
		t.Error("embedding rows 0 and 1 are equal")
	}
}

func TestForce(t *testing.T) {
	dir := t.TempDir()
	generate(t, Options{Dir: dir, Shards: 2, Seed: 1})
	if _, err := Generate(Options{Dir: dir, Shape: testShape, Seed: 1}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second run without Force: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("keep"), 0o644)
	generate(t, Options{Dir: dir, Shards: 1, Seed: 1, Force: true})
	files := readDir(t, dir)
	if _, ok := files[hf.IndexFile]; ok {
		t.Error("the old index survived --force")
	}
	if _, ok := files["model-00001-of-00002.safetensors"]; ok {
		t.Error("an old shard survived --force")
	}
	if string(files["README.md"]) != "keep" {
		t.Error("--force removed a file that is not part of a checkpoint")
	}
	for name := range files {
		if strings.HasSuffix(name, ".tmp") {
			t.Errorf("left %s behind", name)
		}
	}
}

func TestTokenizer(t *testing.T) {
	tok := findDefaultTokenizer()
	if tok == "" {
		t.Skip("no tokenizer/testdata/tokenizer.json")
	}
	// Too small a vocabulary: the default tokenizer is skipped, an explicit
	// one is an error.
	dir := t.TempDir()
	generate(t, Options{Dir: dir, Tokenizer: tok, TokenizerOptional: true})
	if _, err := os.Stat(filepath.Join(dir, hf.TokenizerFile)); err == nil {
		t.Error("copied a tokenizer larger than the vocabulary")
	}
	if _, err := Generate(Options{Dir: t.TempDir(), Shape: testShape, Tokenizer: tok}); err == nil {
		t.Error("no error for a tokenizer larger than the vocabulary")
	}

	dir = t.TempDir()
	shape := Shape{Hidden: 64, Intermediate: 128, Layers: 1, Heads: 2, KVHeads: 1, Vocab: llama3Vocab, Ctx: 128}
	_, cfg, _ := generate(t, Options{Dir: dir, Shape: shape, Tokenizer: tok})
	if cfg.BOSTokenID != 128000 || cfg.EOSTokenID != 128001 {
		t.Errorf("bos %d eos %d", cfg.BOSTokenID, cfg.EOSTokenID)
	}
	got, ok, err := hf.ReadTokenizerJSON(dir)
	want, _ := os.ReadFile(tok)
	if !ok || err != nil || !bytes.Equal(got, want) {
		t.Errorf("tokenizer.json not copied: %v %v", ok, err)
	}
	s, ok, err := hf.ReadTokenizerConfig(dir)
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	if s.AddBOSToken == nil || !*s.AddBOSToken || s.BOSToken != "<|begin_of_text|>" || s.EOSToken != "<|eot_id|>" {
		t.Errorf("tokenizer_config: %+v", s)
	}
	if !strings.Contains(s.ChatTemplate, "<|eot_id|>{% endfor %}Assistant: ") {
		t.Errorf("chat template %q", s.ChatTemplate)
	}
	var gen struct {
		BOS int   `json:"bos_token_id"`
		EOS []int `json:"eos_token_id"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "generation_config.json"))
	if err := json.Unmarshal(b, &gen); err != nil || gen.BOS != 128000 || !slices.Equal(gen.EOS, []int{128001, 128009}) {
		t.Errorf("generation_config.json %s: %v", b, err)
	}
}

// TestPlan2B4T checks the default split of the 2B4T preset without writing
// it: three shards of about 2 GB in tensor order.
func TestPlan2B4T(t *testing.T) {
	for _, packed := range []bool{false, true} {
		bos, eos := specialIDs(presets["2b4t"].Vocab)
		data, err := configJSON(presets["2b4t"], packed, bos, eos)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := hf.ParseConfig(data)
		if err != nil {
			t.Fatal(err)
		}
		specs, err := hf.ExpectedTensors(cfg)
		if err != nil {
			t.Fatal(err)
		}
		g := &generator{seed: 1, workers: 1, scales: map[string]float32{}}
		items := g.items(specs, packed)
		var total int64
		for _, it := range items {
			total += it.size
		}
		if !packed && total != 2*2412820480 {
			t.Errorf("2B4T holds %d bytes, want 2 × 2412820480", total)
		}
		shards, err := planShards(items, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := 3
		if packed {
			want = 1 // ~1.2 GB
		}
		if len(shards) != want {
			t.Fatalf("packed=%v: %d shards", packed, len(shards))
		}
		for _, sh := range shards {
			if sh.dataBytes > 2.2e9 {
				t.Errorf("%s holds %d bytes", sh.name, sh.dataBytes)
			}
		}
	}
}
