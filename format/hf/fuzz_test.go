package hf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nlpodyssey/safetensors"
)

// headerPrefix returns the 8-byte length and JSON header of a bundled file
// (without its data, so it parses as truncated): a realistic, small seed.
func headerPrefix(f *testing.F, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(b)
	return b[:8+n]
}

// shrunk rewrites a bundled file's header with every dimension set to 1,
// so the seed is valid, realistic and small.
func shrunk(f *testing.F, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	h, err := parseHeader(b, int64(len(b)))
	if err != nil {
		f.Fatal(err)
	}
	var ts []Tensor
	for _, r := range h.tensors {
		shape := make([]int, len(r.shape))
		for i := range shape {
			shape[i] = 1
		}
		ts = append(ts, Tensor{Name: r.name, Dtype: r.dtype, Shape: shape, Data: make([]byte, dtypeSizes[r.dtype])})
	}
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, ts, h.metadata); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzParseSafetensorsHeader parses arbitrary files: no panic, accepted
// headers satisfy the invariants, and the verdict and contents agree with
// nlpodyssey/safetensors except where this parser is deliberately stricter.
func FuzzParseSafetensorsHeader(f *testing.F) {
	for _, p := range []string{
		filepath.Join(goldenModel("tiny_a"), SingleFile),
		filepath.Join(goldenModel("tiny_b"), "model-00001-of-00002.safetensors"),
		filepath.Join(goldenModel("tiny_b"), "model-00002-of-00002.safetensors"),
	} {
		f.Add(headerPrefix(f, p))
		f.Add(shrunk(f, p))
	}
	var buf bytes.Buffer
	WriteSafetensors(&buf, []Tensor{
		{Name: "a", Dtype: "BF16", Shape: []int{2, 1}, Data: []byte{1, 2, 3, 4}},
		{Name: "b", Dtype: "U8", Shape: []int{0, 3}},
		{Name: "c", Dtype: "I64", Shape: []int{}, Data: make([]byte, 8)},
	}, map[string]string{"k": "v"})
	f.Add(buf.Bytes())
	f.Add(rawSafetensors(`{"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}`, []byte{0, 0}))
	f.Add(rawSafetensors(`{"__metadata__":null}`, nil))
	f.Add(rawSafetensors(`{"w":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":1}}`, []byte{0, 0}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := parseHeader(data, int64(len(data)))
		_, md, theirErr := safetensors.ReadMetadata(data)
		if err != nil {
			if theirErr == nil && !deliberatelyStricter(err) {
				t.Fatalf("we reject what nlpodyssey accepts: %v", err)
			}
			return
		}
		if theirErr != nil && !strings.Contains(theirErr.Error(), "invalid keys") {
			t.Fatalf("we accept what nlpodyssey rejects: %v", theirErr)
		}
		pos := int64(0)
		names := map[string]bool{}
		for _, r := range h.tensors {
			if names[r.name] {
				t.Fatalf("duplicate %q", r.name)
			}
			names[r.name] = true
			n, ok := numElements(r.shape)
			if !ok || r.begin != pos || uint64(r.end-r.begin) != n*uint64(dtypeSizes[r.dtype]) {
				t.Fatalf("bad record %+v", r)
			}
			pos = r.end
		}
		if h.dataStart+pos != int64(len(data)) {
			t.Fatalf("tensors end at %d, file is %d bytes", h.dataStart+pos, len(data))
		}
		for _, r := range h.tensors {
			checkDecode(t, r, data[h.dataStart+r.begin:h.dataStart+r.end])
		}
		if theirErr != nil {
			return
		}
		theirs := md.Tensors()
		if len(theirs) != len(h.tensors) {
			t.Fatalf("%d tensors, nlpodyssey sees %d", len(h.tensors), len(theirs))
		}
		for _, r := range h.tensors {
			ti, ok := theirs[r.name]
			if !ok || ti.DType.String() != r.dtype || ti.DataOffsets != [2]uint64{uint64(r.begin), uint64(r.end)} || len(ti.Shape) != len(r.shape) {
				t.Fatalf("%q differs from nlpodyssey: %+v vs %+v", r.name, r, ti)
			}
			for i, d := range ti.Shape {
				if d != uint64(r.shape[i]) {
					t.Fatalf("%q shape differs: %v vs %v", r.name, r.shape, ti.Shape)
				}
			}
		}
	})
}

