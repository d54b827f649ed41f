package convert

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/x448/float16"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// buffers are reused from tensor to tensor, so peak memory is about one
// projection's worth.
type buffers struct {
	f32    []float32
	codes  []int8
	packed []byte
	out    []byte
	tmp    []int8
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// writeTensor produces it's output bytes into w.
func writeTensor(w io.Writer, ckpt *hf.Checkpoint, it *Item, buf *buffers) error {
	switch it.Role {
	case hf.RoleEmbedding, hf.RoleOutput:
		return writeEmbedding(w, ckpt, it, buf)
	case hf.RoleNorm:
		v, err := ckpt.Float32(it.Source, buf.f32)
		if err != nil {
			return err
		}
		buf.f32 = v
		buf.out = buf.out[:0]
		for _, x := range v {
			buf.out = binary.LittleEndian.AppendUint32(buf.out, math.Float32bits(x))
		}
		_, err = w.Write(buf.out)
		return err
	default:
		return writeProjection(w, ckpt, it, buf)
	}
}

// embedChunkRows bounds how many embedding rows are widened at once.
const embedChunkRows = 2048

// writeEmbedding converts the token embedding or the untied LM head to F16
// (or Q8_0, or Q6_K) a chunk of rows at a time (the 2B4T embedding alone is 1.3 GB
// as float32). A value beyond F16's range is an error rather than a silent
// infinity.
func writeEmbedding(w io.Writer, ckpt *hf.Checkpoint, it *Item, buf *buffers) error {
	raw, info, err := ckpt.Raw(it.Source)
	if err != nil {
		return err
	}
	defer ckpt.Release(it.Source)
	rows, cols := info.Shape[0], info.Shape[1]
	esize := len(raw) / (rows * cols)
	for r0 := 0; r0 < rows; r0 += embedChunkRows {
		r1 := min(r0+embedChunkRows, rows)
		chunk := raw[r0*cols*esize : r1*cols*esize]
		buf.f32 = grow(buf.f32, (r1-r0)*cols)
		if err := widen(buf.f32, chunk, info.Dtype); err != nil {
			return err
		}
		buf.out = buf.out[:0]
		for i, x := range buf.f32 {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nonFiniteError(fmt.Sprintf("tensor %q: element %d is %v", it.Source, r0*cols+i, x))
			}
		}
		// Whole rows are quantized at once: no block spans two rows.
		quantized := true
		switch it.Type {
		case gguf.TypeQ8_0:
			buf.out = grow(buf.out, quant.Q8_0Size(len(buf.f32)))
			quant.QuantizeQ8_0(buf.out, buf.f32)
		case gguf.TypeQ6_K:
			buf.out = grow(buf.out, quant.Q6_KSize(len(buf.f32)))
			quant.QuantizeQ6_K(buf.out, buf.f32)
		default:
			quantized = false
		}
		if quantized {
			if _, err := w.Write(buf.out); err != nil {
				return err
			}
			continue
		}
		for i, x := range buf.f32 {
			h := float16.Fromfloat32(x)
			if h.IsInf(0) {
				return fmt.Errorf("tensor %q: element %d = %v overflows F16", it.Source, r0*cols+i, x)
			}
			buf.out = binary.LittleEndian.AppendUint16(buf.out, uint16(h))
		}
		if _, err := w.Write(buf.out); err != nil {
			return err
		}
	}
	return nil
}

// nonFiniteError is a NaN or ±Inf weight: errors.Is(err, hf.ErrNonFinite).
type nonFiniteError string

func (e nonFiniteError) Error() string        { return string(e) }
func (e nonFiniteError) Is(target error) bool { return target == hf.ErrNonFinite }

