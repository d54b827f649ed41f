package hf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sort"
	"strings"
	"unicode/utf8"
)

// Limits applied to every safetensors file. They bound what a hostile or
// corrupt header can make the parser allocate or compute.
const (
	// MaxHeaderSize caps the JSON header of a safetensors file (the Rust
	// reference implementation uses 100 MB as well).
	MaxHeaderSize = 100 << 20
	// MaxRank caps the number of dimensions of one tensor.
	MaxRank = 16
	// maxDim caps a single dimension. A non-zero tensor is bounded by the file
	// size anyway; this bounds zero-sized tensors such as [0, 1<<62].
	maxDim = 1 << 40
)

// dtypeSizes maps each safetensors dtype this package reads to its element
// size in bytes.
var dtypeSizes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// unsupportedDtypes are dtypes the safetensors format defines that this
// package does not read: they get a clearer error than an unknown string.
var unsupportedDtypes = map[string]bool{
	"F8_E4M3": true, "F8_E5M2": true, "F8_E8M0": true, "F8_E4M3FNUZ": true, "F8_E5M2FNUZ": true,
	"F4": true, "F6_E2M3": true, "F6_E3M2": true, "C64": true, "C128": true,
}

func supportedDtypes() string {
	names := make([]string, 0, len(dtypeSizes))
	for k := range dtypeSizes {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func dtypeError(tensor, dtype string) error {
	if unsupportedDtypes[dtype] {
		return classify(fmt.Errorf("tensor %q: dtype %s is a safetensors dtype this reader does not support (supported: %s)", tensor, dtype, supportedDtypes()), ErrDtype)
	}
	return classify(fmt.Errorf("tensor %q: unknown dtype %q (supported: %s)", tensor, dtype, supportedDtypes()), ErrDtype)
}

// header is a parsed and validated safetensors header.
type header struct {
	size      int64 // JSON header length (the first 8 bytes)
	dataStart int64 // 8 + size
	metadata  map[string]string
	tensors   []tensorRec // sorted by data offset
}

// tensorRec is one tensor of a header; begin and end are relative to the
// start of the data region.
type tensorRec struct {
	name       string
	dtype      string
	shape      []int
	begin, end int64
}

// checkedMul multiplies non-negative a and b, reporting overflow of uint64.
func checkedMul(a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	return lo, hi == 0
}

// numElements returns the element count of shape, with overflow checking.
func numElements(shape []int) (uint64, bool) {
	n := uint64(1)
	for _, d := range shape {
		if d < 0 {
			return 0, false
		}
		var ok bool
		if n, ok = checkedMul(n, uint64(d)); !ok {
			return 0, false
		}
	}
	return n, true
}

// errHeaderPastEOF is the second way a file can be too short (the first is
// ErrTruncated); the messages say which one happened, and both are
// ErrTruncated.
var errHeaderPastEOF = classify(errors.New("safetensors header length points past the end of the file"), ErrTruncated)

// parseHeader parses and validates the header of a safetensors file of
// fileSize bytes whose leading bytes are buf (buf may be the whole file; it
// must hold at least the header for a successful parse). It checks:
// the 8-byte little-endian length against the file size and MaxHeaderSize,
// UTF-8 and JSON validity, no duplicate keys, each tensor's dtype, rank and
// dimensions, shape × dtype size == byte length (checked multiplication),
// and that the tensors tile the data region exactly: offsets contiguous from
// 0 in offset order, ending at the end of the file.
func parseHeader(buf []byte, fileSize int64) (*header, error) {
	if fileSize < 8 || len(buf) < 8 {
		return nil, fmt.Errorf("%w: %d bytes is too short for the 8-byte header length", ErrTruncated, fileSize)
	}
	n := binary.LittleEndian.Uint64(buf[:8])
	if n > MaxHeaderSize {
		if n > uint64(fileSize-8) {
			return nil, fmt.Errorf("%w: header length %d, file is %d bytes", errHeaderPastEOF, n, fileSize)
		}
		return nil, fmt.Errorf("safetensors header length %d exceeds the cap of %d bytes", n, MaxHeaderSize)
	}
	if n > uint64(fileSize-8) || n > uint64(len(buf)-8) {
		return nil, fmt.Errorf("%w: header length %d needs %d bytes, file is %d bytes", errHeaderPastEOF, n, n+8, fileSize)
	}
	h := &header{size: int64(n), dataStart: 8 + int64(n)}
	raw := buf[8 : 8+n]
	if !utf8.Valid(raw) {
		return nil, errors.New("safetensors header is not valid UTF-8")
	}
	entries, err := decodeObject(raw)
	if err != nil {
		return nil, fmt.Errorf("safetensors header: %w", err)
	}
	dataSize := fileSize - h.dataStart
	for _, e := range entries {
		if e.key == "__metadata__" {
			if err := json.Unmarshal(e.value, &h.metadata); err != nil || h.metadata == nil && !isNull(e.value) {
				return nil, errors.New("safetensors header: __metadata__ must be an object of strings")
			}
			continue
		}
		rec, err := parseTensorEntry(e.key, e.value)
		if err != nil {
			return nil, err
		}
		h.tensors = append(h.tensors, rec)
	}
	sort.Slice(h.tensors, func(i, j int) bool {
		a, b := &h.tensors[i], &h.tensors[j]
		if a.begin != b.begin {
			return a.begin < b.begin
		}
		if a.end != b.end {
			return a.end < b.end
		}
		return a.name < b.name
	})
	for _, t := range h.tensors {
		if t.end > dataSize {
			return nil, fmt.Errorf("%w: tensor %q needs data bytes [%d, %d) but only %d data bytes follow the header (file is %d bytes)",
				ErrTruncated, t.name, t.begin, t.end, dataSize, fileSize)
		}
	}
	pos := int64(0)
	prev := ""
	for _, t := range h.tensors {
		switch {
		case t.begin < pos:
			return nil, fmt.Errorf("safetensors header: tensor %q (bytes [%d, %d)) overlaps tensor %q", t.name, t.begin, t.end, prev)
		case t.begin > pos:
			return nil, fmt.Errorf("safetensors header: %d unused bytes before tensor %q (offsets must be contiguous)", t.begin-pos, t.name)
		}
		pos, prev = t.end, t.name
	}
	if pos != dataSize {
		return nil, fmt.Errorf("safetensors header: the tensors cover %d data bytes but %d follow the header (trailing bytes)", pos, dataSize)
	}
	return h, nil
}

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

type jsonEntry struct {
	key   string
	value json.RawMessage
}

// decodeObject decodes a JSON object into its entries in order, rejecting
// duplicate keys and anything after the closing brace except whitespace.
func decodeObject(data []byte) ([]jsonEntry, error) { return decodeEntries(data, false) }

// decodeEntries is decodeObject; with lastWins a repeated key is not an
// error, and only its last value is kept (as JSON readers do: config.json
// files in the wild repeat keys).
func decodeEntries(data []byte, lastWins bool) ([]jsonEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("invalid JSON: not an object")
	}
	var out []jsonEntry
	seen := make(map[string]bool)
	at := make(map[string]int)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("invalid JSON: object key is not a string")
		}
		if seen[key] && !lastWins {
			return nil, fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("invalid JSON at key %q: %w", key, err)
		}
		if i, ok := at[key]; ok {
			out[i].value = v // lastWins
			continue
		}
		at[key] = len(out)
		out = append(out, jsonEntry{key, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: data after the closing brace")
	}
	return out, nil
}

func parseTensorEntry(name string, value json.RawMessage) (tensorRec, error) {
	rec := tensorRec{name: name}
	if name == "" {
		return rec, errors.New("safetensors header: empty tensor name")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(value, &fields); err != nil || fields == nil {
		return rec, fmt.Errorf("tensor %q: header entry is not an object", name)
	}
	dt, okD := fields["dtype"]
	sh, okS := fields["shape"]
	off, okO := fields["data_offsets"]
	if !okD || !okS || !okO {
		return rec, fmt.Errorf("tensor %q: header entry needs dtype, shape and data_offsets", name)
	}
	if err := json.Unmarshal(dt, &rec.dtype); err != nil {
		return rec, fmt.Errorf("tensor %q: dtype is not a string", name)
	}
	size, ok := dtypeSizes[rec.dtype]
	if !ok {
		return rec, dtypeError(name, rec.dtype)
	}
	var shape []uint64
	if err := json.Unmarshal(sh, &shape); err != nil || shape == nil {
		return rec, fmt.Errorf("tensor %q: shape must be an array of non-negative integers", name)
	}
	if len(shape) > MaxRank {
		return rec, fmt.Errorf("tensor %q: rank %d exceeds the cap of %d", name, len(shape), MaxRank)
	}
	rec.shape = make([]int, len(shape))
	for i, d := range shape {
		if d > maxDim || d > math.MaxInt {
			return rec, fmt.Errorf("tensor %q: dimension %d exceeds the cap of %d", name, d, uint64(maxDim))
		}
		rec.shape[i] = int(d)
	}
	var offsets []uint64
	if err := json.Unmarshal(off, &offsets); err != nil || len(offsets) != 2 {
		return rec, fmt.Errorf("tensor %q: data_offsets must be two non-negative integers", name)
	}
	if offsets[0] > offsets[1] {
		return rec, fmt.Errorf("tensor %q: data_offsets [%d, %d] end before they begin", name, offsets[0], offsets[1])
	}
	if offsets[1] > math.MaxInt64 {
		return rec, fmt.Errorf("tensor %q: data_offsets [%d, %d] are out of range", name, offsets[0], offsets[1])
	}
	rec.begin, rec.end = int64(offsets[0]), int64(offsets[1])
	numel, ok := numElements(rec.shape)
	var nbytes uint64
	if ok {
		nbytes, ok = checkedMul(numel, uint64(size))
	}
	if !ok {
		return rec, fmt.Errorf("tensor %q: shape %v × %d bytes overflows", name, rec.shape, size)
	}
	if nbytes != offsets[1]-offsets[0] {
		return rec, fmt.Errorf("tensor %q: shape %v of %s needs %d bytes but data_offsets [%d, %d] span %d",
			name, rec.shape, rec.dtype, nbytes, offsets[0], offsets[1], offsets[1]-offsets[0])
	}
	return rec, nil
}
