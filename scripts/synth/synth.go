package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/hf"
)

// Shape is a model's dimensions and family.
type Shape struct {
	Hidden, Intermediate, Layers, Heads, KVHeads, Vocab, Ctx int
	// HeadDim is written as config.json's head_dim when not 0.
	HeadDim int
	// Llama selects the ternary Llama family (LlamaForCausalLM with
	// quant_method bitnet, as tiiuae/Falcon3-*-1.58bit: SiLU, no sub-norms,
	// untied lm_head, always packed with transformers' BitLinear
	// convention, weight_scale = bf16(1/mean|W|)); else BitNet.
	Llama bool
}

// Presets: 2b4t is microsoft/bitnet-b1.58-2B-4T (docs/SEMANTICS.md §1), tiny is
// golden/models/tiny_a, tiny-llama3 is tiny_a's layers with LLaMA 3's
// vocabulary (so it carries the real tokenizer: chat and perplexity on
// text run in seconds); falcon3-1b has the shapes of
// tiiuae/Falcon3-1B-Instruct-1.58bit, falcon3-tiny those of
// golden/models/tiny_llama_a with the LLaMA 3 tokenizer's vocabulary
// (a model bitnet.cpp loads with the repository's tokenizer).
var presets = map[string]Shape{
	"2b4t":         {Hidden: 2560, Intermediate: 6912, Layers: 30, Heads: 20, KVHeads: 5, Vocab: 128256, Ctx: 4096},
	"tiny":         {Hidden: 256, Intermediate: 640, Layers: 2, Heads: 4, KVHeads: 1, Vocab: 1000, Ctx: 256},
	"tiny-llama3":  {Hidden: 256, Intermediate: 640, Layers: 2, Heads: 4, KVHeads: 1, Vocab: 128256, Ctx: 2048},
	"falcon3-1b":   {Hidden: 2048, Intermediate: 8192, Layers: 18, Heads: 8, KVHeads: 4, HeadDim: 256, Vocab: 131072, Ctx: 8192, Llama: true},
	"falcon3-tiny": {Hidden: 256, Intermediate: 768, Layers: 2, Heads: 4, KVHeads: 2, HeadDim: 64, Vocab: 128256, Ctx: 256, Llama: true},
}

// llama3Vocab is the LLaMA 3 tokenizer's size; models at least this large
// get its BOS/EOS ids (docs/SEMANTICS.md §1), smaller ones the goldens'
// vocab-8 / vocab-7.
const llama3Vocab = 128256

// Options configures Generate.
type Options struct {
	Dir    string
	Shape  Shape
	Shards int // number of safetensors files; 0: about 2 GB each
	Seed   uint64
	Packed bool // the offline packed form (docs/SEMANTICS.md §3) instead of BF16 master weights
	// Tokenizer is a tokenizer.json to copy into Dir ("" for none).
	// With TokenizerOptional, a tokenizer whose ids do not fit the vocab
	// is skipped with a note instead of failing.
	Tokenizer         string
	TokenizerOptional bool
	Force             bool // replace an existing checkpoint in Dir
	Workers           int  // generating goroutines; 0: GOMAXPROCS
	Log               io.Writer
}

// Summary describes what Generate wrote.
type Summary struct {
	Dir     string
	Files   []string // in the order written
	Bytes   int64    // total size of Files
	Seconds float64
}

// shardTarget is the shard size the automatic split aims at, like a
// Hugging Face upload with max_shard_size="2GB".
const shardTarget = 2e9

// chunkSize is roughly how many bytes of a tensor are generated at a time.
const chunkSize = 1 << 20