// widen decodes little-endian BF16, F16 or F32 values into dst.
func widen(dst []float32, b []byte, dtype string) error {
	switch dtype {
	case "BF16":
		for i := range dst {
			dst[i] = hf.Float32FromBF16(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case "F16":
		for i := range dst {
			dst[i] = hf.Float32FromF16(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case "F32":
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	default:
		return fmt.Errorf("unsupported dtype %s (supported: BF16, F16, F32)", dtype)
	}
	return nil
}

// writeProjection ternarizes (or unpacks) one projection and writes it as
// I2_S, T5_S or T3_S (it.Type): packed codes, the float32 scale, zero padding to
// 32 bytes.
func writeProjection(w io.Writer, ckpt *hf.Checkpoint, it *Item, buf *buffers) error {
	out, in := it.Shape[0], it.Shape[1]
	buf.codes = grow(buf.codes, out*in)
	scale, err := projectionCodes(buf.codes, ckpt, it, buf)
	if err != nil {
		return err
	}
	if it.PermuteHeads > 0 {
		permuteRows(buf.codes, out, in, it.PermuteHeads, buf)
	}
	k := int(it.Dims[0])
	var n int
	switch it.Type {
	case gguf.TypeT5_S:
		n = out * k / 5
		buf.packed = grow(buf.packed, n+32)
		quant.PackT5S(buf.packed, buf.codes, out, in)
	case gguf.TypeT3_S:
		n = out * quant.T3SRowBytes(k)
		buf.packed = grow(buf.packed, n+32)
		quant.PackT3S(buf.packed, buf.codes, out, in)
	default:
		n = out * k / 4
		buf.packed = grow(buf.packed, n+32)
		quant.Pack(buf.packed, buf.codes, out, in, it.Layout)
	}
	tail := buf.packed[n:]
	clear(tail)
	binary.LittleEndian.PutUint32(tail, math.Float32bits(scale))
	_, err = w.Write(buf.packed)
	return err
}

// permuteRows reorders the rows×cols codes for llama.cpp's interleaved
// RoPE (arch.PermuteRows over heads heads).
func permuteRows(codes []int8, rows, cols, heads int, buf *buffers) {
	tmp := grow(buf.tmp, rows*cols)
	copy(tmp, codes[:rows*cols])
	for dst, src := range arch.PermuteRows(rows, heads) {
		copy(codes[dst*cols:(dst+1)*cols], tmp[src*cols:(src+1)*cols])
	}
	buf.tmp = tmp
}

// projectionCodes returns the ternary codes and multiplying scale of a
// projection: ternarized from master weights (docs/SEMANTICS.md §2, the
// absmean), or read from the packed form (docs/SEMANTICS.md §3) with the
// multiplier of its weight_scale under the config's linear_class
// (weight_scale itself for "autobitlinear", RN_f32(1/weight_scale) for
// "bitlinear").
func projectionCodes(codes []int8, ckpt *hf.Checkpoint, it *Item, buf *buffers) (float32, error) {
	out, in := it.Shape[0], it.Shape[1]
	if it.Scale == "" {
		v, err := ckpt.Float32(it.Source, buf.f32)
		if err != nil {
			return 0, err
		}
		buf.f32 = v
		m, err := quant.Ternarize(codes, v)
		if err != nil {
			return 0, fmt.Errorf("tensor %q: %w", it.Source, err)
		}
		return m, nil
	}
	raw, _, err := ckpt.Raw(it.Source)
	if err != nil {
		return 0, err
	}
	err = quant.UnpackHF(codes, raw, out, in)
	ckpt.Release(it.Source)
	if err != nil {
		return 0, fmt.Errorf("tensor %q: %w", it.Source, err)
	}
	s, err := ckpt.Float32(it.Scale, nil)
	if err != nil {
		return 0, err
	}
	if s[0] < 0 {
		return 0, fmt.Errorf("tensor %q: negative scale %v", it.Scale, s[0])
	}
	if it.ScaleRule == arch.ScaleDivide && s[0] == 0 {
		return 0, fmt.Errorf("tensor %q: scale 0: linear_class bitlinear divides by it", it.Scale)
	}
	m := it.ScaleRule.Multiplier(s[0])
	if math.IsInf(float64(m), 0) {
		return 0, fmt.Errorf("tensor %q: scale %v: its reciprocal overflows float32", it.Scale, s[0])
	}
	return m, nil
}
