package convert

import (
	"context"
	"encoding/binary"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// ownTypes are the projection types of bitnet-go's own: how to size and
// unpack their rows, and the keys their files carry.
var ownTypes = []struct {
	outType  string
	typ      gguf.Type
	padded   func(cols int) int
	rowBytes func(k int) int
	unpack   func(dst []int8, packed []byte, rows, cols int) error
	keys     map[string]any
}{
	{"t5_s", gguf.TypeT5_S, quant.T5SPaddedCols, func(k int) int { return k / 5 }, quant.UnpackT5S,
		map[string]any{KeyT5SVersion: uint32(T5SVersion), KeyT5SBlockSize: uint32(160), "general.file_type": uint32(FileTypeT5S)}},
	{"t3_s", gguf.TypeT3_S, quant.T3SPaddedCols, quant.T3SRowBytes, quant.UnpackT3S,
		map[string]any{KeyT3SVersion: uint32(T3SVersion), KeyT3SGroupSize: uint32(96), "general.file_type": uint32(FileTypeT3S)}},
}

// TestConvertOwnTypesCodesMatchReference converts each bundled checkpoint
// with --outtype t5_s and t3_s and checks every ternary code of every
// projection exactly against the reference's expected ternarization (rows
// unpadded with quant.UnpackT5S / UnpackT3S), the byte size, and that each
// scale equals the I2_S file's bit for bit.
func TestConvertOwnTypesCodesMatchReference(t *testing.T) {
	for _, own := range ownTypes {
		for _, model := range []string{"tiny_a", "tiny_b", "tiny_llama_a", "tiny_llama_b"} {
			t.Run(own.outType+"/"+model, func(t *testing.T) {
				dir := filepath.Join(goldenDir, "models", model)
				cfg, err := hf.ReadConfig(dir)
				if err != nil {
					t.Fatal(err)
				}
				fam, err := cfg.Family()
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(t.TempDir(), own.outType+".gguf")
				var warnings []string
				if _, err := Convert(context.Background(), Options{ModelDir: dir, OutFile: out, OutType: own.outType, Warn: func(m string) { warnings = append(warnings, m) }}); err != nil {
					t.Fatal(err)
				}
				if w := strings.Join(warnings, "\n"); !strings.Contains(w, "bitnet.cpp and llama.cpp cannot load") {
					t.Errorf("warnings %q lack the %s one", warnings, own.typ)
				}
				f, err := gguf.Open(out)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				i2s, err := gguf.Open(convertTo(t, dir, quant.LayoutX86))
				if err != nil {
					t.Fatal(err)
				}
				defer i2s.Close()
				want := expectedCodes(t, model)
				checked := 0
				for _, s := range fam.Expand(cfg.Dims()) {
					if s.Role != arch.RoleProjection {
						continue
					}
					codes, ci, err := want.Raw(strings.TrimSuffix(s.HFName, ".weight") + ".ternary")
					if err != nil {
						t.Fatal(err)
					}
					rows, cols := ci.Shape[0], ci.Shape[1]
					info, ok := f.Tensor(s.GGUFName)
					k := own.padded(cols)
					if !ok || info.Type != own.typ || len(info.Dims) != 2 || info.Dims[0] != uint64(k) || info.Dims[1] != uint64(rows) {
						t.Fatalf("%s: %+v, want %s {%d, %d}", s.GGUFName, info, own.typ, k, rows)
					}
					n := rows * own.rowBytes(k)
					data, err := f.TensorData(s.GGUFName)
					if err != nil {
						t.Fatal(err)
					}
					if len(data) != n+32 {
						t.Fatalf("%s: %d bytes, want %d", s.GGUFName, len(data), n+32)
					}
					got := make([]int8, rows*cols)
					if err := own.unpack(got, data, rows, cols); err != nil {
						t.Fatal(err)
					}
					if s.Heads > 0 {
						hfOrder := make([]int8, len(got))
						for dst, src := range arch.PermuteRows(rows, s.Heads) {
							copy(hfOrder[src*cols:(src+1)*cols], got[dst*cols:(dst+1)*cols])
						}
						got = hfOrder
					}
					for i, c := range codes {
						if got[i] != int8(c) {
							t.Fatalf("%s: code %d = %d, want %d", s.GGUFName, i, got[i], int8(c))
						}
					}
					other, err := i2s.TensorData(s.GGUFName)
					if err != nil {
						t.Fatal(err)
					}
					scale := binary.LittleEndian.Uint32(data[n:])
					if wantScale := binary.LittleEndian.Uint32(other[len(other)-32:]); scale != wantScale {
						t.Fatalf("%s: scale %v, I2_S has %v", s.GGUFName, math.Float32frombits(scale), math.Float32frombits(wantScale))
					}
					checked++
				}
				if checked != 7*cfg.NumHiddenLayers {
					t.Fatalf("checked %d projections, want %d", checked, 7*cfg.NumHiddenLayers)
				}
				for key, wantV := range own.keys {
					v, ok := f.Get(key)
					if !ok || v.Interface() != wantV {
						t.Errorf("%s = %v, want %v", key, v, wantV)
					}
				}
				for _, key := range []string{KeyLayout, KeyBlockSize, KeyPadded} {
					if _, ok := f.Get(key); ok {
						t.Errorf("%s file has the I2_S key %s", own.typ, key)
					}
				}
			})
		}
	}
}

func TestConvertOutTypeErrors(t *testing.T) {
	dir := filepath.Join(goldenDir, "models", "tiny_a")
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{OutType: "tq1_0"}, `unsupported --outtype "tq1_0" (supported: i2_s, t5_s, t3_s)`},
		{Options{OutType: "t3_s", Layout: quant.LayoutARM}, "--layout arm applies to --outtype i2_s only: T3_S has one layout"},
		{Options{OutType: "t5_s", Layout: quant.LayoutARM}, "--layout arm applies to --outtype i2_s only"},
	} {
		tc.opts.ModelDir, tc.opts.OutFile = dir, filepath.Join(t.TempDir(), "x.gguf")
		if _, err := Convert(context.Background(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want %q", tc.opts, err, tc.want)
		}
	}
	// The default output name follows the type.
	res, err := Convert(context.Background(), Options{ModelDir: dir, OutType: "t5_s", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(res.OutFile) != "ggml-model-t5_s.gguf" {
		t.Errorf("default output %s", res.OutFile)
	}
	if plan := FormatPlan(res.Items); !strings.Contains(plan, "-> T5_S") || !strings.Contains(plan, "rows padded to 320") {
		t.Errorf("plan lacks T5_S projections padded to 320:\n%s", plan)
	}
}
