package gguf

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
)

// Writer writes a GGUF v3 file in one pass. It holds the metadata and the
// tensor list, never tensor data: the caller streams each tensor's bytes
// through it, one tensor at a time. The output must start at the beginning of
// the file, since the alignment is counted from there.
//
// Use it in three phases:
//
//  1. AddKV (and SetAlignment) and AddTensor, in any interleaving. Keys are
//     written in insertion order, tensors in the order added.
//  2. WriteHeader computes every tensor's offset and writes the header.
//  3. WriteTensor or TensorWriter for each tensor, in the order added; then
//     Finish, which flushes the output.
//
// The output depends only on the calls made: the same calls give the same
// bytes. Everything the Writer accepts passes Parse (it enforces the same
// Max* limits). After an I/O error every method returns that error.
type Writer struct {
	out       *bufio.Writer
	n         uint64 // bytes handed to out
	alignment uint32

	kvs     []KV
	keys    map[string]struct{}
	tensors []wtensor
	names   map[string]struct{}

	valueAt    map[string]uint64 // offset of each value's encoding, set by WriteHeader
	dataOffset uint64            // set by WriteHeader

	phase int
	next  int           // index of the next tensor to write
	open  *tensorWriter // the tensor being streamed, if any
	err   error         // sticky I/O error
}

type wtensor struct {
	name   string
	typ    Type
	dims   []uint64
	size   uint64
	offset uint64 // relative to the start of the data section
}

const (
	phaseBuild = iota
	phaseData
	phaseDone
)

// NewWriter returns a Writer writing to out with the default alignment (32).
func NewWriter(out io.Writer) *Writer {
	return &Writer{
		out:       bufio.NewWriterSize(out, 1<<20),
		alignment: DefaultAlignment,
		keys:      make(map[string]struct{}),
		names:     make(map[string]struct{}),
	}
}

var errPhase = errors.New("gguf: Writer used out of order")

func (w *Writer) check(op string, want int) error {
	if w.err != nil {
		return w.err
	}
	if w.open != nil {
		return fmt.Errorf("gguf: %s: tensor %q is still being written (Close its TensorWriter first): %w", op, w.open.t.name, errPhase)
	}
	if w.phase != want {
		var when string
		switch want {
		case phaseBuild:
			when = "before WriteHeader"
		case phaseData:
			when = "after WriteHeader and before Finish"
		}
		return fmt.Errorf("gguf: %s must be called %s: %w", op, when, errPhase)
	}
	return nil
}

// SetAlignment sets the tensor data alignment and records it as the
// general.alignment UINT32 key: at the key's existing position if it was
// already set, else appended. n must be a power of two no larger than
// MaxAlignment. Without it the alignment is 32 and no key is written.
func (w *Writer) SetAlignment(n uint32) error {
	if err := w.check("SetAlignment", phaseBuild); err != nil {
		return err
	}
	if err := checkAlignment(uint64(n)); err != nil {
		return fmt.Errorf("gguf: SetAlignment: %w", err)
	}
	w.alignment = n
	for i := range w.kvs {
		if w.kvs[i].Key == KeyAlignment {
			w.kvs[i].Value = Uint32(n)
			return nil
		}
	}
	w.kvs = append(w.kvs, KV{KeyAlignment, Uint32(n)})
	w.keys[KeyAlignment] = struct{}{}
	return nil
}

func checkAlignment(n uint64) error {
	if n == 0 || n&(n-1) != 0 || n > MaxAlignment {
		return fmt.Errorf("alignment %d is not a power of two in [1, %d]", n, MaxAlignment)
	}
	return nil
}

// AddKV appends a metadata key. Keys must be unique, non-empty and at most
// MaxKeyLen bytes; strings at most MaxStringLen bytes, arrays at most
// MaxArrayLen elements. A general.alignment key must be a UINT32 valid for
// SetAlignment, and sets the alignment.
func (w *Writer) AddKV(key string, v Value) error {
	if err := w.check("AddKV", phaseBuild); err != nil {
		return err
	}
	if err := checkKV(key, v); err != nil {
		return fmt.Errorf("gguf: AddKV %q: %w", key, err)
	}
	if _, dup := w.keys[key]; dup {
		return fmt.Errorf("gguf: AddKV %q: duplicate key", key)
	}
	if key == KeyAlignment {
		a, ok := v.x.(uint32)
		if !ok {
			return fmt.Errorf("gguf: AddKV %q: type %s, want UINT32", key, v.typ)
		}
		if err := checkAlignment(uint64(a)); err != nil {
			return fmt.Errorf("gguf: AddKV %q: %w", key, err)
		}
		w.alignment = a
	}
	w.keys[key] = struct{}{}
	w.kvs = append(w.kvs, KV{key, v})
	return nil
}

