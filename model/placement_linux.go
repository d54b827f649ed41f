package model

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

const (
	hugePage          = 2 << 20
	madvPopulateRead  = 22 // MADV_POPULATE_READ, Linux 5.14
	hugeProbeWindows  = 3
	minHugeProbeBytes = 4 * hugePage
)

// hugeMapped reports whether the kernel maps the file mapping b (from
// mmapFile) with 2 MiB pages. It faults in three 2 MiB-aligned windows
// (start, middle, end) and reads the mapping's FilePmdMapped line in
// /proc/self/smaps. Linux maps a file with huge pages when its page cache
// holds 2 MiB folios: files written in aligned 2 MiB chunks (convert's
// output) or first read through a mapping advised MADV_HUGEPAGE (this
// one). A file cached in small pages (copied by cp, say) is not.
func hugeMapped(b []byte) bool {
	if !anonHugePages() {
		return true // a copy would sit in 4 KiB pages too: keep the mapping
	}
	base := uintptr(unsafePointer(b))
	first := (base + hugePage - 1) &^ (hugePage - 1)
	end := base + uintptr(len(b))
	if len(b) < minHugeProbeBytes || first+hugePage > end {
		return false
	}
	windows := (end - first) / hugePage
	for i := range uintptr(hugeProbeWindows) {
		off := first + i*(windows-1)/(hugeProbeWindows-1)*hugePage - base
		fault(b[off : off+hugePage])
	}
	kb, err := filePmdMappedKB(base)
	return err == nil && kb >= hugeProbeWindows*hugePage>>10
}

// anonHugePages reports whether anonymous memory advised MADV_HUGEPAGE can
// get transparent huge pages (the kernel has them and they are not "never").
func anonHugePages() bool {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && !bytes.Contains(mode, []byte("[never]"))
}

// fault maps w in: MADV_POPULATE_READ, or a read per 4 KiB page where the
// kernel is older.
func fault(w []byte) {
	if syscall.Madvise(w, madvPopulateRead) == nil {
		return
	}
	var sink byte
	for i := 0; i < len(w); i += 4096 {
		sink += w[i]
	}
	faultSink = sink
}

// faultSink keeps fault's reads from being optimized away.
//
//lint:ignore U1000 written only, on purpose
var faultSink byte

// filePmdMappedKB returns the FilePmdMapped figure of the mapping that
// starts at addr, from /proc/self/smaps.
func filePmdMappedKB(addr uintptr) (int, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	head := []byte(strconv.FormatUint(uint64(addr), 16) + "-")
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if isSmapsHeader(line) {
			in = bytes.HasPrefix(line, head)
			continue
		}
		if in && bytes.HasPrefix(line, []byte("FilePmdMapped:")) {
			fields := bytes.Fields(line)
			if len(fields) < 2 {
				break
			}
			return strconv.Atoi(string(fields[1]))
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no FilePmdMapped for mapping %#x in /proc/self/smaps", addr)
}

// isSmapsHeader reports whether line starts a mapping ("start-end perms
// ..."), not a "Key: value" line.
func isSmapsHeader(line []byte) bool {
	i := bytes.IndexByte(line, ' ')
	return i > 0 && bytes.IndexByte(line[:i], '-') > 0 && bytes.IndexByte(line[:i], ':') < 0
}

func unsafePointer(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }
