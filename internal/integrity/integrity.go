package integrity

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/bitnet-go/bitnet/format/gguf"
)

// Metadata keys of the checksums.
const (
	KeyTensors = "bitnet-go.sha256.tensors"
	KeyHeader  = "bitnet-go.sha256.header"
)

// digits is the length of a hex SHA-256.
const digits = 2 * sha256.Size

var placeholder = strings.Repeat("0", digits)

// ErrNoChecksums is returned by Check for a file that carries neither
// checksum key (one not written by package convert, or by an older version).
var ErrNoChecksums = errors.New("no checksums")

// Declare adds the checksum keys to w, with placeholder values, for a file
// of tensors tensors (the number of AddTensor calls). Call it before
// WriteHeader; putting the keys after every other key keeps the file's
// other offsets what they would be without checksums.
func Declare(w *gguf.Writer, tensors int) error {
	if err := w.AddKV(KeyTensors, gguf.Strings(slices.Repeat([]string{placeholder}, tensors))); err != nil {
		return err
	}
	return w.AddKV(KeyHeader, gguf.String(placeholder))
}

// ReadWriterAt is a file that can be patched in place: *os.File.
type ReadWriterAt interface {
	io.ReaderAt
	io.WriterAt
}

// Seal writes the checksums into f, the output of w: the tensor digests
// (sums, the SHA-256 of each tensor's data in the order the tensors were
// added) first, then the header digest, computed from f's header bytes.
// Call it after w.Finish, once everything w wrote has reached f (any
// buffering in between flushed). It checks that the placeholders are where
// w put them before overwriting anything.
func Seal(f ReadWriterAt, w *gguf.Writer, sums [][sha256.Size]byte) error {
	tOff, err := w.ValueOffset(KeyTensors)
	if err != nil {
		return fmt.Errorf("integrity: %w (call Declare before WriteHeader)", err)
	}
	hOff, err := w.ValueOffset(KeyHeader)
	if err != nil {
		return fmt.Errorf("integrity: %w (call Declare before WriteHeader)", err)
	}
	dataOff, err := w.DataOffset()
	if err != nil {
		return fmt.Errorf("integrity: %w", err)
	}
	// The array: element type (4 bytes), count (8), then per element a
	// length (8) and the digits.
	var le [12]byte
	if _, err := f.ReadAt(le[:], int64(tOff)); err != nil {
		return fmt.Errorf("integrity: reading back %s: %w", KeyTensors, err)
	}
	if et := gguf.ValueType(binary.LittleEndian.Uint32(le[:4])); et != gguf.ValueTypeString {
		return fmt.Errorf("integrity: %s is an array of %s, want STRING", KeyTensors, et)
	}
	if got := binary.LittleEndian.Uint64(le[4:]); got != uint64(len(sums)) {
		return fmt.Errorf("integrity: %s holds %d placeholders for %d tensor digests", KeyTensors, got, len(sums))
	}
	for i, s := range sums {
		at := tOff + 12 + uint64(i)*(8+digits) + 8
		if err := patch(f, at, s, KeyTensors); err != nil {
			return err
		}
	}
	sum, err := headerDigest(f, dataOff, hOff+8)
	if err != nil {
		return err
	}
	return patch(f, hOff+8, sum, KeyHeader)
}

// patch overwrites the placeholder at off with the hex digits of sum.
func patch(f ReadWriterAt, off uint64, sum [sha256.Size]byte, key string) error {
	var cur [digits]byte
	if _, err := f.ReadAt(cur[:], int64(off)); err != nil {
		return fmt.Errorf("integrity: reading back %s: %w", key, err)
	}
	if string(cur[:]) != placeholder {
		return fmt.Errorf("integrity: %s: no placeholder at byte %d", key, off)
	}
	var hx [digits]byte
	hex.Encode(hx[:], sum[:])
	if _, err := f.WriteAt(hx[:], int64(off)); err != nil {
		return fmt.Errorf("integrity: writing %s: %w", key, err)
	}
	return nil
}

