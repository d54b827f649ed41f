package reliability

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/quant"
	"github.com/bitnet-go/bitnet/tokenizer"
)

var update = flag.Bool("update", false, "regenerate the corpus under testdata/bad")

const (
	corpusDir = "../testdata/bad"
	maxCorpus = 2 << 20 // bytes, all files together
)

// Loaders a GGUF case goes through.
type stage int

const (
	stageOK          stage = iota // loads, tokenizer builds, checksums hold
	stageParse                    // gguf.Open (and so model.Open) fails with the class
	stageModel                    // parses, model.Open fails (model has no sentinels: any error)
	stageTokenizer                // model loads, tokenizer.FromGGUF fails with the class
	stageIntegrity                // loads, integrity.Check reports a problem in region
	stageNoChecksums              // loads; integrity.Check says ErrNoChecksums (bitnet.cpp's files)
)

type ggufCase struct {
	name   string
	make   func(t *testing.T, b base) []byte
	stage  stage
	class  error
	region integrity.Region // for stageIntegrity
}

type hfCase struct {
	name string
	// edit changes the tensors before they are written, or the directory
	// after; either may be nil.
	tensors func(ts []hf.Tensor) []hf.Tensor
	dir     func(t *testing.T, dir string)
	vocab   int // 0: microVocab
	class   error
	// llama: the micro model of the ternary Llama family (packed,
	// linear_class bitlinear, untied lm_head), with config edits.
	llama  bool
	config func(m map[string]any)
}

// base is the converted micro model the GGUF cases are derived from.
type base struct {
	data  []byte
	f     *gguf.File
	infos []infoPos
}

// infoPos locates one tensor info's fields in the header.
type infoPos struct {
	name                    string
	nameAt, dimsAt, typeAt  uint64
	offsetAt, nDims, offset uint64
}

