package convert

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fullDisk accepts limit bytes, then fails every write with ENOSPC, as a
// full file system does.
type fullDisk struct {
	w     io.Writer
	limit int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if len(p) <= d.limit {
		d.limit -= len(p)
		return d.w.Write(p)
	}
	n, _ := d.w.Write(p[:d.limit])
	d.limit = 0
	return n, syscall.ENOSPC
}

// TestDiskFull converts with the output failing after N bytes: the error
// names the output and the cause, matches syscall.ENOSPC, and nothing is
// left behind; a previous file (with Force) is untouched.
func TestDiskFull(t *testing.T) {
	model := filepath.Join(goldenDir, "models", "tiny_b")
	for _, limit := range []int{0, 100, 5000, 200_000} {
		for _, previous := range []bool{false, true} {
			dir := t.TempDir()
			out := filepath.Join(dir, "out.gguf")
			if previous {
				os.WriteFile(out, []byte("previous"), 0o644)
			}
			testHookOutput = func(w io.Writer) io.Writer { return &fullDisk{w: w, limit: limit} }
			_, err := Convert(context.Background(), Options{ModelDir: model, OutFile: out, Force: true})
			testHookOutput = nil
			if err == nil {
				t.Fatalf("limit %d: conversion succeeded", limit)
			}
			if want := "writing " + out + ": no space left on device"; err.Error() != want || !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("limit %d: error %q, want %q", limit, err, want)
			}
			entries, _ := os.ReadDir(dir)
			b, rerr := os.ReadFile(out)
			switch {
			case previous && (len(entries) != 1 || rerr != nil || string(b) != "previous"):
				t.Errorf("limit %d: previous file changed or extra files: %v, %q", limit, entries, b)
			case !previous && len(entries) != 0:
				t.Errorf("limit %d: left behind %v", limit, entries)
			}
		}
	}
}

// TestOutputDirectoryMissing: the output's directory does not exist.
func TestOutputDirectoryMissing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "no", "such", "out.gguf")
	_, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_a"), OutFile: out})
	if err == nil || !strings.Contains(err.Error(), filepath.Dir(out)) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}