// Generate writes a random-weight Hugging Face BitNet checkpoint into
// o.Dir: config.json, generation_config.json, the safetensors file(s)
// (with model.safetensors.index.json when sharded) and, with o.Tokenizer,
// tokenizer.json and tokenizer_config.json. Tensors are streamed chunk by
// chunk; each file is written as NAME.tmp and renamed when complete. The
// output depends only on the options, not on o.Workers.
func Generate(o Options) (*Summary, error) {
	start := time.Now()
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Dir == "" {
		return nil, errors.New("no output directory")
	}
	if o.Shards < 0 {
		return nil, fmt.Errorf("--shards %d: must be positive", o.Shards)
	}
	bos, eos := specialIDs(o.Shape.Vocab)
	if o.Shape.Llama {
		o.Packed = true
	}
	cfgData, err := configJSON(o.Shape, o.Packed, bos, eos)
	if err != nil {
		return nil, err
	}
	cfg, err := hf.ParseConfig(cfgData)
	if err != nil {
		return nil, err
	}
	specs, err := hf.ExpectedTensors(cfg)
	if err != nil {
		return nil, err
	}
	tok, err := loadTokenizer(o, bos, eos)
	if err != nil {
		return nil, err
	}
	if err := prepareDir(o.Dir, o.Force); err != nil {
		return nil, err
	}

	g := &generator{seed: o.Seed, workers: o.Workers, scales: make(map[string]float32), divide: cfg.WeightScale() == arch.ScaleDivide}
	items := g.items(specs, o.Packed)
	shards, err := planShards(items, o.Shards)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Dir: o.Dir}
	add := func(name string, size int64) {
		sum.Files = append(sum.Files, name)
		sum.Bytes += size
	}
	meta := map[string]string{"format": "pt"}
	for _, sh := range shards {
		t0 := time.Now()
		size, err := writeAtomic(filepath.Join(o.Dir, sh.name), func(w io.Writer) error {
			return hf.WriteSafetensorsStream(w, sh.sources, meta)
		})
		if err != nil {
			return nil, err
		}
		add(sh.name, size)
		fmt.Fprintf(o.Log, "synth: %s: %d tensors, %.2f GB in %.1f s\n", sh.name, len(sh.sources), float64(size)/1e9, time.Since(t0).Seconds())
	}
	if len(shards) > 1 || o.Shards > 1 {
		weightMap := make(map[string]string)
		var total int64
		for _, sh := range shards {
			for _, s := range sh.sources {
				weightMap[s.Name] = sh.name
			}
			total += sh.dataBytes
		}
		if err := writeFile(o.Dir, hf.IndexFile, add, func(w io.Writer) error {
			return hf.WriteIndex(w, weightMap, total)
		}); err != nil {
			return nil, err
		}
	}
	gen := map[string]any{"_from_model_config": true, "bos_token_id": bos, "eos_token_id": eos}
	if tok != nil && tok.eot >= 0 && tok.eot != eos {
		gen["eos_token_id"] = []int{eos, tok.eot}
	}
	if err := writeJSON(o.Dir, "generation_config.json", gen, add); err != nil {
		return nil, err
	}
	if tok != nil {
		if err := writeFile(o.Dir, hf.TokenizerFile, add, func(w io.Writer) error {
			_, err := w.Write(tok.data)
			return err
		}); err != nil {
			return nil, err
		}
		if err := writeJSON(o.Dir, hf.TokenizerConfig, tok.config(o.Shape.Ctx), add); err != nil {
			return nil, err
		}
	}
	// config.json last: a directory without it is visibly incomplete.
	if err := writeFile(o.Dir, hf.ConfigFile, add, func(w io.Writer) error {
		_, err := w.Write(cfgData)
		return err
	}); err != nil {
		return nil, err
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// specialIDs returns the BOS and EOS ids for a vocabulary size.
func specialIDs(vocab int) (bos, eos int) {
	switch {
	case vocab >= llama3Vocab:
		return 128000, 128001
	case vocab > 8:
		return vocab - 8, vocab - 7
	}
	return 0, 0
}

type quantJSON struct {
	QuantMethod      string `json:"quant_method"`
	LinearClass      string `json:"linear_class"`
	QuantizationMode string `json:"quantization_mode"`
}

type configDoc struct {
	Architectures         []string  `json:"architectures"`
	AttentionBias         bool      `json:"attention_bias"`
	AttentionDropout      pyFloat   `json:"attention_dropout"`
	BOSTokenID            int       `json:"bos_token_id"`
	EOSTokenID            int       `json:"eos_token_id"`
	HiddenAct             string    `json:"hidden_act"`
	HiddenSize            int       `json:"hidden_size"`
	InitializerRange      pyFloat   `json:"initializer_range"`
	IntermediateSize      int       `json:"intermediate_size"`
	MaxPositionEmbeddings int       `json:"max_position_embeddings"`
	ModelType             string    `json:"model_type"`
	NumAttentionHeads     int       `json:"num_attention_heads"`
	NumHiddenLayers       int       `json:"num_hidden_layers"`
	NumKeyValueHeads      int       `json:"num_key_value_heads"`
	RMSNormEps            pyFloat   `json:"rms_norm_eps"`
	RopeTheta             pyFloat   `json:"rope_theta"`
	TieWordEmbeddings     bool      `json:"tie_word_embeddings"`
	TorchDtype            string    `json:"torch_dtype"`
	UseCache              bool      `json:"use_cache"`
	VocabSize             int       `json:"vocab_size"`
	QuantizationConfig    quantJSON `json:"quantization_config"`
}

// pyFloat marshals like Python's json (500000.0, 1e-05), as config.json
// files written by transformers look.
type pyFloat float64

func (f pyFloat) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(f), 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return []byte(s), nil
}