// deliberatelyStricter lists the checks nlpodyssey/safetensors lacks.
func deliberatelyStricter(err error) bool {
	for _, s := range []string{"duplicate key", "not valid UTF-8", "exceeds the cap", "empty tensor name"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

// FuzzParseConfig: no panic; an accepted config is valid and, when small,
// yields a tensor list whose every shape is positive.
func FuzzParseConfig(f *testing.F) {
	for _, m := range []string{"tiny_a", "tiny_b"} {
		b, err := os.ReadFile(filepath.Join(goldenModel(m), ConfigFile))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, mode := range []string{"", "online", "offline"} {
		f.Add([]byte(mustJSON(synthConfig(mode))))
	}
	f.Add([]byte(`{"architectures":["BitnetForCausalLM"],"hidden_size":64,"intermediate_size":8,"num_hidden_layers":1,` +
		`"num_attention_heads":2,"head_dim":32,"num_key_value_heads":null,"vocab_size":10,"bos_token_id":null,"eos_token_id":[1,2]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseConfig accepted an invalid config: %v", err)
		}
		if c.NumAttentionHeads*c.HeadDim != c.HiddenSize || c.NumAttentionHeads%c.NumKeyValueHeads != 0 || c.HeadDim%2 != 0 {
			t.Fatalf("invariants broken: %+v", c)
		}
		if c.NumHiddenLayers > 64 {
			return
		}
		specs, err := ExpectedTensors(c)
		if err != nil {
			if c.Packed() && strings.Contains(err.Error(), "multiple of 4") {
				return
			}
			t.Fatal(err)
		}
		for _, s := range specs {
			for _, d := range s.Shape {
				if d <= 0 {
					t.Fatalf("%s has shape %v", s.Name, s.Shape)
				}
			}
		}
	})
}

// FuzzParseIndex: no panic; an accepted index names only plain shard files.
func FuzzParseIndex(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(goldenModel("tiny_b"), IndexFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"weight_map":{"a":"x.safetensors","b":"../y.safetensors"}}`))
	f.Add([]byte(`{"metadata":{"total_size":1.5e3},"weight_map":{"a":"x.safetensors"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ParseIndex(data)
		if err != nil {
			return
		}
		if len(ix.WeightMap) == 0 {
			t.Fatal("empty weight map accepted")
		}
		shards := ix.Shards()
		if !slices.IsSorted(shards) || !sort.StringsAreSorted(shards) {
			t.Fatal("shards not sorted")
		}
		for name, s := range ix.WeightMap {
			if name == "" || checkShardName(s) != nil || strings.ContainsAny(s, `/\`) || s == ".." {
				t.Fatalf("accepted %q → %q", name, s)
			}
		}
	})
}

// checkDecode compares decodeFloat32 with a one-value-at-a-time reference.
func checkDecode(t *testing.T, r tensorRec, raw []byte) {
	size := dtypeSizes[r.dtype]
	n := len(raw) / size
	dst := make([]float32, n)
	err := decodeFloat32(r.name, r.dtype, r.shape, raw, dst)
	if r.dtype != "BF16" && r.dtype != "F16" && r.dtype != "F32" {
		if err == nil {
			t.Fatalf("%s decoded", r.dtype)
		}
		return
	}
	first := -1
	for i := 0; i < n && first < 0; i++ {
		var v float32
		switch r.dtype {
		case "BF16":
			v = Float32FromBF16(binary.LittleEndian.Uint16(raw[2*i:]))
		case "F16":
			v = Float32FromF16(binary.LittleEndian.Uint16(raw[2*i:]))
		case "F32":
			v = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			first = i
		} else if math.Float32bits(dst[i]) != math.Float32bits(v) {
			t.Fatalf("%s[%d] = %v, want %v", r.dtype, i, dst[i], v)
		}
	}
	if (first >= 0) != (err != nil) || first >= 0 && !strings.Contains(err.Error(), fmt.Sprintf("element %d ", first)) {
		t.Fatalf("first non-finite %d, error %v", first, err)
	}
}