func ggufCases() []ggufCase {
	var cases []ggufCase
	truncAt := func(name string, at func(b base) uint64, class error) {
		cases = append(cases, ggufCase{name: name, stage: stageParse, class: class, make: func(t *testing.T, b base) []byte {
			return bytes.Clone(b.data[:at(b)])
		}})
	}
	fixed := func(n uint64) func(base) uint64 { return func(base) uint64 { return n } }
	truncAt("truncated_magic", fixed(2), gguf.ErrInvalid)
	for _, n := range []uint64{4, 10, 20, 30, 200} {
		truncAt(fmt.Sprintf("truncated_at_%d", n), fixed(n), gguf.ErrTruncated)
	}
	truncAt("truncated_in_vocabulary", func(b base) uint64 { return valueAt(b, "tokenizer.ggml.tokens") + 500 }, gguf.ErrTruncated)
	truncAt("truncated_in_tensor_infos", func(b base) uint64 { return b.infos[len(b.infos)/2].dimsAt + 3 }, gguf.ErrTruncated)
	truncAt("truncated_at_data", func(b base) uint64 { return b.f.DataOffset() }, gguf.ErrTruncated)
	truncAt("truncated_in_data", func(b base) uint64 { return b.f.DataOffset() + 3000 }, gguf.ErrTruncated)
	truncAt("truncated_last_byte", func(b base) uint64 { return uint64(len(b.data)) - 1 }, gguf.ErrTruncated)

	patch := func(name string, class error, edit func(b base, c []byte)) {
		cases = append(cases, ggufCase{name: name, stage: stageParse, class: class, make: func(t *testing.T, b base) []byte {
			c := bytes.Clone(b.data)
			edit(b, c)
			return c
		}})
	}
	le := binary.LittleEndian
	patch("lying_key_count", gguf.ErrTruncated, func(b base, c []byte) { le.PutUint64(c[16:], 1<<40) })
	patch("lying_tensor_count", gguf.ErrTruncated, func(b base, c []byte) { le.PutUint64(c[8:], 1<<40) })
	patch("lying_key_length", gguf.ErrTooLarge, func(b base, c []byte) { le.PutUint64(c[24:], 1<<20) })
	patch("lying_string_length_huge", gguf.ErrTooLarge, func(b base, c []byte) { le.PutUint64(c[valueAt(b, "general.name"):], 1<<40) })
	patch("lying_string_length_past_end", gguf.ErrTruncated, func(b base, c []byte) {
		le.PutUint64(c[valueAt(b, "general.name"):], uint64(len(c)))
	})
	patch("lying_array_length_huge", gguf.ErrTooLarge, func(b base, c []byte) { le.PutUint64(c[valueAt(b, "tokenizer.ggml.tokens")+4:], 1<<40) })
	patch("lying_array_length_past_end", gguf.ErrTruncated, func(b base, c []byte) {
		at := valueAt(b, "tokenizer.ggml.tokens") + 4
		le.PutUint64(c[at:], (uint64(len(c))-at-8)/8+1)
	})
	patch("lying_array_element_length", gguf.ErrTruncated, func(b base, c []byte) {
		le.PutUint64(c[valueAt(b, "tokenizer.ggml.merges")+12:], uint64(len(c)))
	})
	patch("unknown_value_type", gguf.ErrUnknownType, func(b base, c []byte) { le.PutUint32(c[valueAt(b, "general.name")-4:], 13) })
	patch("unknown_array_element_type", gguf.ErrUnknownType, func(b base, c []byte) { le.PutUint32(c[valueAt(b, "tokenizer.ggml.tokens"):], 99) })
	patch("bad_bool", gguf.ErrInvalid, func(b base, c []byte) { c[valueAt(b, convert.KeyPadded)] = 2 })
	patch("duplicate_key", gguf.ErrDuplicate, func(b base, c []byte) {
		// Rename the second of two keys of equal length to the first.
		kvs := b.f.KVs()
		for i := range kvs {
			for j := i + 1; j < len(kvs); j++ {
				if len(kvs[i].Key) == len(kvs[j].Key) {
					at := valueAt(b, kvs[j].Key) - 4 - uint64(len(kvs[j].Key))
					copy(c[at:], kvs[i].Key)
					return
				}
			}
		}
		panic("no two keys of equal length")
	})
	info := func(b base, name string) infoPos {
		for _, p := range b.infos {
			if p.name == name {
				return p
			}
		}
		panic("no tensor " + name)
	}
	patch("duplicate_tensor_name", gguf.ErrDuplicate, func(b base, c []byte) {
		k := info(b, "blk.0.attn_k.weight")
		copy(c[k.nameAt+8:], "blk.0.attn_q.weight")
	})
	patch("overlapping_tensors", gguf.ErrOverlap, func(b base, c []byte) {
		le.PutUint64(c[b.infos[2].offsetAt:], b.infos[1].offset)
	})
	patch("tensor_past_end", gguf.ErrTruncated, func(b base, c []byte) {
		last := b.infos[len(b.infos)-1]
		le.PutUint64(c[last.offsetAt:], last.offset+1<<20)
	})
	patch("tensor_offset_overflow", gguf.ErrTruncated, func(b base, c []byte) {
		le.PutUint64(c[b.infos[1].offsetAt:], math.MaxUint64&^31)
	})
	patch("tensor_offset_misaligned", gguf.ErrInvalid, func(b base, c []byte) {
		le.PutUint64(c[b.infos[1].offsetAt:], b.infos[1].offset+4)
	})
	patch("dims_overflow", gguf.ErrTooLarge, func(b base, c []byte) {
		e := info(b, "token_embd.weight")
		le.PutUint64(c[e.dimsAt:], 1<<32)
		le.PutUint64(c[e.dimsAt+8:], 1<<31)
	})
	patch("size_overflow", gguf.ErrTooLarge, func(b base, c []byte) { le.PutUint64(c[info(b, "output_norm.weight").dimsAt:], 1<<62) })
	patch("dim_zero", gguf.ErrInvalid, func(b base, c []byte) { le.PutUint64(c[info(b, "token_embd.weight").dimsAt+8:], 0) })
	patch("too_many_dims", gguf.ErrInvalid, func(b base, c []byte) { le.PutUint32(c[info(b, "output_norm.weight").dimsAt-4:], 5) })
	patch("unknown_tensor_type", gguf.ErrUnknownType, func(b base, c []byte) { le.PutUint32(c[info(b, "blk.0.attn_q.weight").typeAt:], 99) })
	patch("unsized_tensor_type_tl1", gguf.ErrUnknownType, func(b base, c []byte) {
		le.PutUint32(c[info(b, "blk.0.attn_q.weight").typeAt:], uint32(gguf.TypeTL1))
	})
	patch("bad_alignment", gguf.ErrInvalid, func(b base, c []byte) { le.PutUint32(c[valueAt(b, gguf.KeyAlignment)+0:], 48) })

	// Files that parse but are not a loadable model.
	cases = append(cases,
		ggufCase{name: "missing_tensor", stage: stageModel, make: func(t *testing.T, b base) []byte {
			return rewrite(t, b, nil, func(ti gguf.TensorInfo, d []byte) (gguf.TensorInfo, []byte, bool) {
				return ti, d, ti.Name != "blk.0.ffn_up.weight"
			})
		}},
		ggufCase{name: "wrong_tensor_type", stage: stageModel, make: func(t *testing.T, b base) []byte {
			return rewrite(t, b, nil, func(ti gguf.TensorInfo, d []byte) (gguf.TensorInfo, []byte, bool) {
				if ti.Name == "output_norm.weight" {
					ti.Type, d = gguf.TypeF16, d[:len(d)/2]
				}
				return ti, d, true
			})
		}},
		ggufCase{name: "wrong_tensor_shape", stage: stageModel, make: func(t *testing.T, b base) []byte {
			return rewrite(t, b, nil, func(ti gguf.TensorInfo, d []byte) (gguf.TensorInfo, []byte, bool) {
				if ti.Name == "blk.0.attn_norm.weight" {
					ti.Dims, d = []uint64{ti.Dims[0] / 2}, d[:len(d)/2]
				}
				return ti, d, true
			})
		}},
		ggufCase{name: "unknown_architecture", stage: stageModel, make: func(t *testing.T, b base) []byte {
			return rewrite(t, b, func(kv gguf.KV) gguf.KV {
				if kv.Key == gguf.KeyArchitecture {
					kv.Value = gguf.String("falcon") // "llama" is a supported family now
				}
				return kv
			}, nil)
		}},
		ggufCase{name: "vocab_smaller_than_embedding", stage: stageTokenizer, class: tokenizer.ErrVocabMismatch, make: func(t *testing.T, b base) []byte {
			return rewrite(t, b, func(kv gguf.KV) gguf.KV {
				switch kv.Key {
				case "tokenizer.ggml.tokens":
					a := kv.Value.Interface().([]string)
					kv.Value = gguf.Strings(a[:len(a)-4])
				case "tokenizer.ggml.token_type":
					a := kv.Value.Interface().([]int32)
					kv.Value = gguf.Int32s(a[:len(a)-4])
				}
				return kv
			}, nil)
		}},
		ggufCase{name: "vocab_size_key_disagrees", stage: stageModel, class: tokenizer.ErrVocabMismatch, make: func(t *testing.T, b base) []byte {
			return rewrite(t, b, func(kv gguf.KV) gguf.KV {
				if kv.Key == convert.Arch+".vocab_size" {
					kv.Value = gguf.Uint32(kv.Value.Interface().(uint32) + 1)
				}
				return kv
			}, nil)
		}},
		// Non-finite or non-positive float parameters (the loader let +Inf
		// through) and a context length past limits.MaxContext.
		setKV("rms_eps_inf", "attention.layer_norm_rms_epsilon", gguf.Float32(float32(math.Inf(1)))),
		setKV("rms_eps_nan", "attention.layer_norm_rms_epsilon", gguf.Float32(float32(math.NaN()))),
		setKV("rms_eps_zero", "attention.layer_norm_rms_epsilon", gguf.Float32(0)),
		setKV("rms_eps_negative", "attention.layer_norm_rms_epsilon", gguf.Float32(-1e-5)),
		setKV("rope_theta_inf", "rope.freq_base", gguf.Float32(float32(math.Inf(1)))),
		setKV("context_length_huge", "context_length", gguf.Uint32(1<<24)),
		// A null BOS as an older convert wrote it: no token, as llama.cpp
		// reads it (int32 -1); the tokenizer builds.
		ggufCase{name: "bos_token_id_none", stage: stageOK, make: func(t *testing.T, b base) []byte {
			return rewrite(t, b, func(kv gguf.KV) gguf.KV {
				if kv.Key == "tokenizer.ggml.bos_token_id" {
					kv.Value = gguf.Uint32(0xFFFFFFFF)
				}
				return kv
			}, nil)
		}},
		ggufCase{name: "flipped_tensor_byte", stage: stageIntegrity, region: integrity.Tensor, make: func(t *testing.T, b base) []byte {
			c := bytes.Clone(b.data)
			v, _ := b.f.Tensor("blk.0.attn_v.weight")
			c[v.Offset+v.Size/3] ^= 0x04
			return c
		}},
		ggufCase{name: "flipped_metadata_byte", stage: stageIntegrity, region: integrity.Metadata, make: func(t *testing.T, b base) []byte {
			c := bytes.Clone(b.data)
			c[valueAt(b, "general.name")+8] ^= 0x20 // a letter's case
			return c
		}},
		ggufCase{name: "no_checksums", stage: stageNoChecksums, make: func(t *testing.T, b base) []byte {
			return write(t, b, nil, nil, false)
		}},
		ggufCase{name: "valid", stage: stageOK, make: func(t *testing.T, b base) []byte { return b.data }},
		// A ternary Llama file (arch "llama") without its untied head.
		ggufCase{name: "llama_missing_output", stage: stageModel, make: func(t *testing.T, _ base) []byte {
			return rewrite(t, llamaBase(t), nil, func(ti gguf.TensorInfo, d []byte) (gguf.TensorInfo, []byte, bool) {
				return ti, d, ti.Name != "output.weight"
			})
		}},
	)
	return cases
}