// headerDigest hashes bytes [0, end) of r with the digits at self read as
// '0' (self is the header digest's own value).
func headerDigest(r io.ReaderAt, end, self uint64) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	if self+digits > end {
		return sum, fmt.Errorf("integrity: %s value at byte %d lies outside the header (%d bytes)", KeyHeader, self, end)
	}
	h := sha256.New()
	copyRange := func(from, to uint64) error {
		_, err := io.Copy(h, io.NewSectionReader(r, int64(from), int64(to-from)))
		return err
	}
	if err := copyRange(0, self); err != nil {
		return sum, fmt.Errorf("integrity: reading the header: %w", err)
	}
	h.Write([]byte(placeholder))
	if err := copyRange(self+digits, end); err != nil {
		return sum, fmt.Errorf("integrity: reading the header: %w", err)
	}
	h.Sum(sum[:0])
	return sum, nil
}

// Region says which part of a file a Problem is in.
type Region int

const (
	// Metadata is the header: keys and values, tensor infos and the
	// padding before the data section, including the checksum keys.
	Metadata Region = iota
	// Tensor is one tensor's data.
	Tensor
	// Padding is the zero bytes between tensors' data and after the last.
	Padding
)

func (r Region) String() string {
	switch r {
	case Metadata:
		return "metadata"
	case Tensor:
		return "tensor"
	case Padding:
		return "padding"
	}
	return fmt.Sprintf("Region(%d)", int(r))
}

// Problem is one piece of corruption Check found.
type Problem struct {
	Region Region
	// Tensor is the tensor whose data (Region Tensor) is corrupt, or whose
	// trailing padding (Region Padding) is not zero; "" for Metadata, and
	// for padding before the first tensor.
	Tensor string
	// Offset and End delimit the bytes that failed the check.
	Offset, End uint64
	Msg         string
}

// Name is what the problem is in: the tensor's name, "metadata", or
// "padding after TENSOR".
func (p Problem) Name() string {
	switch {
	case p.Region == Tensor:
		return p.Tensor
	case p.Region == Padding && p.Tensor != "":
		return "padding after " + p.Tensor
	}
	return p.Region.String()
}

func (p Problem) String() string {
	return fmt.Sprintf("%s (bytes %d..%d): %s", p.Name(), p.Offset, p.End, p.Msg)
}

// Check recomputes every checksum of f and checks its padding, and returns
// what does not match: nil when the file is intact. It returns
// ErrNoChecksums (and no problems) when the file has neither checksum key;
// one key without the other, or a malformed checksum value, is a Metadata
// problem. A flipped byte anywhere in a sealed file is reported: in a
// tensor's data as that tensor (and only it), in the header as Metadata,
// in padding as Padding. Tensors are hashed in parallel. The error is for
// failures to read f (closed), not for corruption.
func Check(f *gguf.File) ([]Problem, error) {
	tv, hasT := f.Get(KeyTensors)
	hv, hasH := f.Get(KeyHeader)
	if !hasT && !hasH {
		return nil, ErrNoChecksums
	}
	var probs []Problem
	metadata := func(format string, args ...any) {
		probs = append(probs, Problem{Region: Metadata, End: f.DataOffset(), Msg: fmt.Sprintf(format, args...)})
	}

	// The header.
	if !hasH {
		metadata("key %s is missing (but %s is present)", KeyHeader, KeyTensors)
	} else if want, err := parseDigest(hv); err != nil {
		metadata("%s: %v", KeyHeader, err)
	} else {
		self, _ := f.ValueOffset(KeyHeader)
		got, err := headerDigest(f, f.DataOffset(), self+8)
		if err != nil {
			return nil, err
		}
		if got != want {
			metadata("header checksum mismatch: SHA-256 %x, %s records %x", got, KeyHeader, want)
		}
	}

	// The tensors.
	tensors := f.Tensors()
	var want [][sha256.Size]byte
	if !hasT {
		metadata("key %s is missing (but %s is present)", KeyTensors, KeyHeader)
	} else if a, ok := tv.Interface().([]string); !ok {
		metadata("%s has type %s, want ARRAY of STRING", KeyTensors, tv.Type())
	} else if len(a) != len(tensors) {
		metadata("%s holds %d digests for %d tensors", KeyTensors, len(a), len(tensors))
	} else {
		for i, s := range a {
			d, err := parseDigest(gguf.String(s))
			if err != nil {
				metadata("%s element %d (tensor %s): %v", KeyTensors, i, tensors[i].Name, err)
				want = nil
				break
			}
			want = append(want, d)
		}
	}
	if want != nil {
		got, err := hashTensors(f, tensors)
		if err != nil {
			return nil, err
		}
		for i, t := range tensors {
			if got[i] != want[i] {
				probs = append(probs, Problem{Region: Tensor, Tensor: t.Name, Offset: t.Offset, End: t.Offset + t.Size,
					Msg: fmt.Sprintf("data checksum mismatch: SHA-256 %x, %s records %x", got[i], KeyTensors, want[i])})
			}
		}
	}

	pad, err := checkPadding(f, tensors)
	if err != nil {
		return nil, err
	}
	return append(probs, pad...), nil
}

