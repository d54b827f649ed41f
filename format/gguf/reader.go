package gguf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/bitnet-go/bitnet/internal/mmap"
	"github.com/bitnet-go/bitnet/internal/regfile"
)

const magic = "GGUF"

// FormatError reports malformed input: what was wrong and the byte offset of
// the field at fault. Err is its class, one of the Err* sentinels below, so
// that errors.Is(err, gguf.ErrTruncated) and the like work on it.
type FormatError struct {
	Path   string // set by Open
	Offset uint64
	Msg    string
	Err    error // the class: ErrTruncated, ErrTooLarge, ErrDuplicate, ErrUnknownType, ErrOverlap or ErrInvalid
}

// Classes of *FormatError (its Err field, matched by errors.Is). Every
// FormatError from Parse and Open has exactly one.
var (
	// ErrTruncated: the file ends before something it declares: a field, a
	// string, an array, the data section or a tensor's data (a truncated
	// file, or a length, count or offset pointing past the end).
	ErrTruncated = errors.New("truncated")
	// ErrTooLarge: a length, count or dimension beyond a Max* limit, or a
	// tensor whose element count or byte size overflows.
	ErrTooLarge = errors.New("too large")
	// ErrDuplicate: a metadata key or tensor name appears twice.
	ErrDuplicate = errors.New("duplicate")
	// ErrUnknownType: a value or tensor type id not known here, or a tensor
	// type whose size is unknown (I8_S, TL1, TL2).
	ErrUnknownType = errors.New("unknown type")
	// ErrOverlap: two tensors' data overlap.
	ErrOverlap = errors.New("overlapping tensors")
	// ErrInvalid: any other malformed field (magic, version, empty name,
	// bool byte, alignment, dimension count, misaligned offset, ...).
	ErrInvalid = errors.New("invalid")
)

// Unwrap returns the error's class.
func (e *FormatError) Unwrap() error { return e.Err }

func (e *FormatError) Error() string {
	if e.Path != "" {
		return "gguf: " + e.Path + ": byte " + strconv.FormatUint(e.Offset, 10) + ": " + e.Msg
	}
	return "gguf: byte " + strconv.FormatUint(e.Offset, 10) + ": " + e.Msg
}

// ErrNotFound is wrapped by the File helpers' errors for a missing key.
var ErrNotFound = errors.New("not found")

// TensorInfo describes one tensor of a parsed file.
type TensorInfo struct {
	Name   string
	Dims   []uint64 // ggml order: ne0 (the innermost, in-dimension) first
	Type   Type
	Offset uint64 // absolute byte offset of the data in the file
	Size   uint64 // byte size of the data, Type.Size(Elements())
}

// Elements returns the product of the dimensions.
func (t TensorInfo) Elements() uint64 {
	n := uint64(1)
	for _, d := range t.Dims {
		n *= d // cannot overflow: checked when parsed
	}
	return n
}

// File is a parsed GGUF file. Its tensor data is a view of the mapped file
// (or of the slice given to Parse): slices returned by TensorData are valid
// until Close and must not be written to.
type File struct {
	data   []byte
	unmap  func([]byte) error // nil unless data is a mapping of ours
	mapped bool

	version    uint32
	alignment  uint32
	dataOffset uint64
	kvs        []KV
	kvAt       []uint64 // offset of each value's encoding (after its type id)
	kvIndex    map[string]int
	tensors    []TensorInfo
	tIndex     map[string]int
}

// Open maps the file at path read-only and parses it. If the file cannot be
// mapped (no mmap on this platform, or the call fails) it is read into memory
// instead, after checking that it fits in the memory available; Mapped
// reports which happened. Close releases the mapping. Where the bytes of a
// model should live (huge pages, a copy) is the loader's choice: see
// FromMapping and FromBytes.
func Open(path string) (*File, error) {
	fd, size, err := regfile.OpenSized(path)
	if err != nil {
		return nil, fmt.Errorf("gguf: %w", err)
	}
	defer fd.Close()
	if size == 0 {
		return parseFile(path, nil, nil)
	}
	data, mapped, release, err := mmap.MapOrRead(fd, size)
	if err != nil {
		return nil, fmt.Errorf("gguf: %s: %w", path, err)
	}
	f, err := parseFile(path, data, func([]byte) error { return release() })
	if err != nil {
		return nil, err
	}
	f.mapped = mapped
	return f, nil
}

