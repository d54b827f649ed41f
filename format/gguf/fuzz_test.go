package gguf

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// rewrite writes f back out with the Writer: same keys in the same order,
// same tensors in file order, same data.
func rewrite(t *testing.T, f *File) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, kv := range f.KVs() {
		var err error
		if kv.Key == KeyAlignment {
			err = w.SetAlignment(f.Alignment()) // the parser accepts any integer type
		} else {
			err = w.AddKV(kv.Key, kv.Value)
		}
		if err != nil {
			t.Fatalf("parsed key %q rejected by the writer: %v", kv.Key, err)
		}
	}
	for _, ti := range f.Tensors() {
		if err := w.AddTensor(ti.Name, ti.Type, ti.Dims); err != nil {
			t.Fatalf("parsed tensor rejected by the writer: %v", err)
		}
	}
	must(t, w.WriteHeader())
	for _, ti := range f.Tensors() {
		d, err := f.TensorData(ti.Name)
		must(t, err)
		must(t, w.WriteTensor(ti.Name, d))
	}
	must(t, w.Finish())
	return buf.Bytes()
}

// corpusDir holds the repository's bad-input corpus (package reliability),
// whose GGUF files are converted micro models, intact or broken one way
// each: realistic seeds.
const corpusDir = "../../testdata/bad/gguf"

// corpusFiles returns the corpus's GGUF files.
func corpusFiles(f *testing.F) map[string][]byte {
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.gguf"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed files in %s (%v): run go test ./reliability -update", corpusDir, err)
	}
	out := make(map[string][]byte, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// FuzzParse checks that Parse never panics, fails only with *FormatError
// carrying a class, and that whatever it accepts is self-consistent and
// survives a rewrite: writing a parsed file, parsing it and writing it again
// gives the same bytes. Seeds: every file of the bad-input corpus, and
// hand-made samples covering every value type.
func FuzzParse(f *testing.F) {
	files := corpusFiles(f)
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		f.Add(files[name])
	}
	sample := writeSample(f, 0)
	f.Add(sample)
	f.Add(writeSample(f, 64))
	f.Add(header(0, 0).b)
	f.Add(header(1, 1).kvU32(KeyAlignment, 8).tensor("t", []uint64{4, 2}, TypeI2_S, 0).data(34).b)
	f.Add(header(2, 0).tensor("b", []uint64{8}, TypeF32, 64).tensor("a", []uint64{8}, TypeF32, 0).data(96).b)
	f.Add(header(0, 1).str("k").u32(9).u32(8).u64(2).str("ok").str("").b)
	// Corrupted variants: flipped bytes in the header and truncations.
	for _, at := range []int{4, 8, 16, 24, 40, 100, 300, 600} {
		if at < len(sample) {
			c := bytes.Clone(sample)
			c[at] ^= 0xff
			f.Add(c)
		}
	}
	for _, n := range []int{3, 23, 50, len(sample) / 2, len(sample) - 1} {
		f.Add(sample[:n])
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FormatError: %v", err, err)
			}
			if fe.Err == nil {
				t.Fatalf("error without a class: %v", err)
			}
			if fe.Offset > uint64(len(data)) {
				t.Fatalf("error offset %d beyond input length %d: %v", fe.Offset, len(data), err)
			}
			return
		}
		align := uint64(file.Alignment())
		for _, ti := range file.Tensors() {
			if ti.Offset%align != 0 || ti.Offset < file.DataOffset() || ti.Offset+ti.Size > uint64(len(data)) {
				t.Fatalf("tensor %q: bad placement %d+%d in %d bytes", ti.Name, ti.Offset, ti.Size, len(data))
			}
			d, err := file.TensorData(ti.Name)
			if err != nil || uint64(len(d)) != ti.Size {
				t.Fatalf("TensorData(%q): %d bytes, %v", ti.Name, len(d), err)
			}
		}
		once := rewrite(t, file)
		again, err := Parse(once)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v", err)
		}
		if len(again.KVs()) != len(file.KVs()) || len(again.Tensors()) != len(file.Tensors()) {
			t.Fatalf("rewrite changed counts")
		}
		if twice := rewrite(t, again); !bytes.Equal(once, twice) {
			t.Fatalf("rewrite is not stable")
		}
	})
}

// FuzzParseCorrupt flips bits in one 8-byte window of a valid file, which
// reaches lying lengths, counts, dimensions, types and offsets deep in the
// header far more often than FuzzParse's free-form mutations do. The valid
// files are a converted micro model with a tokenizer (the corpus's
// valid.gguf) and the hand-made sample with every value type.
func FuzzParseCorrupt(f *testing.F) {
	samples := [][]byte{corpusFiles(f)["valid.gguf"], writeSample(f, 0)}
	if samples[0] == nil {
		f.Fatalf("no valid.gguf in %s", corpusDir)
	}
	for i, s := range samples {
		f.Add(uint8(i), uint32(16), uint64(1))
		f.Add(uint8(i), uint32(40), uint64(0xff))
		f.Add(uint8(i), uint32(len(s)-200), uint64(1<<40))
	}
	f.Fuzz(func(t *testing.T, which uint8, off uint32, xor uint64) {
		sample := samples[int(which)%len(samples)]
		data := bytes.Clone(sample)
		at := int(off % uint32(len(data)))
		for k := 0; k < 8 && at+k < len(data); k++ {
			data[at+k] ^= byte(xor >> (8 * k))
		}
		file, err := Parse(data)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FormatError: %v", err, err)
			}
			return
		}
		once := rewrite(t, file)
		again, err := Parse(once)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v", err)
		}
		if twice := rewrite(t, again); !bytes.Equal(once, twice) {
			t.Fatalf("rewrite is not stable")
		}
	})
}
