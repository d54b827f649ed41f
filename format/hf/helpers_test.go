package hf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func goldenModel(name string) string {
	return filepath.Join("..", "..", "golden", "models", name)
}

// copyModel copies the bundled model name into a fresh temporary directory.
func copyModel(t testing.TB, name string) string {
	t.Helper()
	src := goldenModel(name)
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// editJSON rewrites the JSON object in path through edit.
func editJSON(t testing.TB, path string, edit func(m map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readTensors decodes every tensor of the safetensors file at path, in
// offset order, with copies of their data.
func readTensors(t testing.TB, path string) ([]Tensor, map[string]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := parseHeader(b, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []Tensor
	for _, r := range h.tensors {
		data := bytes.Clone(b[h.dataStart+r.begin : h.dataStart+r.end])
		out = append(out, Tensor{Name: r.name, Dtype: r.dtype, Shape: r.shape, Data: data})
	}
	return out, h.metadata
}

// rewriteTensors rewrites the safetensors file at path through edit.
func rewriteTensors(t testing.TB, path string, edit func([]Tensor) []Tensor) {
	t.Helper()
	ts, md := readTensors(t, path)
	ts = edit(ts)
	writeFile(t, path, ts, md)
}

func writeFile(t testing.TB, path string, ts []Tensor, md map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, ts, md); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func findTensor(t testing.TB, ts []Tensor, name string) *Tensor {
	t.Helper()
	for i := range ts {
		if ts[i].Name == name {
			return &ts[i]
		}
	}
	t.Fatalf("no tensor %q", name)
	return nil
}

// rawSafetensors assembles a safetensors file from a header written by
// hand in code (for dtypes the writer refuses) and a data region.
func rawSafetensors(header string, data []byte) []byte {
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	out = append(out, header...)
	return append(out, data...)
}

// synthConfig is a small valid config as a JSON-ready map.
func synthConfig(mode string) map[string]any {
	m := map[string]any{
		"architectures":           []string{"BitnetForCausalLM"},
		"model_type":              "bitnet",
		"hidden_size":             64,
		"intermediate_size":       96,
		"num_hidden_layers":       2,
		"num_attention_heads":     4,
		"num_key_value_heads":     2,
		"vocab_size":              50,
		"max_position_embeddings": 128,
		"rms_norm_eps":            1e-5,
		"rope_theta":              500000.0,
		"hidden_act":              "relu2",
		"tie_word_embeddings":     true,
		"bos_token_id":            1,
		"eos_token_id":            []int{2, 3},
	}
	if mode != "" {
		m["quantization_config"] = map[string]any{"quant_method": "bitnet", "linear_class": "autobitlinear", "quantization_mode": mode}
	}
	return m
}

// writeSynthetic writes a model directory for cfg: config.json and its
// tensors (random BF16, or packed U8 codes with BF16 scales), in nShards
// files (with an index when nShards > 1).
func writeSynthetic(t testing.TB, dir string, cfgMap map[string]any, nShards int) *Config {
	t.Helper()
	cj, err := json.Marshal(cfgMap)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(cj)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), cj, 0o644); err != nil {
		t.Fatal(err)
	}
	specs, err := ExpectedTensors(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	shards := make([][]TensorSource, nShards)
	weightMap := map[string]string{}
	for i, s := range specs {
		s := s
		k := i * nShards / len(specs)
		name := SingleFile
		if nShards > 1 {
			name = fmt.Sprintf("model-%05d-of-%05d.safetensors", k+1, nShards)
		}
		weightMap[s.Name] = name
		dtype := s.Dtypes[0]
		seed := rng.Uint64()
		shards[k] = append(shards[k], TensorSource{Name: s.Name, Dtype: dtype, Shape: s.Shape, Write: func(w io.Writer) error {
			r := rand.New(rand.NewPCG(seed, 0))
			n := 1
			for _, d := range s.Shape {
				n *= d
			}
			var b []byte
			switch dtype {
			case "U8":
				for range n {
					var v byte
					for j := range 4 {
						v |= byte(r.IntN(3)) << (2 * j)
					}
					b = append(b, v)
				}
			default:
				f := make([]float32, n)
				for j := range f {
					f[j] = float32(r.NormFloat64() * 0.02)
				}
				if s.Role == RoleWeightScale {
					f[0] = 0.0125
				}
				b = AppendBF16(nil, f)
			}
			_, err := w.Write(b)
			return err
		}})
	}
	for k, srcs := range shards {
		name := SingleFile
		if nShards > 1 {
			name = fmt.Sprintf("model-%05d-of-%05d.safetensors", k+1, nShards)
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteSafetensorsStream(f, srcs, map[string]string{"format": "pt"}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if nShards > 1 {
		f, err := os.Create(filepath.Join(dir, IndexFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteIndex(f, weightMap, 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return cfg
}

// loadAll runs everything a converter does with a model directory: config,
// open, shape check and Float32 of every float tensor.
func loadAll(dir string) error {
	cfg, err := ReadConfig(dir)
	if err != nil {
		return err
	}
	ck, err := Open(dir)
	if err != nil {
		return err
	}
	defer ck.Close()
	if err := ck.CheckShapes(cfg); err != nil {
		return err
	}
	var buf []float32
	for _, name := range ck.Names() {
		info, _ := ck.Info(name)
		if info.Dtype == "U8" {
			continue
		}
		if buf, err = ck.Float32(name, buf); err != nil {
			return err
		}
	}
	return nil
}