// setKV is a model-stage case: the base with <arch>.key set to v, sealed
// with fresh checksums, which must parse and be refused by model.Open.
func setKV(name, key string, v gguf.Value) ggufCase {
	return ggufCase{name: name, stage: stageModel, make: func(t *testing.T, b base) []byte {
		return rewrite(t, b, func(kv gguf.KV) gguf.KV {
			if kv.Key == convert.Arch+"."+key {
				kv.Value = v
			}
			return kv
		}, nil)
	}}
}

// llamaBase converts the micro model of the ternary Llama family to GGUF.
func llamaBase(t *testing.T) base {
	dir := t.TempDir()
	writeMicroFamily(t, dir, microVocab, true, nil, nil)
	out := filepath.Join(t.TempDir(), "llama.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return parseBase(t, data)
}

func hfCases() []hfCase {
	set := func(name string, i int, bits uint16) func([]hf.Tensor) []hf.Tensor {
		return func(ts []hf.Tensor) []hf.Tensor {
			for _, t := range ts {
				if t.Name == name {
					binary.LittleEndian.PutUint16(t.Data[2*i:], bits)
				}
			}
			return ts
		}
	}
	return []hfCase{
		{name: "valid"},
		{name: "wrong_dtype", class: hf.ErrDtype, tensors: func(ts []hf.Tensor) []hf.Tensor {
			for i, t := range ts {
				if t.Name == "model.layers.0.self_attn.q_proj.weight" {
					ts[i].Dtype, ts[i].Data = "I32", append(bytes.Clone(t.Data), t.Data...)
				}
			}
			return ts
		}},
		{name: "unknown_dtype", class: hf.ErrDtype, dir: func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, hf.SingleFile), func(b []byte) []byte { return bytes.Replace(b, []byte(`"BF16"`), []byte(`"ZZ16"`), 1) })
		}},
		{name: "nan_projection", class: hf.ErrNonFinite, tensors: set("model.layers.0.self_attn.k_proj.weight", 17, 0x7fc0)},
		{name: "inf_norm", class: hf.ErrNonFinite, tensors: set("model.norm.weight", 3, 0x7f80)},
		{name: "neg_inf_embedding", class: hf.ErrNonFinite, tensors: set("model.embed_tokens.weight", 40, 0xff80)},
		{name: "nan_embedding", class: hf.ErrNonFinite, tensors: set("model.embed_tokens.weight", 5, 0xffc1)},
		{name: "missing_tensor", class: hf.ErrMissingTensor, tensors: func(ts []hf.Tensor) []hf.Tensor {
			return slices.DeleteFunc(ts, func(t hf.Tensor) bool { return t.Name == "model.layers.0.mlp.up_proj.weight" })
		}},
		{name: "wrong_shape", class: hf.ErrShape, tensors: func(ts []hf.Tensor) []hf.Tensor {
			for i, t := range ts {
				if t.Name == "model.layers.0.self_attn.v_proj.weight" {
					ts[i].Shape, ts[i].Data = []int{t.Shape[0] / 2, t.Shape[1]}, t.Data[:len(t.Data)/2]
				}
			}
			return ts
		}},
		{name: "truncated", class: hf.ErrTruncated, dir: func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, hf.SingleFile), func(b []byte) []byte { return b[:len(b)*7/10] })
		}},
		{name: "header_length_past_end", class: hf.ErrTruncated, dir: func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, hf.SingleFile), func(b []byte) []byte {
				binary.LittleEndian.PutUint64(b, 1<<40)
				return b
			})
		}},
		// Values convert used to write and the loader refused (or ran
		// as garbage): bounds and float checks are package limits', shared.
		{name: "rms_eps_underflow", class: hf.ErrConfig, dir: setConfig("rms_norm_eps", 1e-50)},
		{name: "rms_eps_overflow", class: hf.ErrConfig, dir: setConfig("rms_norm_eps", 1e39)},
		{name: "positions_past_cap", class: hf.ErrConfig, dir: setConfig("max_position_embeddings", 1<<24)},
		// transformers would build an untied, randomly initialized head.
		{name: "untied_without_lm_head", class: hf.ErrMissingTensor, dir: setConfig("tie_word_embeddings", false)},
		{name: "tokenizer_larger_than_vocab", class: tokenizer.ErrVocabMismatch, vocab: 64, dir: func(t *testing.T, dir string) {
			copyFile(t, smallTokenizer, filepath.Join(dir, "tokenizer.json"))
		}},
		// The ternary Llama family (Falcon3-1.58bit, Llama3-8B-1.58).
		{name: "llama_valid", llama: true},
		{name: "llama_weight_scale_shape", llama: true, class: hf.ErrShape, tensors: func(ts []hf.Tensor) []hf.Tensor {
			for i, t := range ts {
				if t.Name == "model.layers.0.self_attn.o_proj.weight_scale" {
					ts[i].Shape, ts[i].Data = []int{2}, append(bytes.Clone(t.Data), t.Data...)
				}
			}
			return ts
		}},
		{name: "llama_missing_lm_head", llama: true, class: hf.ErrMissingTensor, tensors: func(ts []hf.Tensor) []hf.Tensor {
			return slices.DeleteFunc(ts, func(t hf.Tensor) bool { return t.Name == hf.LMHead })
		}},
		{name: "llama_unknown_linear_class", llama: true, class: hf.ErrConfig, config: func(m map[string]any) {
			m["quantization_config"] = map[string]any{"quant_method": "bitnet", "linear_class": "bitlinear158"}
		}},
		{name: "llama_head_dim_mismatch", llama: true, class: hf.ErrShape, config: func(m map[string]any) { m["head_dim"] = 8 }},
		{name: "llama_rope_scaling", llama: true, class: hf.ErrConfig, config: func(m map[string]any) {
			m["rope_scaling"] = map[string]any{"rope_type": "llama3", "factor": 8.0}
		}},
		{name: "llama_attention_bias", llama: true, class: hf.ErrConfig, config: func(m map[string]any) { m["attention_bias"] = true }},
		{name: "llama_mlp_bias", llama: true, class: hf.ErrConfig, config: func(m map[string]any) { m["mlp_bias"] = true }},
		{name: "llama_pretraining_tp", llama: true, class: hf.ErrConfig, config: func(m map[string]any) { m["pretraining_tp"] = 4 }},
		{name: "llama_1bitllm_bitnet_b1_58", llama: true, class: hf.ErrConfig, config: func(m map[string]any) {
			m["architectures"] = []string{"BitnetForCausalLM"}
		}},
	}
}