// FromMapping parses data, a mapping of the file at path, as Open does:
// Mapped reports true, and Close calls unmap (also called if parsing
// fails). path names the file in errors.
func FromMapping(path string, data []byte, unmap func() error) (*File, error) {
	f, err := parseFile(path, data, func([]byte) error { return unmap() })
	if err != nil {
		return nil, err
	}
	f.mapped = true
	return f, nil
}

// FromBytes parses data, the contents of the file at path read into
// memory: Mapped reports false, and Close calls release (also called if
// parsing fails). path names the file in errors.
func FromBytes(path string, data []byte, release func() error) (*File, error) {
	return parseFile(path, data, func([]byte) error { return release() })
}

// parseFile parses data read from path; on failure it releases data with
// unmap (if not nil) and names path in the error.
func parseFile(path string, data []byte, unmap func([]byte) error) (*File, error) {
	f, err := Parse(data)
	if err != nil {
		if unmap != nil {
			_ = unmap(data)
		}
		var fe *FormatError
		if errors.As(err, &fe) {
			fe.Path = path
		}
		return nil, err
	}
	f.unmap = unmap
	return f, nil
}

// Mapped reports whether the file's data is memory-mapped (false: it was read
// into memory, or came from Parse).
func (f *File) Mapped() bool { return f.mapped }

// Close releases the mapping. Slices from TensorData must not be used after
// it. Close is idempotent.
func (f *File) Close() error {
	data, unmap := f.data, f.unmap
	f.data, f.unmap, f.mapped = nil, nil, false
	if unmap != nil {
		if err := unmap(data); err != nil {
			return fmt.Errorf("gguf: munmap: %w", err)
		}
	}
	return nil
}

// Version returns the GGUF version (2 or 3).
func (f *File) Version() uint32 { return f.version }

// Alignment returns the tensor data alignment (general.alignment or 32).
func (f *File) Alignment() uint32 { return f.alignment }

// DataOffset returns the absolute offset of the tensor data section.
func (f *File) DataOffset() uint64 { return f.dataOffset }

// KVs returns the metadata in file order. The slice is a copy; array values
// share their elements with the File.
func (f *File) KVs() []KV { return slices.Clone(f.kvs) }

// Get returns the value of key.
func (f *File) Get(key string) (Value, bool) {
	i, ok := f.kvIndex[key]
	if !ok {
		return Value{}, false
	}
	return f.kvs[i].Value, true
}

// ValueOffset returns the absolute byte offset of key's value encoding in
// the file: the first byte after the value's 4-byte type id (for a STRING,
// its 8-byte length; for an ARRAY, its element type). It matches
// Writer.ValueOffset for files the Writer wrote.
func (f *File) ValueOffset(key string) (uint64, bool) {
	i, ok := f.kvIndex[key]
	if !ok {
		return 0, false
	}
	return f.kvAt[i], true
}

// Size returns the file's size in bytes (0 after Close).
func (f *File) Size() uint64 { return uint64(len(f.data)) }