// llamaConfigDoc is config.json of the ternary Llama family, with the keys
// of tiiuae/Falcon3-1B-Instruct-1.58bit.
type llamaConfigDoc struct {
	Architectures         []string       `json:"architectures"`
	AttentionBias         bool           `json:"attention_bias"`
	AttentionDropout      pyFloat        `json:"attention_dropout"`
	BOSTokenID            int            `json:"bos_token_id"`
	EOSTokenID            int            `json:"eos_token_id"`
	HeadDim               int            `json:"head_dim,omitempty"`
	HiddenAct             string         `json:"hidden_act"`
	HiddenSize            int            `json:"hidden_size"`
	InitializerRange      pyFloat        `json:"initializer_range"`
	IntermediateSize      int            `json:"intermediate_size"`
	IsBitnetConfig        bool           `json:"is_bitnet_config"`
	MaxPositionEmbeddings int            `json:"max_position_embeddings"`
	MLPBias               bool           `json:"mlp_bias"`
	ModelType             string         `json:"model_type"`
	NumAttentionHeads     int            `json:"num_attention_heads"`
	NumHiddenLayers       int            `json:"num_hidden_layers"`
	NumKeyValueHeads      int            `json:"num_key_value_heads"`
	PretrainingTP         int            `json:"pretraining_tp"`
	QuantizationConfig    map[string]any `json:"quantization_config"`
	RMSNormEps            pyFloat        `json:"rms_norm_eps"`
	RopeScaling           *struct{}      `json:"rope_scaling"`
	RopeTheta             int            `json:"rope_theta"`
	TieWordEmbeddings     bool           `json:"tie_word_embeddings"`
	TorchDtype            string         `json:"torch_dtype"`
	UseCache              bool           `json:"use_cache"`
	VocabSize             int            `json:"vocab_size"`
}

