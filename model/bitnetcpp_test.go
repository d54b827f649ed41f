package model

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
)

// bitnetCppCopy rewrites one of our files in bitnet.cpp's conventions: arch
// "bitnet-25" (the first official release), no bitnet-go.* keys (so no
// recorded layout: x86 is assumed), tensors as they are.
func bitnetCppCopy(t *testing.T, src, dst string) {
	t.Helper()
	in, err := gguf.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	err = gguf.Rewrite(in, out, func(kv gguf.KV) (gguf.KV, bool) {
		switch {
		case strings.HasPrefix(kv.Key, "bitnet-go."), kv.Key == "general.alignment":
			return kv, false
		case kv.Key == "general.architecture":
			kv.Value = gguf.String("bitnet-25")
		case strings.HasPrefix(kv.Key, convert.Arch+"."):
			kv.Key = "bitnet-25." + strings.TrimPrefix(kv.Key, convert.Arch+".")
		}
		return kv, true
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunsBitnetCppConventionFile(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: ours}); err != nil {
		t.Fatal(err)
	}
	theirs := filepath.Join(dir, "bitnet-25.gguf")
	bitnetCppCopy(t, ours, theirs)
	m, err := Open(theirs, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	checkGoldens(t, "bitnet-25 file", "tiny_a", func(g golden) ([]float32, map[int][]float32) {
		logits, err := m.Forward(mustState(t, m, 0), g.ids, true)
		if err != nil {
			t.Fatal(err)
		}
		return logits, nil
	}, m.W.Config.Vocab)
}

func TestOpenRejectsUnknownArchitecture(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: ours}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(ours)
	bad := strings.Replace(string(data), "bitnet-b1.58", "bitnet-b1.99", 1) // the architecture value
	os.WriteFile(filepath.Join(dir, "bad.gguf"), []byte(bad), 0o644)
	if _, err := Open(filepath.Join(dir, "bad.gguf"), 1); err == nil || !strings.Contains(err.Error(), "bitnet-b1.99") {
		t.Fatalf("err = %v, want one naming the architecture", err)
	}
}
