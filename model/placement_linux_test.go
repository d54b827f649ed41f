package model

import (
	"path/filepath"
	"testing"
	"unsafe"
)

// TestAutoReadsSmallPageFile: a file cached in 4 KiB folios (written 4
// KiB at a time) cannot be mapped with huge pages, so LoadAuto reads it.
func TestAutoReadsSmallPageFile(t *testing.T) {
	if !anonHugePages() {
		t.Skip("transparent huge pages are off: LoadAuto keeps every mapping")
	}
	data := bigSample(t)
	path := filepath.Join(t.TempDir(), "small.gguf")
	writeInChunks(t, path, data, 4096)
	f, _, err := openFile(path, LoadAuto)
	must(t, err)
	defer f.Close()
	if f.Mapped() {
		t.Fatal("a file cached in small pages was mapped")
	}
	checkBig(t, f, data)
}

// TestAutoMapsHugeFolioFile: a file written in aligned 2 MiB chunks (as
// convert writes) is mapped in place, with huge pages.
func TestAutoMapsHugeFolioFile(t *testing.T) {
	if !anonHugePages() {
		t.Skip("transparent huge pages are off")
	}
	data := bigSample(t)
	path := filepath.Join(t.TempDir(), "huge.gguf")
	writeInChunks(t, path, data, hugePage)
	f, _, err := openFile(path, LoadAuto)
	must(t, err)
	defer f.Close()
	if !f.Mapped() {
		// Filesystems without large folios (tmpfs with huge=never, older
		// ext4) cache everything in small pages.
		t.Skipf("the filesystem of %s does not cache this file in 2 MiB folios", path)
	}
	big, err := f.TensorData("big") // at offset 0 of the data section
	must(t, err)
	base := uintptr(unsafe.Pointer(unsafe.SliceData(big))) - uintptr(f.DataOffset())
	kb, err := filePmdMappedKB(base)
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