// setConfig edits one key of a micro model's config.json.
func setConfig(key string, v any) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		editFile(t, filepath.Join(dir, hf.ConfigFile), func(b []byte) []byte {
			var m map[string]any
			must(t, json.Unmarshal(b, &m))
			m[key] = v
			out, err := json.MarshalIndent(m, "", "  ")
			must(t, err)
			return out
		})
	}
}

// The micro model: the smallest shapes the loaders accept, so that the
// corpus stays small.
const (
	microHidden = 16
	microVocab  = 48
	// microTokVocab fits tokenizer/testdata/small_tokenizer.json (268
	// tokens), for the base GGUF, which carries a tokenizer.
	microTokVocab  = 272
	smallTokenizer = "../tokenizer/testdata/small_tokenizer.json"
)

// microConfigFamily is the micro model's config.json, or with llama the micro model of the
// ternary Llama family (as Falcon3-1.58bit's config: LlamaForCausalLM,
// quant_method bitnet with the default linear_class bitlinear), edited by
// edit.
func microConfigFamily(vocab int, llama bool, edit func(m map[string]any)) []byte {
	cfg := map[string]any{
		"architectures":           []string{"BitNetForCausalLM"},
		"model_type":              "bitnet",
		"hidden_act":              "relu2",
		"hidden_size":             microHidden,
		"intermediate_size":       microHidden,
		"num_hidden_layers":       1,
		"num_attention_heads":     1,
		"num_key_value_heads":     1,
		"vocab_size":              vocab,
		"max_position_embeddings": 64,
		"rms_norm_eps":            1e-5,
		"rope_theta":              500000.0,
		"bos_token_id":            vocab - 8,
		"eos_token_id":            vocab - 7,
		"tie_word_embeddings":     true,
		"quantization_config":     map[string]string{"quant_method": "bitnet", "linear_class": "autobitlinear", "quantization_mode": "online"},
	}
	if llama {
		cfg["architectures"], cfg["model_type"], cfg["hidden_act"] = []string{"LlamaForCausalLM"}, "llama", "silu"
		cfg["tie_word_embeddings"], cfg["head_dim"], cfg["rms_norm_eps"] = false, microHidden, 1e-6
		cfg["quantization_config"] = map[string]any{"modules_to_not_convert": []string{"lm_head"}, "quant_method": "bitnet"}
	}
	if edit != nil {
		edit(cfg)
	}
	b, _ := json.MarshalIndent(cfg, "", "  ")
	return b
}

