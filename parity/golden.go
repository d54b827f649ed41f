package parity

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nlpodyssey/safetensors"

	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/internal/atomicfile"
	"github.com/bitnet-go/bitnet/internal/regfile"
)

// MaxGoldenSize caps a golden file read into memory.
const MaxGoldenSize = 4 << 30

// Golden is one reference run: prompt ids, logits for every position, and
// optionally the residual stream after each decoder layer.
type Golden struct {
	Path   string
	IDs    []int
	Logits []float32 // [len(IDs)][Vocab]
	Vocab  int
	Hidden map[int][]float32 // layer → [len(IDs)][hidden]
	Meta   map[string]string
}

// ComputeDtype is the golden's compute_dtype metadata ("float32",
// "bfloat16"), "float32" when absent.
func (g *Golden) ComputeDtype() string {
	if d := g.Meta["compute_dtype"]; d != "" {
		return d
	}
	return "float32"
}

// ReadGolden reads a golden safetensors file (format of golden/README.md):
// a regular file of at most MaxGoldenSize bytes.
func ReadGolden(path string) (*Golden, error) {
	data, err := regfile.ReadFile(path, MaxGoldenSize)
	if err != nil {
		return nil, err
	}
	g, err := parseGolden(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	g.Path = path
	return g, nil
}

func parseGolden(data []byte) (*Golden, error) {
	st, err := safetensors.Deserialize(data)
	if err != nil {
		return nil, fmt.Errorf("not a safetensors file: %w", err)
	}
	_, md, err := safetensors.ReadMetadata(data)
	if err != nil {
		return nil, err
	}
	g := &Golden{Hidden: map[int][]float32{}, Meta: md.Metadata()}
	ids, ok := st.Tensor("input_ids")
	if !ok || len(ids.Shape()) != 1 {
		return nil, fmt.Errorf("no 1-D input_ids tensor")
	}
	switch ids.DType() {
	case safetensors.I32:
		for i := 0; i < int(ids.Shape()[0]); i++ {
			g.IDs = append(g.IDs, int(int32(binary.LittleEndian.Uint32(ids.Data()[4*i:]))))
		}
	case safetensors.I64:
		for i := 0; i < int(ids.Shape()[0]); i++ {
			g.IDs = append(g.IDs, int(int64(binary.LittleEndian.Uint64(ids.Data()[8*i:]))))
		}
	default:
		return nil, fmt.Errorf("input_ids has dtype %s, want I32 or I64", ids.DType())
	}
	T := len(g.IDs)
	if T == 0 {
		return nil, fmt.Errorf("input_ids is empty")
	}
	logits, ok := st.Tensor("logits")
	if !ok || logits.DType() != safetensors.F32 || len(logits.Shape()) != 2 || int(logits.Shape()[0]) != T {
		return nil, fmt.Errorf("want an F32 logits tensor of shape [%d, vocab]", T)
	}
	g.Vocab = int(logits.Shape()[1])
	if g.Vocab == 0 {
		return nil, fmt.Errorf("logits has no columns")
	}
	g.Logits = f32s(logits.Data())
	if err := checkFinite("tensor logits", g.Logits, g.Vocab); err != nil {
		return nil, err
	}
	for _, name := range st.Names() {
		n, ok := strings.CutPrefix(name, "hidden.")
		if !ok {
			continue
		}
		layer, err := strconv.Atoi(n)
		v, _ := st.Tensor(name)
		if err != nil || layer < 0 || v.DType() != safetensors.F32 || len(v.Shape()) != 2 || int(v.Shape()[0]) != T {
			return nil, fmt.Errorf("tensor %s: want F32 [%d, hidden] with a layer number", name, T)
		}
		h := f32s(v.Data())
		if len(h) == 0 {
			return nil, fmt.Errorf("tensor %s is empty", name)
		}
		if err := checkFinite("tensor "+name, h, len(h)/T); err != nil {
			return nil, err
		}
		g.Hidden[layer] = h
	}
	return g, nil
}

// checkFinite reports the first NaN or infinity of x, laid out
// [positions][width], naming what and where: every golden value must be
// finite, or the metrics computed from it are meaningless.
func checkFinite(what string, x []float32, width int) error {
	for i, v := range x {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%s: the value at position %d, index %d is %v (every value must be finite)", what, i/width, i%width, f)
		}
	}
	return nil
}

func f32s(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// WriteGolden writes ids, logits and hidden states in the golden format, so
// our outputs can be diffed with the reference's by any safetensors reader.
func WriteGolden(path string, g *Golden, overwrite bool) error {
	T := len(g.IDs)
	idBytes := make([]byte, 0, 4*T)
	for _, id := range g.IDs {
		idBytes = binary.LittleEndian.AppendUint32(idBytes, uint32(int32(id)))
	}
	tensors := []hf.Tensor{
		{Name: "input_ids", Dtype: "I32", Shape: []int{T}, Data: idBytes},
		{Name: "logits", Dtype: "F32", Shape: []int{T, g.Vocab}, Data: hf.AppendF32(nil, g.Logits)},
	}
	for l, h := range g.Hidden {
		tensors = append(tensors, hf.Tensor{Name: fmt.Sprintf("hidden.%d", l), Dtype: "F32", Shape: []int{T, len(h) / T}, Data: hf.AppendF32(nil, h)})
	}
	f, err := atomicfile.Create(path, overwrite)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := hf.WriteSafetensors(f, tensors, g.Meta); err != nil {
		return err
	}
	return f.Commit()
}