// configJSON returns the config.json of a 2B4T-like model of shape s, or a
// Falcon3-like one for s.Llama.
func configJSON(s Shape, packed bool, bos, eos int) ([]byte, error) {
	if s.Llama {
		doc := llamaConfigDoc{
			Architectures: []string{"LlamaForCausalLM"}, BOSTokenID: bos, EOSTokenID: eos, HeadDim: s.HeadDim,
			HiddenAct: "silu", HiddenSize: s.Hidden, InitializerRange: 0.02, IntermediateSize: s.Intermediate,
			IsBitnetConfig: true, MaxPositionEmbeddings: s.Ctx, ModelType: "llama", NumAttentionHeads: s.Heads,
			NumHiddenLayers: s.Layers, NumKeyValueHeads: s.KVHeads, PretrainingTP: 1,
			QuantizationConfig: map[string]any{"modules_to_not_convert": []string{"lm_head"}, "quant_method": "bitnet"},
			RMSNormEps:         1e-6, RopeTheta: 1000042, TorchDtype: "bfloat16", UseCache: true, VocabSize: s.Vocab,
		}
		if s.Heads > 0 && s.KVHeads > 0 && s.Heads%s.KVHeads != 0 {
			return nil, fmt.Errorf("%d heads is not a multiple of the %d kv heads", s.Heads, s.KVHeads)
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		return append(b, '\n'), err
	}
	mode := "online"
	if packed {
		mode = "offline"
	}
	doc := configDoc{
		Architectures:         []string{"BitNetForCausalLM"},
		BOSTokenID:            bos,
		EOSTokenID:            eos,
		HiddenAct:             "relu2",
		HiddenSize:            s.Hidden,
		InitializerRange:      0.02,
		IntermediateSize:      s.Intermediate,
		MaxPositionEmbeddings: s.Ctx,
		ModelType:             "bitnet",
		NumAttentionHeads:     s.Heads,
		NumHiddenLayers:       s.Layers,
		NumKeyValueHeads:      s.KVHeads,
		RMSNormEps:            1e-5,
		RopeTheta:             500000,
		TieWordEmbeddings:     true,
		TorchDtype:            "bfloat16",
		UseCache:              true,
		VocabSize:             s.Vocab,
		QuantizationConfig:    quantJSON{"bitnet", "autobitlinear", mode},
	}
	if s.Heads > 0 && s.Hidden%s.Heads != 0 {
		return nil, fmt.Errorf("hidden size %d is not a multiple of the %d heads", s.Hidden, s.Heads)
	}
	if s.Heads > 0 && s.KVHeads > 0 && s.Heads%s.KVHeads != 0 {
		return nil, fmt.Errorf("%d heads is not a multiple of the %d kv heads", s.Heads, s.KVHeads)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n'), err
}

// ownedFile reports whether a file name in the output directory is one
// Generate writes (or a leftover of an interrupted run).
func ownedFile(name string) bool {
	switch name {
	case hf.ConfigFile, "generation_config.json", hf.IndexFile, hf.TokenizerFile, hf.TokenizerConfig:
		return true
	}
	return strings.HasSuffix(name, ".safetensors") || strings.HasSuffix(name, ".tmp")
}

// prepareDir creates dir, or checks that it holds no checkpoint files;
// with force it removes them (and only them) instead.
func prepareDir(dir string, force bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var found []string
	for _, e := range entries {
		if e.Type().IsRegular() && ownedFile(e.Name()) {
			found = append(found, e.Name())
		}
	}
	if len(found) == 0 {
		return nil
	}
	if !force {
		return fmt.Errorf("%s already holds %s: pass --force to replace it", dir, strings.Join(found, ", "))
	}
	for _, name := range found {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// writeAtomic writes path.tmp with fn, then renames it to path. It returns
// the file size.
func writeAtomic(path string, fn func(io.Writer) error) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	err = fn(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var size int64
	if err == nil {
		var st os.FileInfo
		if st, err = os.Stat(tmp); err == nil {
			size = st.Size()
			err = os.Rename(tmp, path)
		}
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return size, nil
}

func writeFile(dir, name string, add func(string, int64), fn func(io.Writer) error) error {
	size, err := writeAtomic(filepath.Join(dir, name), fn)
	if err == nil {
		add(name, size)
	}
	return err
}

func writeJSON(dir, name string, v any, add func(string, int64)) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return writeFile(dir, name, add, func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	})
}

// item is one tensor to write, with the group of tensors that must share a
// shard (a packed projection and its weight_scale).
type item struct {
	src   hf.TensorSource
	size  int64
	group int
}

type shard struct {
	name      string
	sources   []hf.TensorSource
	dataBytes int64
}

// planShards splits items, in order, into n files of about equal size
// (n = 0: about shardTarget bytes each); a group is never split. One file
// is model.safetensors; more are model-0000i-of-0000n.safetensors.
func planShards(items []item, n int) ([]shard, error) {
	if len(items) == 0 {
		return nil, errors.New("no tensors")
	}
	var total int64
	for _, it := range items {
		total += it.size
	}
	requested := n
	if n == 0 {
		n = int((total + shardTarget - 1) / shardTarget)
	}
	groups := items[len(items)-1].group + 1
	n = max(1, min(n, groups))
	// Each group goes to the shard its midpoint falls in.
	assign := make([]int, groups)
	var off int64
	for i := 0; i < len(items); {
		j, size := i, int64(0)
		for ; j < len(items) && items[j].group == items[i].group; j++ {
			size += items[j].size
		}
		mid := float64(off) + float64(size)/2
		assign[items[i].group] = min(n-1, int(mid*float64(n)/float64(max(total, 1))))
		off += size
		i = j
	}
	byShard := make([][]item, n)
	for _, it := range items {
		s := assign[it.group]
		byShard[s] = append(byShard[s], it)
	}
	var out []shard
	for _, list := range byShard {
		if len(list) == 0 {
			continue // a group larger than a whole slice
		}
		var sh shard
		for _, it := range list {
			sh.sources = append(sh.sources, it.src)
			sh.dataBytes += it.size
		}
		out = append(out, sh)
	}
	if len(out) == 1 && requested <= 1 {
		out[0].name = hf.SingleFile
		return out, nil
	}
	for i := range out {
		out[i].name = fmt.Sprintf("model-%05d-of-%05d.safetensors", i+1, len(out))
	}
	return out, nil
}

// generator produces the tensors' bytes.
type generator struct {
	seed    uint64
	workers int
	scales  map[string]float32 // packed projection → absmean, computed once
	divide  bool               // weight_scale holds 1/absmean (linear_class bitlinear)
}

// items returns the tensors of specs as streaming sources.
func (g *generator) items(specs []hf.TensorSpec, packed bool) []item {
	var out []item
	group := -1
	for _, s := range specs {
		var src hf.TensorSource
		switch s.Role {
		case hf.RoleEmbedding, hf.RoleOutput:
			src = g.bf16Source(s.Name, s.Shape, embedTable)
		case hf.RoleNorm:
			src = g.bf16Source(s.Name, s.Shape, normTable)
		case hf.RoleProjection:
			if packed {
				src = g.packedSource(s.Name, s.Out, s.In)
			} else {
				src = g.bf16Source(s.Name, s.Shape, linearTable)
			}
		case hf.RoleWeightScale:
			src = g.scaleSource(s.Name, s.Out, s.In)
		default:
			panic(fmt.Sprintf("tensor %q: unknown role %d", s.Name, s.Role))
		}
		if s.Role != hf.RoleWeightScale {
			group++
		}
		size := int64(1)
		for _, d := range s.Shape {
			size *= int64(d)
		}
		if src.Dtype == "BF16" {
			size *= 2
		}
		out = append(out, item{src: src, size: size, group: group})
	}
	return out
}

// bf16Source draws a BF16 tensor from tab, row by row (a 1-D tensor is one
// row).
func (g *generator) bf16Source(name string, shape []int, tab *table) hf.TensorSource {
	rows, cols := 1, shape[len(shape)-1]
	for _, d := range shape[:len(shape)-1] {
		rows *= d
	}
	key := tensorKey(g.seed, name)
	rowBytes := 2 * cols
	per := max(1, chunkSize/rowBytes)
	return hf.TensorSource{Name: name, Dtype: "BF16", Shape: shape, Write: func(w io.Writer) error {
		return g.writeChunks(w, (rows+per-1)/per, per*rowBytes, func(i int, buf []byte) []byte {
			r0, r1 := i*per, min(rows, (i+1)*per)
			buf = buf[:(r1-r0)*rowBytes]
			for r := r0; r < r1; r++ {
				fillBF16(buf[(r-r0)*rowBytes:][:rowBytes], tab, key, r)
			}
			return buf
		})
	}}
}

// absmean returns the §2 weight scale of the master weight name [out, in]
// (the one bf16Source would write), computing it once.
func (g *generator) absmean(name string, out, in int) float32 {
	if m, ok := g.scales[name]; ok {
		return m
	}
	key := tensorKey(g.seed, name)
	w := max(1, min(g.workers, out))
	hists := make([]*[1 << 16]uint64, w)
	var wg sync.WaitGroup
	for j := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := new([1 << 16]uint64)
			for r := j * out / w; r < (j+1)*out/w; r++ {
				countRow(h, in, key, r)
			}
			hists[j] = h
		}()
	}
	wg.Wait()
	for _, h := range hists[1:] {
		for i, c := range h {
			hists[0][i] += c
		}
	}
	m := absmeanFromHist(hists[0], linearTable)
	g.scales[name] = m
	return m
}

// packedSource writes projection name ([out, in] master) in the HF packed
// form of docs/SEMANTICS.md §3: U8 [out/4, in], output row k·(out/4)+r in bits
// 2k..2k+1 of packed row r, code t+1, where t is the §2 ternarisation of
// the master weight bf16Source would write.
func (g *generator) packedSource(name string, out, in int) hf.TensorSource {
	key := tensorKey(g.seed, name)
	q := out / 4
	per := max(1, chunkSize/in)
	return hf.TensorSource{Name: name, Dtype: "U8", Shape: []int{q, in}, Write: func(w io.Writer) error {
		code := codeTable(linearTable, g.absmean(name, out, in))
		return g.writeChunks(w, (q+per-1)/per, per*in, func(i int, buf []byte) []byte {
			r0, r1 := i*per, min(q, (i+1)*per)
			buf = buf[:(r1-r0)*in]
			tmp := make([]byte, 4*in)
			c0, c1, c2, c3 := tmp[:in], tmp[in:2*in], tmp[2*in:3*in], tmp[3*in:]
			for r := r0; r < r1; r++ {
				fillCodes(c0, code, key, r)
				fillCodes(c1, code, key, q+r)
				fillCodes(c2, code, key, 2*q+r)
				fillCodes(c3, code, key, 3*q+r)
				dst := buf[(r-r0)*in:][:in]
				for c := range dst {
					dst[c] = c0[c] | c1[c]<<2 | c2[c]<<4 | c3[c]<<6
				}
			}
			return buf
		})
	}}
}

// scaleSource writes <projection>.weight_scale: BF16 [1] holding mean|W|
// (docs/SEMANTICS.md §3, AutoBitLinear multiplies by it), or 1/mean|W| with
// g.divide (transformers' BitLinear divides by it).
func (g *generator) scaleSource(name string, out, in int) hf.TensorSource {
	weight := strings.TrimSuffix(name, "_scale")
	return hf.TensorSource{Name: name, Dtype: "BF16", Shape: []int{1}, Write: func(w io.Writer) error {
		var b [2]byte
		m := g.absmean(weight, out, in)
		if g.divide {
			m = 1 / m
		}
		binary.LittleEndian.PutUint16(b[:], hf.BF16FromFloat32(m))
		_, err := w.Write(b[:])
		return err
	}}
}

// writeChunks writes chunks 0..n-1 to w in order; gen fills chunk i into
// buf (capacity bufCap) and returns it. Up to g.workers goroutines generate
// ahead of the writer, with at most a few chunks in flight.
func (g *generator) writeChunks(w io.Writer, n, bufCap int, gen func(i int, buf []byte) []byte) error {
	workers := min(g.workers, n)
	if workers <= 1 {
		buf := make([]byte, bufCap)
		for i := range n {
			if _, err := w.Write(gen(i, buf)); err != nil {
				return err
			}
		}
		return nil
	}
	depth := min(n, 2*workers)
	free := make(chan []byte, depth)
	for range depth {
		free <- make([]byte, bufCap)
	}
	done := make([]chan []byte, n)
	for i := range done {
		done[i] = make(chan []byte, 1)
	}
	stop := make(chan struct{})
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// Take a buffer before an index, so the lowest pending
				// index always has one (no deadlock with the writer).
				var buf []byte
				select {
				case buf = <-free:
				case <-stop:
					return
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				done[i] <- gen(i, buf)
			}
		}()
	}
	var err error
	for i := range n {
		buf := <-done[i]
		if _, err = w.Write(buf); err != nil {
			break
		}
		free <- buf[:cap(buf)]
	}
	close(stop)
	wg.Wait()
	return err
}