// microTensors returns the micro model's BF16 weights, drawn from a fixed
// seed.
func microTensors(t *testing.T, config []byte) []hf.Tensor {
	cfg, err := hf.ParseConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	specs, err := hf.ExpectedTensors(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 58))
	var ts []hf.Tensor
	for _, s := range specs {
		switch {
		case s.Role == hf.RoleProjection && cfg.Packed():
			codes := make([]int8, s.Out*s.In)
			for i := range codes {
				codes[i] = int8(r.IntN(3)) - 1
			}
			ts = append(ts, hf.Tensor{Name: s.Name, Dtype: "U8", Shape: s.Shape, Data: quant.PackHF(codes, s.Out, s.In)})
			continue
		case s.Role == hf.RoleWeightScale:
			ts = append(ts, hf.Tensor{Name: s.Name, Dtype: "BF16", Shape: s.Shape, Data: hf.AppendBF16(nil, []float32{float32(25 + r.IntN(50))})})
			continue
		}
		n := 1
		for _, d := range s.Shape {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			if s.Role == hf.RoleNorm {
				v[i] = float32(1 + 0.1*r.NormFloat64())
			} else {
				v[i] = float32(0.05 * r.NormFloat64())
			}
		}
		ts = append(ts, hf.Tensor{Name: s.Name, Dtype: "BF16", Shape: s.Shape, Data: hf.AppendBF16(nil, v)})
	}
	return ts
}