func checkKV(key string, v Value) error {
	if key == "" {
		return errors.New("empty key")
	}
	if len(key) > MaxKeyLen {
		return fmt.Errorf("key length %d exceeds %d", len(key), MaxKeyLen)
	}
	if !v.valid() {
		return errors.New("zero Value (use a constructor such as gguf.String)")
	}
	switch x := v.x.(type) {
	case string:
		if len(x) > MaxStringLen {
			return fmt.Errorf("string length %d exceeds %d", len(x), MaxStringLen)
		}
	case []string:
		for i, s := range x {
			if len(s) > MaxStringLen {
				return fmt.Errorf("element %d: string length %d exceeds %d", i, len(s), MaxStringLen)
			}
		}
	}
	if n := v.Len(); n > MaxArrayLen {
		return fmt.Errorf("array length %d exceeds %d", n, MaxArrayLen)
	}
	return nil
}

// AddTensor declares a tensor: its name (unique, 1 to MaxTensorNameLen
// bytes), type and ggml dimensions (ne0 first: {in, out} for a weight
// matrix), 1 to MaxDims of them, each at least 1. Its byte size is
// typ.Size(product of dims).
func (w *Writer) AddTensor(name string, typ Type, dims []uint64) error {
	if err := w.check("AddTensor", phaseBuild); err != nil {
		return err
	}
	if name == "" {
		return errors.New("gguf: AddTensor: empty tensor name")
	}
	if len(name) > MaxTensorNameLen {
		return fmt.Errorf("gguf: AddTensor %q: name length %d exceeds %d", name, len(name), MaxTensorNameLen)
	}
	if _, dup := w.names[name]; dup {
		return fmt.Errorf("gguf: AddTensor %q: duplicate tensor name", name)
	}
	n, err := elements(dims)
	if err != nil {
		return fmt.Errorf("gguf: AddTensor %q: %w", name, err)
	}
	size, err := typ.Size(n)
	if err != nil {
		return fmt.Errorf("gguf: AddTensor %q: %w", name, err)
	}
	w.names[name] = struct{}{}
	w.tensors = append(w.tensors, wtensor{name: name, typ: typ, dims: append([]uint64(nil), dims...), size: size})
	return nil
}

// alignUp rounds n up to a multiple of the power of two a.
func alignUp(n, a uint64) (uint64, bool) {
	s, carry := bits.Add64(n, a-1, 0)
	if carry != 0 {
		return 0, false
	}
	return s &^ (a - 1), true
}

// WriteHeader lays out the tensor data (each tensor at the next multiple of
// the alignment after the previous one) and writes the header and the
// padding up to the data section.
func (w *Writer) WriteHeader() error {
	if err := w.check("WriteHeader", phaseBuild); err != nil {
		return err
	}
	align := uint64(w.alignment)
	var off uint64
	for i := range w.tensors {
		t := &w.tensors[i]
		t.offset = off
		end, carry := bits.Add64(off, t.size, 0)
		next, ok := alignUp(end, align)
		if carry != 0 || !ok || next > math.MaxInt64 {
			return fmt.Errorf("gguf: WriteHeader: tensor %q: data section size overflows", t.name)
		}
		off = next
	}

	var b []byte
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, 3)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(w.tensors)))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(w.kvs)))
	w.write(b)
	w.valueAt = make(map[string]uint64, len(w.kvs))
	for _, kv := range w.kvs {
		b = appendString(b[:0], kv.Key)
		w.valueAt[kv.Key] = w.n + uint64(len(b)) + 4 // after the type id
		b = appendValue(b, kv.Value)
		w.write(b)
	}
	for _, t := range w.tensors {
		b = appendString(b[:0], t.name)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(t.dims)))
		for _, d := range t.dims {
			b = binary.LittleEndian.AppendUint64(b, d)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(t.typ))
		b = binary.LittleEndian.AppendUint64(b, t.offset)
		w.write(b)
	}
	w.pad()
	if w.err != nil {
		return w.err
	}
	w.dataOffset = w.n
	w.phase = phaseData
	return nil
}