// parseDigest reads a 64-digit lowercase hex STRING.
func parseDigest(v gguf.Value) ([sha256.Size]byte, error) {
	var d [sha256.Size]byte
	s, ok := v.Interface().(string)
	if !ok {
		return d, fmt.Errorf("type %s, want STRING", v.Type())
	}
	if len(s) != digits {
		return d, fmt.Errorf("%d characters, want %d hex digits", len(s), digits)
	}
	if strings.ToLower(s) != s {
		return d, fmt.Errorf("%q is not lowercase hex", s)
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return d, fmt.Errorf("%q is not hex: %v", s, err)
	}
	return d, nil
}

// hashTensors returns the SHA-256 of every tensor's data, hashing on up to
// GOMAXPROCS goroutines.
func hashTensors(f *gguf.File, tensors []gguf.TensorInfo) ([][sha256.Size]byte, error) {
	sums := make([][sha256.Size]byte, len(tensors))
	errs := make([]error, len(tensors))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(tensors)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := f.TensorData(tensors[i].Name)
				if err != nil {
					errs[i] = err
					continue
				}
				sums[i] = sha256.Sum256(d)
			}
		}()
	}
	for i := range tensors {
		next <- i
	}
	close(next)
	wg.Wait()
	return sums, errors.Join(errs...)
}

// checkPadding checks that every byte of the data section outside the
// tensors is zero and that the file ends at the last tensor's aligned end.
func checkPadding(f *gguf.File, tensors []gguf.TensorInfo) ([]Problem, error) {
	slices.SortFunc(tensors, func(a, b gguf.TensorInfo) int {
		switch {
		case a.Offset < b.Offset:
			return -1
		case a.Offset > b.Offset:
			return 1
		}
		return 0
	})
	align := uint64(f.Alignment())
	var probs []Problem
	pos, prev := f.DataOffset(), ""
	gap := func(end uint64) error {
		if end <= pos {
			return nil
		}
		b := make([]byte, end-pos)
		if _, err := f.ReadAt(b, int64(pos)); err != nil {
			return err
		}
		if i := firstNonZero(b); i >= 0 {
			probs = append(probs, Problem{Region: Padding, Tensor: prev, Offset: pos, End: end,
				Msg: fmt.Sprintf("padding is not zero (byte %d is %#02x)", pos+uint64(i), b[i])})
		}
		return nil
	}
	for _, t := range tensors {
		if err := gap(t.Offset); err != nil {
			return nil, err
		}
		pos, prev = t.Offset+t.Size, t.Name
	}
	end := (pos + align - 1) / align * align
	if len(tensors) == 0 {
		end = f.DataOffset()
	}
	if err := gap(min(end, f.Size())); err != nil {
		return nil, err
	}
	if f.Size() != end {
		probs = append(probs, Problem{Region: Padding, Tensor: prev, Offset: min(end, f.Size()), End: max(end, f.Size()),
			Msg: fmt.Sprintf("file is %d bytes, want %d (the last tensor's data padded to the alignment %d)", f.Size(), end, align)})
	}
	return probs, nil
}

func firstNonZero(b []byte) int {
	for i, c := range b {
		if c != 0 {
			return i
		}
	}
	return -1
}