// writeMicro writes a micro model directory.
func writeMicro(t *testing.T, dir string, vocab int, edit func([]hf.Tensor) []hf.Tensor) {
	writeMicroFamily(t, dir, vocab, false, nil, edit)
}

// writeMicroFamily writes a micro model directory of either family; the
// tensors are those of the unedited config, the written config is edited.
func writeMicroFamily(t *testing.T, dir string, vocab int, llama bool, editConfig func(map[string]any), edit func([]hf.Tensor) []hf.Tensor) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ts := microTensors(t, microConfigFamily(vocab, llama, nil))
	config := microConfigFamily(vocab, llama, editConfig)
	if edit != nil {
		ts = edit(ts)
	}
	var buf bytes.Buffer
	if err := hf.WriteSafetensors(&buf, ts, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, hf.SingleFile), buf.Bytes())
	writeFile(t, filepath.Join(dir, hf.ConfigFile), config)
}

// makeBase converts the micro model, with the small tokenizer, to GGUF.
func makeBase(t *testing.T) base {
	dir := t.TempDir()
	writeMicro(t, dir, microTokVocab, nil)
	copyFile(t, smallTokenizer, filepath.Join(dir, "tokenizer.json"))
	out := filepath.Join(t.TempDir(), "base.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return parseBase(t, data)
}

func parseBase(t *testing.T, data []byte) base {
	f, err := gguf.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	b := base{data: data, f: f}
	// The tensor infos follow the last key, the header checksum (a
	// STRING of 64 digits).
	kvs := f.KVs()
	if last := kvs[len(kvs)-1].Key; last != integrity.KeyHeader {
		t.Fatalf("last key is %s, want %s", last, integrity.KeyHeader)
	}
	at := valueAt(b, integrity.KeyHeader) + 8 + 64
	le := binary.LittleEndian
	for range f.Tensors() {
		var p infoPos
		p.nameAt = at
		n := le.Uint64(data[at:])
		p.name = string(data[at+8 : at+8+n])
		at += 8 + n
		p.nDims = uint64(le.Uint32(data[at:]))
		p.dimsAt = at + 4
		p.typeAt = p.dimsAt + 8*p.nDims
		p.offsetAt = p.typeAt + 4
		p.offset = le.Uint64(data[p.offsetAt:])
		at = p.offsetAt + 8
		b.infos = append(b.infos, p)
	}
	for i, ti := range f.Tensors() {
		if b.infos[i].name != ti.Name {
			t.Fatalf("tensor info %d: found %q, want %q", i, b.infos[i].name, ti.Name)
		}
	}
	return b
}

func valueAt(b base, key string) uint64 {
	off, ok := b.f.ValueOffset(key)
	if !ok {
		panic("no key " + key)
	}
	return off
}

// rewrite writes the base model again, sealed with fresh checksums, with
// its keys passed through kv and its tensors through tensor (which may drop
// one).
func rewrite(t *testing.T, b base, kv func(gguf.KV) gguf.KV, tensor func(gguf.TensorInfo, []byte) (gguf.TensorInfo, []byte, bool)) []byte {
	return write(t, b, kv, tensor, true)
}

// write is rewrite, with or without checksums.
func write(t *testing.T, b base, kv func(gguf.KV) gguf.KV, tensor func(gguf.TensorInfo, []byte) (gguf.TensorInfo, []byte, bool), seal bool) []byte {
	path := filepath.Join(t.TempDir(), "rewrite.gguf")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	bw := bufio.NewWriter(out)
	w := gguf.NewWriter(bw)
	for _, e := range b.f.KVs() {
		if e.Key == integrity.KeyHeader || e.Key == integrity.KeyTensors {
			continue
		}
		if kv != nil {
			e = kv(e)
		}
		must(t, w.AddKV(e.Key, e.Value))
	}
	type td struct {
		ti   gguf.TensorInfo
		data []byte
	}
	var ts []td
	for _, ti := range b.f.Tensors() {
		d, _ := b.f.TensorData(ti.Name)
		keep := true
		if tensor != nil {
			ti, d, keep = tensor(ti, d)
		}
		if keep {
			ts = append(ts, td{ti, d})
			must(t, w.AddTensor(ti.Name, ti.Type, ti.Dims))
		}
	}
	if seal {
		must(t, integrity.Declare(w, len(ts)))
	}
	must(t, w.WriteHeader())
	var sums [][sha256.Size]byte
	for _, x := range ts {
		must(t, w.WriteTensor(x.ti.Name, x.data))
		sums = append(sums, sha256.Sum256(x.data))
	}
	must(t, w.Finish())
	must(t, bw.Flush())
	if seal {
		must(t, integrity.Seal(out, w, sums))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func generate(t *testing.T) {
	if err := os.RemoveAll(corpusDir); err != nil {
		t.Fatal(err)
	}
	b := makeBase(t)
	for _, c := range ggufCases() {
		writeFile(t, filepath.Join(corpusDir, "gguf", c.name+".gguf"), c.make(t, b))
	}
	for _, c := range hfCases() {
		dir := filepath.Join(corpusDir, "hf", c.name)
		vocab := c.vocab
		if vocab == 0 {
			vocab = microVocab
		}
		writeMicroFamily(t, dir, vocab, c.llama, c.config, c.tensors)
		if c.dir != nil {
			c.dir(t, dir)
		}
	}
}

// TestCorpus runs every GGUF file of the corpus through gguf.Open,
// model.Open, tokenizer.FromGGUF and integrity.Check, and every HF
// directory through convert.Convert, and checks each fails at its stage
// with its class (and that nothing panics, and no output is left).
func TestCorpus(t *testing.T) {
	if *update {
		generate(t)
	}
	checkFiles(t)
	for _, c := range ggufCases() {
		t.Run("gguf/"+c.name, func(t *testing.T) {
			path := filepath.Join(corpusDir, "gguf", c.name+".gguf")
			f, err := gguf.Open(path)
			mo, merr := openModel(t, path)
			if mo != nil {
				defer mo.Close()
			}
			if c.stage == stageParse {
				if err == nil {
					f.Close()
					t.Fatal("parsed")
				}
				if !errors.Is(err, c.class) {
					t.Fatalf("gguf.Open: error %q is not %v", err, c.class)
				}
				if merr == nil || !errors.Is(merr, c.class) {
					t.Fatalf("model.Open: error %v, want one that is %v", merr, c.class)
				}
				return
			}
			if err != nil {
				t.Fatalf("gguf.Open: %v", err)
			}
			defer f.Close()
			if c.stage == stageModel {
				if merr == nil {
					t.Fatal("model.Open succeeded")
				}
				t.Logf("model.Open: %v", merr)
				if c.class != nil { // the tokenizer catches it too
					if _, terr := tokenizer.FromGGUF(f); !errors.Is(terr, c.class) {
						t.Fatalf("tokenizer.FromGGUF: error %v, want %v", terr, c.class)
					}
				}
				return
			}
			if merr != nil {
				t.Fatalf("model.Open: %v", merr)
			}
			_, terr := tokenizer.FromGGUF(f)
			if c.stage == stageTokenizer {
				if !errors.Is(terr, c.class) {
					t.Fatalf("tokenizer.FromGGUF: error %v, want %v", terr, c.class)
				}
				return
			}
			if terr != nil {
				t.Fatalf("tokenizer.FromGGUF: %v", terr)
			}
			probs, err := integrity.Check(f)
			if c.stage == stageNoChecksums {
				if !errors.Is(err, integrity.ErrNoChecksums) {
					t.Fatalf("integrity: %v, %v, want ErrNoChecksums", probs, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.stage == stageOK {
				if len(probs) != 0 {
					t.Fatalf("integrity: %v", probs)
				}
				return
			}
			if len(probs) != 1 || probs[0].Region != c.region {
				t.Fatalf("integrity: %v, want one problem in the %v", probs, c.region)
			}
		})
	}
	for _, c := range hfCases() {
		t.Run("hf/"+c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.gguf")
			_, err := convert.Convert(context.Background(), convert.Options{ModelDir: filepath.Join(corpusDir, "hf", c.name), OutFile: out})
			if c.class == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, c.class) {
				t.Fatalf("convert: error %v, want %v", err, c.class)
			}
			if left, _ := os.ReadDir(filepath.Dir(out)); len(left) != 0 {
				t.Fatalf("left behind: %v", left)
			}
		})
	}
}

// openModel runs model.Open, turning a panic into a test failure that names
// the file.
func openModel(t *testing.T, path string) (m *model.Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("model.Open(%s) panicked: %v", path, r)
		}
	}()
	return model.Open(path, 1)
}

// checkFiles checks that the corpus on disk is exactly the case list and
// within its size budget.
func checkFiles(t *testing.T) {
	var want []string
	for _, c := range ggufCases() {
		want = append(want, "gguf/"+c.name+".gguf")
	}
	for _, c := range hfCases() {
		want = append(want, "hf/"+c.name)
	}
	sort.Strings(want)
	var got []string
	var total int64
	for _, sub := range []string{"gguf", "hf"} {
		entries, err := os.ReadDir(filepath.Join(corpusDir, sub))
		if err != nil {
			t.Fatalf("%v (run go test ./reliability -update)", err)
		}
		for _, e := range entries {
			got = append(got, sub+"/"+e.Name())
		}
	}
	filepath.Walk(corpusDir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Fatalf("testdata/bad holds\n  %s\nwant\n  %s\n(run go test ./reliability -update)", strings.Join(got, " "), strings.Join(want, " "))
	}
	if total > maxCorpus {
		t.Errorf("corpus is %d bytes, budget %d", total, maxCorpus)
	}
	t.Logf("corpus: %d entries, %d bytes", len(got), total)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(t, os.WriteFile(path, b, 0o644))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	must(t, err)
	writeFile(t, to, b)
}

func editFile(t *testing.T, path string, f func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	writeFile(t, path, f(b))
}