// ReadAt copies the file's bytes at off into p (io.ReaderAt), for callers
// that check the raw bytes (the header, padding between tensors). It fails
// after Close.
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	if f.data == nil && len(p) > 0 {
		return 0, errors.New("gguf: ReadAt: file is closed")
	}
	if off < 0 {
		return 0, errors.New("gguf: ReadAt: negative offset")
	}
	if off >= int64(len(f.data)) {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	n := copy(p, f.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Tensors returns the tensor infos in file order (a copy).
func (f *File) Tensors() []TensorInfo {
	ts := make([]TensorInfo, len(f.tensors))
	for i, t := range f.tensors {
		ts[i] = t
		ts[i].Dims = slices.Clone(t.Dims)
	}
	return ts
}

// Tensor returns the info of the named tensor.
func (f *File) Tensor(name string) (TensorInfo, bool) {
	i, ok := f.tIndex[name]
	if !ok {
		return TensorInfo{}, false
	}
	t := f.tensors[i]
	t.Dims = slices.Clone(t.Dims)
	return t, true
}

// TensorData returns the named tensor's bytes: a read-only view of the file,
// not a copy, valid until Close. Its capacity equals its length.
func (f *File) TensorData(name string) ([]byte, error) {
	i, ok := f.tIndex[name]
	if !ok {
		return nil, fmt.Errorf("gguf: tensor %q: %w", name, ErrNotFound)
	}
	if f.data == nil {
		return nil, fmt.Errorf("gguf: tensor %q: file is closed", name)
	}
	t := f.tensors[i]
	return f.data[t.Offset : t.Offset+t.Size : t.Offset+t.Size], nil
}

// Parse parses a GGUF v2 or v3 file held in data. The File refers to data
// (TensorData returns subslices of it) and must not change while in use;
// Close only drops that reference. Metadata is copied out and stays valid
// after Close. Malformed input yields a *FormatError; the Max* constants are
// the caps.
func Parse(data []byte) (*File, error) {
	p := &parser{b: data}
	f := &File{data: data}
	if err := p.header(f); err != nil {
		return nil, err
	}
	return f, nil
}

type parser struct {
	b   []byte
	off uint64
}

func (p *parser) fail(at uint64, class error, format string, args ...any) error {
	return &FormatError{Offset: at, Msg: fmt.Sprintf(format, args...), Err: class}
}

func (p *parser) left() uint64 { return uint64(len(p.b)) - p.off }

// take returns the next n bytes.
func (p *parser) take(n uint64, what string) ([]byte, error) {
	if n > p.left() {
		return nil, p.fail(p.off, ErrTruncated, "truncated: %s needs %d bytes, %d left", what, n, p.left())
	}
	s := p.b[p.off : p.off+n]
	p.off += n
	return s, nil
}

func (p *parser) u32(what string) (uint32, error) {
	b, err := p.take(4, what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (p *parser) u64(what string) (uint64, error) {
	b, err := p.take(8, what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// strLen reads a string's length, checks it against max and the bytes
// left, and returns it. what describes the string for errors; it is called
// only on failure.
func (p *parser) strLen(max uint64, what func() string) (uint64, error) {
	at := p.off
	if p.left() < 8 {
		return 0, p.fail(at, ErrTruncated, "truncated: %s length needs 8 bytes, %d left", what(), p.left())
	}
	n := binary.LittleEndian.Uint64(p.b[at:])
	p.off += 8
	if n > max {
		return 0, p.fail(at, ErrTooLarge, "%s length %d exceeds the limit %d", what(), n, max)
	}
	if n > p.left() {
		return 0, p.fail(at, ErrTruncated, "%s length %d exceeds the %d bytes left", what(), n, p.left())
	}
	return n, nil
}

// str reads a length-prefixed string of at most max bytes.
func (p *parser) str(max uint64, what func() string) (string, error) {
	n, err := p.strLen(max, what)
	if err != nil {
		return "", err
	}
	s := string(p.b[p.off : p.off+n])
	p.off += n
	return s, nil
}

// Lower bounds on encoded sizes, to reject counts the file cannot hold
// before allocating for them.
const (
	minKVSize         = 8 + 1 + 4 + 1         // key length, 1-byte key, type, 1-byte value
	minTensorInfoSize = 8 + 1 + 4 + 8 + 4 + 8 // name length, 1-byte name, n_dims, 1 dim, type, offset
)

func (p *parser) header(f *File) error {
	if len(p.b) < len(magic) || string(p.b[:len(magic)]) != magic {
		got := p.b[:min(len(p.b), len(magic))]
		return p.fail(0, ErrInvalid, "bad magic %q, want %q", got, magic)
	}
	p.off = uint64(len(magic))
	at := p.off
	v, err := p.u32("version")
	if err != nil {
		return err
	}
	switch {
	case v == 2 || v == 3:
	case v == 1:
		return p.fail(at, ErrInvalid, "GGUF version 1 is unsupported (want 2 or 3)")
	case bits.ReverseBytes32(v) == 2 || bits.ReverseBytes32(v) == 3:
		return p.fail(at, ErrInvalid, "big-endian GGUF (version %d byte-swapped) is unsupported", bits.ReverseBytes32(v))
	default:
		return p.fail(at, ErrInvalid, "unsupported GGUF version %d (want 2 or 3)", v)
	}
	f.version = v

	at = p.off
	nt, err := p.u64("tensor count")
	if err != nil {
		return err
	}
	at2 := p.off
	nkv, err := p.u64("metadata key count")
	if err != nil {
		return err
	}
	if nkv > p.left()/minKVSize {
		return p.fail(at2, ErrTruncated, "metadata key count %d exceeds what the %d bytes left can hold", nkv, p.left())
	}
	if nt > p.left()/minTensorInfoSize {
		return p.fail(at, ErrTruncated, "tensor count %d exceeds what the %d bytes left can hold", nt, p.left())
	}

	f.kvs = make([]KV, 0, nkv)
	f.kvAt = make([]uint64, 0, nkv)
	f.kvIndex = make(map[string]int, nkv)
	var alignAt uint64 // offset of the general.alignment key
	for i := uint64(0); i < nkv; i++ {
		at := p.off
		key, err := p.str(MaxKeyLen, func() string { return fmt.Sprintf("key %d", i) })
		if err != nil {
			return err
		}
		if key == "" {
			return p.fail(at, ErrInvalid, "key %d is empty", i)
		}
		if _, dup := f.kvIndex[key]; dup {
			return p.fail(at, ErrDuplicate, "duplicate key %q", key)
		}
		valueAt := p.off + 4 // after the type id
		v, err := p.value(key)
		if err != nil {
			return err
		}
		if key == KeyAlignment {
			alignAt = at
		}
		f.kvIndex[key] = len(f.kvs)
		f.kvs = append(f.kvs, KV{key, v})
		f.kvAt = append(f.kvAt, valueAt)
	}

	f.alignment = DefaultAlignment
	if v, ok := f.Get(KeyAlignment); ok {
		a, st := toUint(v.x, MaxAlignment)
		if st == notInteger {
			return p.fail(alignAt, ErrInvalid, "key %q has type %s, want an integer", KeyAlignment, v.typ)
		}
		if st != converted || checkAlignment(a) != nil {
			return p.fail(alignAt, ErrInvalid, "key %q: alignment %v is not a power of two in [1, %d]", KeyAlignment, v.x, MaxAlignment)
		}
		f.alignment = uint32(a)
	}
	align := uint64(f.alignment)

	f.tensors = make([]TensorInfo, 0, nt)
	f.tIndex = make(map[string]int, nt)
	infoAt := make([]uint64, 0, nt) // where each tensor info starts, for errors
	for i := uint64(0); i < nt; i++ {
		at := p.off
		t, err := p.tensorInfo(i, align)
		if err != nil {
			return err
		}
		if _, dup := f.tIndex[t.Name]; dup {
			return p.fail(at, ErrDuplicate, "duplicate tensor name %q", t.Name)
		}
		infoAt = append(infoAt, at)
		f.tIndex[t.Name] = len(f.tensors)
		f.tensors = append(f.tensors, t)
	}

	headerEnd := p.off
	dataOffset, ok := alignUp(headerEnd, align)
	if !ok || (len(f.tensors) > 0 && dataOffset > uint64(len(p.b))) {
		return p.fail(headerEnd, ErrTruncated, "truncated: data section starts at %d (header end aligned to %d), file has %d bytes", dataOffset, align, len(p.b))
	}
	f.dataOffset = dataOffset

	for i := range f.tensors {
		t := &f.tensors[i]
		abs, c1 := bits.Add64(dataOffset, t.Offset, 0)
		end, c2 := bits.Add64(abs, t.Size, 0)
		if c1 != 0 || c2 != 0 || end > uint64(len(p.b)) {
			return p.fail(infoAt[i], ErrTruncated, "tensor %q: data at relative offset %d, %d bytes, extends past the end of the file (%d bytes, data section at %d)", t.Name, t.Offset, t.Size, len(p.b), dataOffset)
		}
		t.Offset = abs
	}
	order := make([]int, len(f.tensors))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		oa, ob := f.tensors[a].Offset, f.tensors[b].Offset
		switch {
		case oa < ob:
			return -1
		case oa > ob:
			return 1
		}
		return a - b
	})
	for k := 1; k < len(order); k++ {
		prev, cur := f.tensors[order[k-1]], f.tensors[order[k]]
		if cur.Offset < prev.Offset+prev.Size {
			return p.fail(infoAt[order[k]], ErrOverlap, "tensor %q (bytes %d..%d) overlaps tensor %q (bytes %d..%d)",
				cur.Name, cur.Offset, cur.Offset+cur.Size, prev.Name, prev.Offset, prev.Offset+prev.Size)
		}
	}
	return nil
}

func (p *parser) tensorInfo(i, align uint64) (TensorInfo, error) {
	var t TensorInfo
	at := p.off
	name, err := p.str(MaxTensorNameLen, func() string { return fmt.Sprintf("tensor %d name", i) })
	if err != nil {
		return t, err
	}
	if name == "" {
		return t, p.fail(at, ErrInvalid, "tensor %d has an empty name", i)
	}
	t.Name = name
	at = p.off
	nd, err := p.u32(fmt.Sprintf("tensor %q n_dims", name))
	if err != nil {
		return t, err
	}
	if nd == 0 || nd > MaxDims {
		return t, p.fail(at, ErrInvalid, "tensor %q: n_dims %d, want 1 to %d", name, nd, MaxDims)
	}
	at = p.off
	t.Dims = make([]uint64, nd)
	for d := range t.Dims {
		if t.Dims[d], err = p.u64(fmt.Sprintf("tensor %q dimension %d", name, d)); err != nil {
			return t, err
		}
	}
	n, err := elements(t.Dims)
	if err != nil {
		return t, p.fail(at, dimsClass(t.Dims), "tensor %q: %v", name, err)
	}
	at = p.off
	typ, err := p.u32(fmt.Sprintf("tensor %q type", name))
	if err != nil {
		return t, err
	}
	t.Type = Type(typ)
	if t.Size, err = t.Type.Size(n); err != nil {
		return t, p.fail(at, sizeClass(t.Type, n), "tensor %q: %v", name, err)
	}
	at = p.off
	if t.Offset, err = p.u64(fmt.Sprintf("tensor %q offset", name)); err != nil {
		return t, err
	}
	if t.Offset%align != 0 {
		return t, p.fail(at, ErrInvalid, "tensor %q: offset %d is not a multiple of the alignment %d", name, t.Offset, align)
	}
	return t, nil
}

// value reads a type id and a value for key.
func (p *parser) value(key string) (Value, error) {
	at := p.off
	tv, err := p.u32(fmt.Sprintf("key %q type", key))
	if err != nil {
		return Value{}, err
	}
	t := ValueType(tv)
	switch {
	case t == ValueTypeArray:
		return p.array(key)
	case t == ValueTypeString:
		s, err := p.str(MaxStringLen, func() string { return fmt.Sprintf("key %q string", key) })
		if err != nil {
			return Value{}, err
		}
		return String(s), nil
	case t.fixedSize() != 0:
		at := p.off
		b, err := p.take(t.fixedSize(), fmt.Sprintf("key %q %s value", key, t))
		if err != nil {
			return Value{}, err
		}
		x, ok := decodeScalar(t, b)
		if !ok {
			return Value{}, p.fail(at, ErrInvalid, "key %q: bool value %d, want 0 or 1", key, b[0])
		}
		return Value{t, x}, nil
	}
	return Value{}, p.fail(at, ErrUnknownType, "key %q: unknown value type %d", key, tv)
}

func (p *parser) array(key string) (Value, error) {
	at := p.off
	et, err := p.u32(fmt.Sprintf("key %q array element type", key))
	if err != nil {
		return Value{}, err
	}
	t := ValueType(et)
	if t == ValueTypeArray {
		return Value{}, p.fail(at, ErrInvalid, "key %q: arrays of arrays are unsupported", key)
	}
	size := t.fixedSize()
	if size == 0 && t != ValueTypeString {
		return Value{}, p.fail(at, ErrUnknownType, "key %q: unknown array element type %d", key, et)
	}
	at = p.off
	n, err := p.u64(fmt.Sprintf("key %q array length", key))
	if err != nil {
		return Value{}, err
	}
	if n > MaxArrayLen {
		return Value{}, p.fail(at, ErrTooLarge, "key %q: array length %d exceeds the limit %d", key, n, MaxArrayLen)
	}
	minSize := size
	if t == ValueTypeString {
		minSize = 8
	}
	if n > p.left()/minSize {
		return Value{}, p.fail(at, ErrTruncated, "key %q: array of %d %s exceeds the %d bytes left", key, n, t, p.left())
	}
	if t == ValueTypeString {
		// Check every length first, then copy all the strings' bytes in one
		// allocation and slice the elements out of it.
		start := p.off
		for i := uint64(0); i < n; i++ {
			l, err := p.strLen(MaxStringLen, func() string { return fmt.Sprintf("key %q element %d", key, i) })
			if err != nil {
				return Value{}, err
			}
			p.off += l
		}
		blob := string(p.b[start:p.off])
		a := make([]string, n)
		var o uint64
		for i := range a {
			l := binary.LittleEndian.Uint64(p.b[start+o:])
			a[i] = blob[o+8 : o+8+l]
			o += 8 + l
		}
		return Value{ValueTypeArray, a}, nil
	}
	start := p.off
	b, _ := p.take(n*size, "array") // fits: checked above
	x, bad := decodeArray(t, b, n)
	if bad >= 0 {
		return Value{}, p.fail(start+uint64(bad), ErrInvalid, "key %q: element %d: bool value %d, want 0 or 1", key, bad, b[bad])
	}
	return Value{ValueTypeArray, x}, nil
}

// decodeScalar decodes one fixed-size value; ok is false for a bool byte
// other than 0 or 1.
func decodeScalar(t ValueType, b []byte) (any, bool) {
	le := binary.LittleEndian
	switch t {
	case ValueTypeUint8:
		return b[0], true
	case ValueTypeInt8:
		return int8(b[0]), true
	case ValueTypeUint16:
		return le.Uint16(b), true
	case ValueTypeInt16:
		return int16(le.Uint16(b)), true
	case ValueTypeUint32:
		return le.Uint32(b), true
	case ValueTypeInt32:
		return int32(le.Uint32(b)), true
	case ValueTypeFloat32:
		return math.Float32frombits(le.Uint32(b)), true
	case ValueTypeBool:
		return b[0] == 1, b[0] <= 1
	case ValueTypeUint64:
		return le.Uint64(b), true
	case ValueTypeInt64:
		return int64(le.Uint64(b)), true
	case ValueTypeFloat64:
		return math.Float64frombits(le.Uint64(b)), true
	}
	return nil, false
}

// decodeArray decodes n fixed-size elements of type t from b. bad is the
// index of an invalid bool byte, or -1.
func decodeArray(t ValueType, b []byte, n uint64) (x any, bad int) {
	le := binary.LittleEndian
	switch t {
	case ValueTypeUint8:
		return slices.Clone(b), -1
	case ValueTypeInt8:
		a := make([]int8, n)
		for i := range a {
			a[i] = int8(b[i])
		}
		return a, -1
	case ValueTypeUint16:
		a := make([]uint16, n)
		for i := range a {
			a[i] = le.Uint16(b[2*i:])
		}
		return a, -1
	case ValueTypeInt16:
		a := make([]int16, n)
		for i := range a {
			a[i] = int16(le.Uint16(b[2*i:]))
		}
		return a, -1
	case ValueTypeUint32:
		a := make([]uint32, n)
		for i := range a {
			a[i] = le.Uint32(b[4*i:])
		}
		return a, -1
	case ValueTypeInt32:
		a := make([]int32, n)
		for i := range a {
			a[i] = int32(le.Uint32(b[4*i:]))
		}
		return a, -1
	case ValueTypeFloat32:
		a := make([]float32, n)
		for i := range a {
			a[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return a, -1
	case ValueTypeBool:
		a := make([]bool, n)
		for i := range a {
			if b[i] > 1 {
				return nil, i
			}
			a[i] = b[i] == 1
		}
		return a, -1
	case ValueTypeUint64:
		a := make([]uint64, n)
		for i := range a {
			a[i] = le.Uint64(b[8*i:])
		}
		return a, -1
	case ValueTypeInt64:
		a := make([]int64, n)
		for i := range a {
			a[i] = int64(le.Uint64(b[8*i:]))
		}
		return a, -1
	case ValueTypeFloat64:
		a := make([]float64, n)
		for i := range a {
			a[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		return a, -1
	}
	return nil, -1 // unreachable: t is a fixed-size type
}
