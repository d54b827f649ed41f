package hf

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"
)

// Tensor is one tensor to write: Data holds exactly the shape's elements in
// the dtype's little-endian encoding.
type Tensor struct {
	Name  string
	Dtype string
	Shape []int
	Data  []byte
}

// TensorSource is a tensor whose bytes are produced on demand, so a writer
// never holds more than one tensor: Write must write exactly the shape's
// byte size to w.
type TensorSource struct {
	Name  string
	Dtype string
	Shape []int
	Write func(w io.Writer) error
}

// WriteSafetensors writes a safetensors file holding tensors (see
// WriteSafetensorsStream for the layout).
func WriteSafetensors(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	src := make([]TensorSource, len(tensors))
	for i, t := range tensors {
		size, err := tensorBytes(t.Name, t.Dtype, t.Shape)
		if err != nil {
			return err
		}
		if uint64(len(t.Data)) != size {
			return fmt.Errorf("WriteSafetensors: tensor %q: %d data bytes, shape %v of %s needs %d", t.Name, len(t.Data), t.Shape, t.Dtype, size)
		}
		data := t.Data
		src[i] = TensorSource{Name: t.Name, Dtype: t.Dtype, Shape: t.Shape, Write: func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		}}
	}
	return WriteSafetensorsStream(w, src, metadata)
}

// WriteSafetensorsStream writes a safetensors file: the 8-byte little-endian
// header length, the JSON header (__metadata__ first, padded with spaces to
// a multiple of 8 bytes) and then each tensor's bytes, in the order the Rust
// safetensors library uses (largest element size first, then by name), so
// every tensor is aligned to its element size. The output is deterministic.
// Tensors are produced one at a time by their Write callbacks; a callback
// writing the wrong number of bytes is an error.
func WriteSafetensorsStream(w io.Writer, tensors []TensorSource, metadata map[string]string) error {
	type item struct {
		src        *TensorSource
		esize      int
		begin, end uint64
	}
	items := make([]item, len(tensors))
	seen := make(map[string]bool, len(tensors))
	for i := range tensors {
		t := &tensors[i]
		if t.Name == "" || t.Name == "__metadata__" || !utf8.ValidString(t.Name) {
			return fmt.Errorf("WriteSafetensors: invalid tensor name %q", t.Name)
		}
		if seen[t.Name] {
			return fmt.Errorf("WriteSafetensors: duplicate tensor %q", t.Name)
		}
		seen[t.Name] = true
		if t.Write == nil {
			return fmt.Errorf("WriteSafetensors: tensor %q has no Write function", t.Name)
		}
		items[i] = item{src: t, esize: dtypeSizes[t.Dtype]}
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].esize != items[j].esize {
			return items[i].esize > items[j].esize
		}
		return items[i].src.Name < items[j].src.Name
	})
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		hdr.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if i > 0 {
				hdr.WriteByte(',')
			}
			writeJSONString(&hdr, k)
			hdr.WriteByte(':')
			writeJSONString(&hdr, metadata[k])
		}
		hdr.WriteByte('}')
	}
	var off uint64
	for i := range items {
		it := &items[i]
		size, err := tensorBytes(it.src.Name, it.src.Dtype, it.src.Shape)
		if err != nil {
			return err
		}
		it.begin, it.end = off, off+size
		if it.end < off {
			return errors.New("WriteSafetensors: total size overflows")
		}
		off = it.end
		if i > 0 || len(metadata) > 0 {
			hdr.WriteByte(',')
		}
		writeJSONString(&hdr, it.src.Name)
		shape := it.src.Shape
		if shape == nil {
			shape = []int{}
		}
		sb, _ := json.Marshal(shape)
		fmt.Fprintf(&hdr, `:{"dtype":%q,"shape":%s,"data_offsets":[%d,%d]}`, it.src.Dtype, sb, it.begin, it.end)
	}
	hdr.WriteByte('}')
	for (8+hdr.Len())%8 != 0 {
		hdr.WriteByte(' ')
	}
	if hdr.Len() > MaxHeaderSize {
		return fmt.Errorf("WriteSafetensors: header of %d bytes exceeds the cap of %d", hdr.Len(), MaxHeaderSize)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(hdr.Len()))
	if _, err := bw.Write(lenBuf[:]); err != nil {
		return err
	}
	if _, err := bw.Write(hdr.Bytes()); err != nil {
		return err
	}
	for _, it := range items {
		cw := &countingWriter{w: bw, limit: it.end - it.begin}
		if err := it.src.Write(cw); err != nil {
			return fmt.Errorf("WriteSafetensors: tensor %q: %w", it.src.Name, err)
		}
		if cw.n != cw.limit {
			return fmt.Errorf("WriteSafetensors: tensor %q: wrote %d bytes, the header declares %d", it.src.Name, cw.n, cw.limit)
		}
	}
	return bw.Flush()
}

func tensorBytes(name, dtype string, shape []int) (uint64, error) {
	size, ok := dtypeSizes[dtype]
	if !ok {
		return 0, fmt.Errorf("WriteSafetensors: %w", dtypeError(name, dtype))
	}
	if len(shape) > MaxRank {
		return 0, fmt.Errorf("WriteSafetensors: tensor %q: rank %d exceeds the cap of %d", name, len(shape), MaxRank)
	}
	for _, d := range shape {
		if d < 0 || uint64(d) > maxDim {
			return 0, fmt.Errorf("WriteSafetensors: tensor %q: invalid dimension %d", name, d)
		}
	}
	n, ok := numElements(shape)
	if ok {
		n, ok = checkedMul(n, uint64(size))
	}
	if !ok {
		return 0, fmt.Errorf("WriteSafetensors: tensor %q: shape %v overflows", name, shape)
	}
	return n, nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// countingWriter passes at most limit bytes through and counts them.
type countingWriter struct {
	w        io.Writer
	n, limit uint64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if uint64(len(p)) > c.limit-c.n {
		return 0, fmt.Errorf("wrote more than the %d bytes the header declares", c.limit)
	}
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}
