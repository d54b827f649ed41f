package integrity_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/integrity"
)

// converted converts a bundled model (with the small test tokenizer copied
// in, so the header has a vocabulary) and returns the file's bytes.
func converted(t *testing.T, model string) []byte {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "golden", "models", model)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		copyFile(t, filepath.Join(src, e.Name()), filepath.Join(dir, e.Name()))
	}
	copyFile(t, filepath.Join("..", "..", "tokenizer", "testdata", "small_tokenizer.json"), filepath.Join(dir, "tokenizer.json"))
	out := filepath.Join(t.TempDir(), "out.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func parse(t *testing.T, data []byte) *gguf.File {
	t.Helper()
	f, err := gguf.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestConvertedFilesCheck(t *testing.T) {
	for _, model := range []string{"tiny_a", "tiny_b"} {
		data := converted(t, model)
		f := parse(t, data)
		probs, err := integrity.Check(f)
		if err != nil || len(probs) != 0 {
			t.Fatalf("%s: Check = %v, %v", model, probs, err)
		}
		sums, err := f.Strings(integrity.KeyTensors)
		if err != nil || len(sums) != len(f.Tensors()) {
			t.Fatalf("%s: %d digests for %d tensors (%v)", model, len(sums), len(f.Tensors()), err)
		}
		if h, _ := f.String(integrity.KeyHeader); len(h) != 64 || strings.Trim(h, "0") == "" {
			t.Fatalf("%s: header digest %q", model, h)
		}
	}
}

// sealed writes a file with odd-sized tensors (so that there is padding
// between them) through Declare and Seal, into a real file as convert does.
func sealed(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sealed.gguf")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	bw := bufio.NewWriter(out)
	w := gguf.NewWriter(bw)
	must(t, w.AddKV(gguf.KeyArchitecture, gguf.String("test")))
	must(t, w.AddKV("test.note", gguf.String("odd sizes")))
	sizes := []uint64{3, 5, 8, 1, 13}
	for i, n := range sizes {
		must(t, w.AddTensor(fmt.Sprintf("t%d", i), gguf.TypeF32, []uint64{n}))
	}
	must(t, integrity.Declare(w, len(sizes)))
	must(t, w.WriteHeader())
	var sums [][sha256.Size]byte
	for i, n := range sizes {
		d := make([]byte, 4*n)
		for j := range d {
			d[j] = byte(7*i + 3*j + 1)
		}
		must(t, w.WriteTensor(fmt.Sprintf("t%d", i), d))
		sums = append(sums, sha256.Sum256(d))
	}
	must(t, w.Finish())
	must(t, bw.Flush())
	must(t, integrity.Seal(out, w, sums))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSingleByteFlips flips one byte at random positions all over a
// converted file (tiny_b with a tokenizer), header included, and over a
// file with padding between tensors, plus each checksum value and every
// padding run: each flip is caught, by the parser or by Check, and a flip
// inside a tensor's data is attributed to that tensor alone.
func TestSingleByteFlips(t *testing.T) {
	kinds := map[string]int{}
	r := rand.New(rand.NewPCG(7, 11))
	for _, file := range []struct {
		name string
		data []byte
	}{{"tiny_b", converted(t, "tiny_b")}, {"odd sizes", sealed(t)}} {
		data := file.data
		f := parse(t, data)
		if probs, err := integrity.Check(f); err != nil || len(probs) != 0 {
			t.Fatalf("%s: intact file: %v, %v", file.name, probs, err)
		}
		tensors := f.Tensors()
		inTensor := func(pos uint64) string {
			for _, ti := range tensors {
				if pos >= ti.Offset && pos < ti.Offset+ti.Size {
					return ti.Name
				}
			}
			return ""
		}
		var positions []uint64
		for range 25 { // the header
			positions = append(positions, r.Uint64N(f.DataOffset()))
		}
		for range 25 { // anywhere
			positions = append(positions, r.Uint64N(uint64(len(data))))
		}
		for _, key := range []string{integrity.KeyHeader, integrity.KeyTensors} {
			off, _ := f.ValueOffset(key)
			positions = append(positions, off+20)
		}
		for _, ti := range tensors {
			if end := ti.Offset + ti.Size; end%uint64(f.Alignment()) != 0 {
				positions = append(positions, end, end+(uint64(f.Alignment())-end%uint64(f.Alignment()))-1)
			}
		}
		for _, pos := range positions {
			c := bytes.Clone(data)
			c[pos] ^= byte(1 + r.IntN(255))
			g, err := gguf.Parse(c)
			if err != nil {
				kinds["parser"]++
				continue
			}
			probs, err := integrity.Check(g)
			if err != nil {
				t.Fatalf("%s: flip at %d: Check: %v", file.name, pos, err)
			}
			if len(probs) == 0 {
				t.Fatalf("%s: flip at %d (tensor %q) not detected", file.name, pos, inTensor(pos))
			}
			if name := inTensor(pos); name != "" {
				if len(probs) != 1 || probs[0].Region != integrity.Tensor || probs[0].Tensor != name {
					t.Fatalf("%s: flip at %d in %s reported as %v", file.name, pos, name, probs)
				}
			}
			for _, p := range probs {
				if p.Region != integrity.Tensor && (pos < p.Offset || pos >= p.End) {
					t.Errorf("%s: flip at %d reported at bytes %d..%d: %v", file.name, pos, p.Offset, p.End, p)
				}
			}
			kinds[probs[0].Region.String()]++
		}
	}
	t.Logf("caught: %v", kinds)
	if kinds["padding"] == 0 || kinds["metadata"] == 0 || kinds["tensor"] == 0 || kinds["parser"] == 0 {
		t.Errorf("some regions never hit: %v", kinds)
	}
}

// rewrite writes f back with the Writer, without the keys in drop.
func rewrite(t *testing.T, f *gguf.File, drop ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gguf.Rewrite(f, &buf, func(kv gguf.KV) (gguf.KV, bool) { return kv, !contains(drop, kv.Key) }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func contains(a []string, s string) bool {
	for _, x := range a {
		if x == s {
			return true
		}
	}
	return false
}

func TestNoChecksums(t *testing.T) {
	f := parse(t, converted(t, "tiny_a"))
	bare := parse(t, rewrite(t, f, integrity.KeyHeader, integrity.KeyTensors))
	probs, err := integrity.Check(bare)
	if !errors.Is(err, integrity.ErrNoChecksums) || probs != nil {
		t.Fatalf("Check of a file without checksums = %v, %v", probs, err)
	}
}

func TestBrokenChecksumKeys(t *testing.T) {
	f := parse(t, converted(t, "tiny_a"))
	for _, key := range []string{integrity.KeyHeader, integrity.KeyTensors} {
		probs, err := integrity.Check(parse(t, rewrite(t, f, key)))
		if err != nil || len(probs) == 0 || probs[len(probs)-1].Region != integrity.Metadata || !strings.Contains(probs[len(probs)-1].Msg, key+" is missing") {
			t.Errorf("without %s: %v, %v", key, probs, err)
		}
	}
	// Rewriting keeps the header byte for byte, so the digests still hold.
	if probs, err := integrity.Check(parse(t, rewrite(t, f))); err != nil || len(probs) != 0 {
		t.Errorf("identical rewrite: %v, %v", probs, err)
	}
	// Trailing bytes and a missing end of padding.
	data := rewrite(t, f)
	for _, c := range [][]byte{append(bytes.Clone(data), 0, 0, 0, 0), data[:len(data)-1]} {
		g, err := gguf.Parse(c)
		if err != nil {
			continue
		}
		probs, err := integrity.Check(g)
		if err != nil || len(probs) != 1 || probs[0].Region != integrity.Padding {
			t.Errorf("file of %d bytes (want %d): %v, %v", len(c), len(data), probs, err)
		}
	}
}

func TestSealErrors(t *testing.T) {
	w := gguf.NewWriter(&bytes.Buffer{})
	if err := integrity.Seal(nil, w, nil); err == nil || !strings.Contains(err.Error(), "Declare") {
		t.Errorf("Seal before WriteHeader: %v", err)
	}
}
