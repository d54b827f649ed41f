package model

import (
	"bytes"
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/quant"
)

// ownFormats are bitnet-go's own ternary types: --outtype, Format and
// padded in-dimension.
var ownFormats = []struct {
	outType string
	format  Format
	padded  func(int) int
}{{"t5_s", FormatT5S, quant.T5SPaddedCols}, {"t3_s", FormatT3S, quant.T3SPaddedCols}}

// TestOwnLayoutsMatchI2S converts every bundled checkpoint (both families; rows
// padded in several) to I2_S, to T5_S and to T3_S and checks for each, on every kernel path
// this machine runs, that the two files give the same logits bit for bit,
// for a whole prefill (MatMat) and for token-by-token decoding (MatVec):
// the layouts hold the same ternary values and the kernels' integer
// products are exact.
func TestOwnLayoutsMatchI2S(t *testing.T) {
	for _, own := range ownFormats {
		for _, name := range []string{"tiny_a", "tiny_b", "tiny_llama_a", "tiny_llama_b"} {
			dir := t.TempDir()
			open := func(outType string) *Model {
				out := filepath.Join(dir, outType+".gguf")
				var warnings []string
				_, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/" + name, OutFile: out, OutType: outType,
					Warn: func(msg string) { warnings = append(warnings, msg) }})
				if err != nil {
					t.Fatal(err)
				}
				warned := strings.Contains(strings.Join(warnings, "\n"), "cannot load")
				if outType != "i2_s" && !warned {
					t.Errorf("%s: converting to %s warned %q, want a warning that bitnet.cpp cannot load it", name, outType, warnings)
				}
				m, err := Open(out, 2)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { m.Close() })
				return m
			}
			i2s, t5s := open("i2_s"), open(own.outType)
			for i := range t5s.W.Layers {
				for j, l := range t5s.W.Layers[i].linears() {
					if l.Format != own.format || l.K != own.padded(l.Cols) || len(l.Packed) != l.Rows*l.Format.rowBytes(l.K) {
						t.Fatalf("%s layer %d projection %d: format %s, K %d for %d columns, %d bytes", name, i, j, l.Format, l.K, l.Cols, len(l.Packed))
					}
					if i2 := i2s.W.Layers[i].linears()[j]; i2.Format != FormatI2S || i2.Scale != l.Scale {
						t.Fatalf("%s layer %d projection %d: I2_S format %s scale %v, %s scale %v", name, i, j, i2.Format, i2.Scale, own.format, l.Scale)
					}
				}
			}
			files, _ := filepath.Glob(filepath.Join("..", "golden", "logits", name, "*_float32.safetensors"))
			if len(files) == 0 {
				t.Fatalf("no goldens for %s", name)
			}
			for _, path := range kernel.Paths() {
				restore, err := kernel.Use(path)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					ids := readGolden(t, f).ids
					label := own.outType + " " + name + " " + filepath.Base(f) + " on " + path
					// Prefill: every position's logits.
					a := logitsOf(t, i2s, ids, true)
					b := logitsOf(t, t5s, ids, true)
					sameBits(t, label+" prefill", a, b)
					// Decoding one token at a time.
					sa, sb := mustState(t, i2s, 0), mustState(t, t5s, 0)
					for p, id := range ids {
						la, err := i2s.Forward(sa, []int{id}, false)
						if err != nil {
							t.Fatal(err)
						}
						la = append([]float32(nil), la...)
						lb, err := t5s.Forward(sb, []int{id}, false)
						if err != nil {
							t.Fatal(err)
						}
						if !sameBits(t, label+" decode", la, lb) {
							t.Fatalf("%s: decode position %d differs", label, p)
						}
					}
					sa.Close()
					sb.Close()
				}
				restore()
			}
		}
	}
}

func logitsOf(t *testing.T, m *Model, ids []int, all bool) []float32 {
	t.Helper()
	s := mustState(t, m, 0)
	defer s.Close()
	l, err := m.Forward(s, ids, all)
	if err != nil {
		t.Fatal(err)
	}
	return append([]float32(nil), l...)
}

// sameBits reports whether a and b are equal bit for bit, failing t if not.
func sameBits(t *testing.T, label string, a, b []float32) bool {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%s: %d logits vs %d", label, len(a), len(b))
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Errorf("%s: logit %d is %v with I2_S, %v with the other file", label, i, a[i], b[i])
			return false
		}
	}
	return true
}

