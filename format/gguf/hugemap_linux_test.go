package gguf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// bigSample is a valid GGUF file of about 12 MiB (one I8 tensor), big
// enough for OpenAuto to probe.
func bigSample(t *testing.T) []byte {
	t.Helper()
	const n = 12 << 20
	r := header(1, 1).kvU32("general.alignment", 32).tensor("big", []uint64{n}, TypeI8, 0).data(n)
	for i := len(r.b) - n; i < len(r.b); i++ {
		r.b[i] = byte(i * 31)
	}
	return r.b
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

func checkBig(t *testing.T, f *File, data []byte) {
	t.Helper()
	got, err := f.TensorData("big")
	must(t, err)
	if !bytes.Equal(got, data[len(data)-len(got):]) {
		t.Fatal("tensor data differs from the file")
	}
}

// TestOpenAutoReadsSmallPageFile: a file cached in 4 KiB folios (written 4
// KiB at a time) cannot be mapped with huge pages, so OpenAuto reads it.
func TestOpenAutoReadsSmallPageFile(t *testing.T) {
	if !anonHugePages() {
		t.Skip("transparent huge pages are off: OpenAuto keeps every mapping")
	}
	data := bigSample(t)
	path := filepath.Join(t.TempDir(), "small.gguf")
	writeInChunks(t, path, data, 4096)
	f, err := OpenAuto(path)
	must(t, err)
	defer f.Close()
	if f.Mapped() {
		t.Fatal("a file cached in small pages was mapped")
	}
	checkBig(t, f, data)
}

// TestOpenAutoMapsHugeFolioFile: a file written in aligned 2 MiB chunks
// (as convert writes) is mapped in place, with huge pages.
func TestOpenAutoMapsHugeFolioFile(t *testing.T) {
	if !anonHugePages() {
		t.Skip("transparent huge pages are off")
	}
	data := bigSample(t)
	path := filepath.Join(t.TempDir(), "huge.gguf")
	writeInChunks(t, path, data, hugePage)
	f, err := OpenAuto(path)
	must(t, err)
	defer f.Close()
	if !f.Mapped() {
		// Filesystems without large folios (tmpfs with huge=never, older
		// ext4) cache everything in small pages.
		t.Skipf("the filesystem of %s does not cache this file in 2 MiB folios", path)
	}
	kb, err := filePmdMappedKB(uintptr(unsafePointer(f.data)))
	must(t, err)
	if kb < hugeProbeWindows*hugePage>>10 {
		t.Fatalf("mapped with %d kB in huge pages, want ≥ %d", kb, hugeProbeWindows*hugePage>>10)
	}
	checkBig(t, f, data)
}

func TestIsSmapsHeader(t *testing.T) {
	for line, want := range map[string]bool{
		"7f111ae00000-7f1151a00000 r--s 00000000 fd:00 123 /tmp/m.gguf": true,
		"FilePmdMapped:     858112 kB":                                  false,
		"VmFlags: rd sh mr mw me ms sd hg":                              false,
		"":                                                              false,
	} {
		if got := isSmapsHeader([]byte(line)); got != want {
			t.Errorf("isSmapsHeader(%q) = %v", line, got)
		}
	}
}
