package model

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/format/gguf"
)

// bigSample is a valid GGUF file of about 12 MiB (one I8 tensor "big"),
// big enough for LoadAuto to probe.
func bigSample(t *testing.T) []byte {
	t.Helper()
	const n = 12 << 20
	var buf bytes.Buffer
	w := gguf.NewWriter(&buf)
	must(t, w.AddKV(gguf.KeyArchitecture, gguf.String("test")))
	must(t, w.AddTensor("big", gguf.TypeI8, []uint64{n}))
	must(t, w.WriteHeader())
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i * 31)
	}
	must(t, w.WriteTensor("big", data))
	return buf.Bytes()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// writeInChunks writes data to a new file with writes of chunk bytes and
// syncs it.
func writeInChunks(t *testing.T, path string, data []byte, chunk int) {
	t.Helper()
	f, err := os.Create(path)
	must(t, err)
	for off := 0; off < len(data); off += chunk {
		_, err := f.Write(data[off:min(off+chunk, len(data))])
		must(t, err)
	}
	must(t, f.Sync())
	must(t, f.Close())
}

func checkBig(t *testing.T, f *gguf.File, data []byte) {
	t.Helper()
	got, err := f.TensorData("big")
	must(t, err)
	if !bytes.Equal(got, data[len(data)-len(got):]) {
		t.Fatal("tensor data differs from the file")
	}
}

// simulate replaces the placement's view of the system for one test.
func simulate(t *testing.T, avail uint64, huge bool) {
	prevAvail, prevHuge := availableMemory, isHugeMapped
	availableMemory = func() (uint64, bool) { return avail, true }
	isHugeMapped = func([]byte) bool { return huge }
	t.Cleanup(func() { availableMemory, isHugeMapped = prevAvail, prevHuge })
}

// TestAutoKeepsMappingWhenCopyDoesNotFit: a file whose mapping lacks huge
// pages but that is larger than the memory available stays mapped, with a
// note, instead of being read (the load that ran out of memory).
func TestAutoKeepsMappingWhenCopyDoesNotFit(t *testing.T) {
	data := bigSample(t)
	path := filepath.Join(t.TempDir(), "m.gguf")
	writeInChunks(t, path, data, 1<<20)
	simulate(t, uint64(len(data))/2, false)
	f, note, err := openFile(path, LoadAuto)
	must(t, err)
	defer f.Close()
	if !f.Mapped() {
		t.Fatal("a file larger than the memory available was read into memory")
	}
	if !strings.Contains(note, "stays mapped") || !strings.Contains(note, "available") {
		t.Fatalf("note = %q, want one saying the mapping stays and why", note)
	}
	checkBig(t, f, data)

	// With enough memory, the same file is read into memory, silently.
	simulate(t, uint64(len(data))*2, false)
	g, note, err := openFile(path, LoadAuto)
	must(t, err)
	defer g.Close()
	if g.Mapped() || note != "" {
		t.Fatalf("mapped %v, note %q: want read into memory, no note", g.Mapped(), note)
	}
	checkBig(t, g, data)

	// A mapping with huge pages is kept whatever the memory.
	simulate(t, uint64(len(data))*2, true)
	h, note, err := openFile(path, LoadAuto)
	must(t, err)
	defer h.Close()
	if !h.Mapped() || note != "" {
		t.Fatalf("mapped %v, note %q: want mapped, no note", h.Mapped(), note)
	}
}

// TestMemoryModeRefusesWhatCannotFit: --no-mmap on a file larger than the
// memory available is an error naming both sizes, not an allocator crash.
func TestMemoryModeRefusesWhatCannotFit(t *testing.T) {
	data := bigSample(t)
	path := filepath.Join(t.TempDir(), "m.gguf")
	must(t, os.WriteFile(path, data, 0o644))
	simulate(t, 1<<20, true)
	_, _, err := openFile(path, LoadMemory)
	if err == nil || !strings.Contains(err.Error(), "1048576") || !strings.Contains(err.Error(), "needs") {
		t.Fatalf("err = %v, want one naming the size and the memory available", err)
	}
	// LoadMap does not need the memory.
	f, note, err := openFile(path, LoadMap)
	must(t, err)
	defer f.Close()
	if !f.Mapped() || note != "" {
		t.Fatalf("mapped %v, note %q", f.Mapped(), note)
	}
}

func TestOpenFileRejectsNonRegular(t *testing.T) {
	if _, _, err := openFile(t.TempDir(), LoadAuto); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v", err)
	}
}