// TestT5SFileMetadata: a T5_S file says what it holds, its projections are
// type 5005, and a file whose T5_S version key is missing or unknown is
// refused with an error naming the key.
func TestT5SFileMetadata(t *testing.T) {
	out := filepath.Join(t.TempDir(), "t5s.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_b", OutFile: out, OutType: "t5_s"}); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.Uint32(convert.KeyT5SVersion); v != convert.T5SVersion {
		t.Errorf("%s = %d", convert.KeyT5SVersion, v)
	}
	if _, ok := f.Get(convert.KeyLayout); ok {
		t.Errorf("T5_S file carries %s", convert.KeyLayout)
	}
	info, ok := f.Tensor("blk.0.ffn_down.weight")
	if !ok || info.Type != gguf.TypeT5_S || info.Type.String() != "T5_S" {
		t.Fatalf("ffn_down: %+v", info)
	}
	if _, err := LoadWeights(f); err != nil {
		t.Fatal(err)
	}
	// The loader's check of the version key.
	l := loader{f: &gguf.File{}}
	if _, err := l.linearOwn("blk.0.attn_q.weight", 256, 256, FormatT5S, gguf.TypeT5_S, keyT5SVersion, t5sVersion, 320); err == nil || !strings.Contains(err.Error(), convert.KeyT5SVersion) {
		t.Errorf("no version key: %v", err)
	}
}

// TestLoaderProjectionTypes: a projection of another type is refused naming
// the accepted ones; a T5_S tensor needs the version key, version 1, and the
// padded dims.
func TestLoaderProjectionTypes(t *testing.T) {
	build := func(typ gguf.Type, dims []uint64, version ...gguf.Value) *gguf.File {
		key := keyT5SVersion
		if typ == gguf.TypeT3_S {
			key = keyT3SVersion
		}
		var buf bytes.Buffer
		w := gguf.NewWriter(&buf)
		must(t, w.AddKV(gguf.KeyArchitecture, gguf.String("test")))
		for _, v := range version {
			must(t, w.AddKV(key, v))
		}
		must(t, w.AddTensor("p", typ, dims))
		must(t, w.WriteHeader())
		n := uint64(1)
		for _, d := range dims {
			n *= d
		}
		size, err := typ.Size(n)
		must(t, err)
		must(t, w.WriteTensor("p", make([]byte, size)))
		must(t, w.Finish())
		f, err := gguf.FromBytes("test.gguf", buf.Bytes(), func() error { return nil })
		must(t, err)
		return f
	}
	for _, tc := range []struct {
		name    string
		f       *gguf.File
		want    string
		wantErr bool
	}{
		{"F16", build(gguf.TypeF16, []uint64{256, 4}), "tensor p has type F16, want I2_S, T5_S or T3_S", true},
		{"T3_S without version", build(gguf.TypeT3_S, []uint64{288, 4}), "no bitnet-go.t3s.version key", true},
		{"T3_S version 2", build(gguf.TypeT3_S, []uint64{288, 4}, gguf.Uint32(2)), "reads T3_S layout 1 only", true},
		{"T3_S unpadded", build(gguf.TypeT3_S, []uint64{192, 4}, gguf.Uint32(1)), "want {288 (256 padded to the T3_S block), 4}", true},
		{"T5_S without version", build(gguf.TypeT5_S, []uint64{320, 4}), "no bitnet-go.t5s.version key", true},
		{"T5_S version 2", build(gguf.TypeT5_S, []uint64{320, 4}, gguf.Uint32(2)), "reads T5_S layout 1 only", true},
		{"T5_S unpadded", build(gguf.TypeT5_S, []uint64{160, 4}, gguf.Uint32(1)), "want {320 (256 padded to the T5_S block), 4}", true},
		{"T5_S", build(gguf.TypeT5_S, []uint64{320, 4}, gguf.Uint32(1)), "", false},
	} {
		l := loader{f: tc.f}
		lin, err := l.linear("p", 4, 256)
		switch {
		case tc.wantErr && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
		case !tc.wantErr && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.wantErr && (lin.Format != FormatT5S || lin.K != 320 || len(lin.Packed) != 4*64):
			t.Errorf("%s: %+v", tc.name, lin)
		}
	}
}

// TestT5SWithQ6_KHead: the fewest-bytes file (T5_S projections, Q6_K head)
// computes the same logits bit for bit as I2_S with the same Q6_K head, on
// every path: the head type and the ternary layout are independent.
func TestT5SWithQ6_KHead(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_llama_a"} { // hidden 256: Q6_K fits
		dir := t.TempDir()
		open := func(outType string) *Model {
			out := filepath.Join(dir, outType+".gguf")
			if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/" + name, OutFile: out, OutType: outType, EmbedType: "q6_k"}); err != nil {
				t.Fatal(err)
			}
			m, err := Open(out, 2)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			if m.W.Head().Type != TableQ6_K {
				t.Fatalf("%s %s: the file's LM head is not Q6_K", name, outType)
			}
			return m
		}
		i2s, t5s := open("i2_s"), open("t5_s")
		files, _ := filepath.Glob(filepath.Join("..", "golden", "logits", name, "*_float32.safetensors"))
		if len(files) == 0 {
			t.Fatalf("no goldens for %s", name)
		}
		for _, path := range kernel.Paths() {
			restore, err := kernel.Use(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				ids := readGolden(t, f).ids
				sameBits(t, name+" "+filepath.Base(f)+" on "+path, logitsOf(t, i2s, ids, true), logitsOf(t, t5s, ids, true))
			}
			restore()
		}
	}
}