// ValueOffset returns the absolute byte offset at which key's value
// encoding starts in the output: the first byte after its 4-byte type id
// (for a STRING, its 8-byte length, then the bytes; for an ARRAY, its
// element type, its uint64 length, then the elements). It is known once
// WriteHeader has returned, so that a caller can reserve a fixed-length
// placeholder value and patch it in place after the data is written (as
// package internal/integrity does with checksums). File.ValueOffset gives
// the same offset when the file is parsed.
func (w *Writer) ValueOffset(key string) (uint64, error) {
	if w.phase == phaseBuild {
		return 0, fmt.Errorf("gguf: ValueOffset %q must be called after WriteHeader: %w", key, errPhase)
	}
	off, ok := w.valueAt[key]
	if !ok {
		return 0, fmt.Errorf("gguf: ValueOffset: key %q: %w", key, ErrNotFound)
	}
	return off, nil
}

// DataOffset returns the absolute offset of the tensor data section (the
// header's size, padding included), known once WriteHeader has returned.
func (w *Writer) DataOffset() (uint64, error) {
	if w.phase == phaseBuild {
		return 0, fmt.Errorf("gguf: DataOffset must be called after WriteHeader: %w", errPhase)
	}
	return w.dataOffset, nil
}

func (w *Writer) write(p []byte) {
	if w.err != nil {
		return
	}
	n, err := w.out.Write(p)
	w.n += uint64(n)
	if err != nil {
		w.err = fmt.Errorf("gguf: write at byte %d: %w", w.n, err)
	}
}

var zeros [4096]byte

// pad writes zero bytes up to the next multiple of the alignment.
func (w *Writer) pad() {
	a := uint64(w.alignment)
	for k := (a - w.n%a) % a; k > 0 && w.err == nil; {
		c := min(k, uint64(len(zeros)))
		w.write(zeros[:c])
		k -= c
	}
}

func appendString(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// appendValue appends v's type id and encoding.
func appendValue(b []byte, v Value) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(v.typ))
	if v.typ != ValueTypeArray {
		return appendScalar(b, v.x)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(v.ElemType()))
	b = binary.LittleEndian.AppendUint64(b, uint64(v.Len()))
	le := binary.LittleEndian
	switch a := v.x.(type) {
	case []uint8:
		return append(b, a...)
	case []int8:
		return appendEach(b, a, func(b []byte, x int8) []byte { return append(b, byte(x)) })
	case []uint16:
		return appendEach(b, a, le.AppendUint16)
	case []int16:
		return appendEach(b, a, func(b []byte, x int16) []byte { return le.AppendUint16(b, uint16(x)) })
	case []uint32:
		return appendEach(b, a, le.AppendUint32)
	case []int32:
		return appendEach(b, a, func(b []byte, x int32) []byte { return le.AppendUint32(b, uint32(x)) })
	case []float32:
		return appendEach(b, a, func(b []byte, x float32) []byte { return le.AppendUint32(b, math.Float32bits(x)) })
	case []bool:
		return appendEach(b, a, func(b []byte, x bool) []byte { return appendScalar(b, x) })
	case []string:
		return appendEach(b, a, appendString)
	case []uint64:
		return appendEach(b, a, le.AppendUint64)
	case []int64:
		return appendEach(b, a, func(b []byte, x int64) []byte { return le.AppendUint64(b, uint64(x)) })
	case []float64:
		return appendEach(b, a, func(b []byte, x float64) []byte { return le.AppendUint64(b, math.Float64bits(x)) })
	}
	panic(fmt.Sprintf("gguf: unencodable array %T", v.x)) // unreachable: Values come from constructors
}

func appendEach[T any](b []byte, a []T, f func([]byte, T) []byte) []byte {
	for _, x := range a {
		b = f(b, x)
	}
	return b
}

func appendScalar(b []byte, x any) []byte {
	le := binary.LittleEndian
	switch x := x.(type) {
	case uint8:
		return append(b, x)
	case int8:
		return append(b, byte(x))
	case uint16:
		return le.AppendUint16(b, x)
	case int16:
		return le.AppendUint16(b, uint16(x))
	case uint32:
		return le.AppendUint32(b, x)
	case int32:
		return le.AppendUint32(b, uint32(x))
	case float32:
		return le.AppendUint32(b, math.Float32bits(x))
	case bool:
		if x {
			return append(b, 1)
		}
		return append(b, 0)
	case string:
		return appendString(b, x)
	case uint64:
		return le.AppendUint64(b, x)
	case int64:
		return le.AppendUint64(b, uint64(x))
	case float64:
		return le.AppendUint64(b, math.Float64bits(x))
	}
	panic(fmt.Sprintf("gguf: unencodable value %T", x)) // unreachable: Values come from constructors
}

