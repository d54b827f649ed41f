package mmap

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestMapOrRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	want := bytes.Repeat([]byte("mapped!"), 5000)
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, mapped, release, err := MapOrRead(f, len(want))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, want) {
		t.Fatal("contents differ from the file")
	}
	m, err := Map(f, len(want))
	if (err == nil) != mapped {
		t.Fatalf("mapped = %v, but Map gives error %v", mapped, err)
	}
	if err := Unmap(m); err != nil {
		t.Fatal(err)
	}
	Release(data, 0, len(data))
	if !bytes.Equal(data, want) {
		t.Fatal("contents differ after Release")
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := MapOrRead(f, 0); err == nil {
		t.Fatal("empty file: no error")
	}
}

func TestAnon(t *testing.T) {
	b, err := Anon(1 << 20)
	if err != nil {
		t.Skip(err)
	}
	for i := range b {
		if b[i] != 0 {
			t.Fatalf("byte %d = %d, want 0", i, b[i])
		}
		b[i] = byte(i)
	}
	if err := Unmap(b); err != nil {
		t.Fatal(err)
	}
	if _, err := Anon(0); err == nil {
		t.Fatal("Anon(0): no error")
	}
}