// WriteTensor writes the whole data of the next tensor, which must be name,
// and its padding. len(data) must equal the tensor's byte size.
func (w *Writer) WriteTensor(name string, data []byte) error {
	tw, err := w.tensorWriter("WriteTensor", name)
	if err != nil {
		return err
	}
	t := tw.(*tensorWriter).t
	if uint64(len(data)) != t.size {
		tw.(*tensorWriter).abandon()
		return fmt.Errorf("gguf: WriteTensor %q: %d bytes, want %d (%s %v)", name, len(data), t.size, t.typ, t.dims)
	}
	if _, err := tw.Write(data); err != nil {
		return err
	}
	return tw.Close()
}

// TensorWriter returns a writer for the data of the next tensor, which must
// be name, so that a tensor can be streamed in chunks (io.Copy into it).
// Writing more than the tensor's byte size fails; Close fails if fewer bytes
// were written, and otherwise writes the padding. No other Writer method may
// be called until it is closed.
func (w *Writer) TensorWriter(name string) (io.WriteCloser, error) {
	return w.tensorWriter("TensorWriter", name)
}

func (w *Writer) tensorWriter(op, name string) (io.WriteCloser, error) {
	if err := w.check(fmt.Sprintf("%s %q", op, name), phaseData); err != nil {
		return nil, err
	}
	if w.next >= len(w.tensors) {
		return nil, fmt.Errorf("gguf: tensor %q: all %d declared tensors are already written", name, len(w.tensors))
	}
	t := &w.tensors[w.next]
	if t.name != name {
		if _, ok := w.names[name]; !ok {
			return nil, fmt.Errorf("gguf: tensor %q was not declared with AddTensor", name)
		}
		return nil, fmt.Errorf("gguf: tensor %q written out of order: %q is next", name, t.name)
	}
	w.open = &tensorWriter{w: w, t: t}
	return w.open, nil
}

type tensorWriter struct {
	w       *Writer
	t       *wtensor
	written uint64
	closed  bool
}

func (tw *tensorWriter) Write(p []byte) (int, error) {
	w := tw.w
	if tw.closed {
		return 0, fmt.Errorf("gguf: tensor %q: write after Close", tw.t.name)
	}
	if w.err != nil {
		return 0, w.err
	}
	if uint64(len(p)) > tw.t.size-tw.written {
		return 0, fmt.Errorf("gguf: tensor %q: writing %d bytes after %d exceeds its size %d", tw.t.name, len(p), tw.written, tw.t.size)
	}
	w.write(p)
	if w.err != nil {
		return 0, w.err
	}
	tw.written += uint64(len(p))
	return len(p), nil
}

// Close finishes the tensor: it checks the byte count and writes padding.
func (tw *tensorWriter) Close() error {
	w := tw.w
	if tw.closed {
		return nil
	}
	tw.closed = true
	w.open = nil
	if w.err != nil {
		return w.err
	}
	if tw.written != tw.t.size {
		if tw.written == 0 {
			return fmt.Errorf("gguf: tensor %q: closed with no data written, want %d bytes", tw.t.name, tw.t.size)
		}
		// Part of the tensor is out: the file cannot be completed.
		w.err = fmt.Errorf("gguf: tensor %q: closed after %d bytes, want %d", tw.t.name, tw.written, tw.t.size)
		return w.err
	}
	w.pad()
	if w.err != nil {
		return w.err
	}
	w.next++
	return nil
}

// abandon releases a tensorWriter to which nothing was written.
func (tw *tensorWriter) abandon() {
	tw.closed = true
	tw.w.open = nil
}

// Finish checks that every declared tensor was written and flushes the
// output. It does not close the underlying io.Writer.
func (w *Writer) Finish() error {
	if err := w.check("Finish", phaseData); err != nil {
		return err
	}
	if w.next != len(w.tensors) {
		return fmt.Errorf("gguf: Finish: %d of %d tensors written, next is %q", w.next, len(w.tensors), w.tensors[w.next].name)
	}
	if err := w.out.Flush(); err != nil {
		w.err = fmt.Errorf("gguf: flush: %w", err)
		return w.err
	}
	w.phase = phaseDone
	return nil
}
