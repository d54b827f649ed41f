package convert

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/internal/regfile"
	"github.com/bitnet-go/bitnet/quant"
)

// TestSourceDigests converts the single-file and the sharded model and
// checks the file records the SHA-256 of config.json and of the
// *.safetensors files concatenated in name order (computed here from the
// whole files), that the golden's recorded weights digest is the one
// recorded, and that the header checksum covers the keys.
func TestSourceDigests(t *testing.T) {
	goldenWeights := map[string]string{"tiny_a": "7f408dc424c176fc", "tiny_b": "36515972375e3ea8"} // golden/logits/*/ metadata
	for _, model := range []string{"tiny_a", "tiny_b"} {
		t.Run(model, func(t *testing.T) {
			dir := filepath.Join(goldenDir, "models", model)
			cfg, err := os.ReadFile(filepath.Join(dir, "config.json"))
			if err != nil {
				t.Fatal(err)
			}
			shards, _ := filepath.Glob(filepath.Join(dir, "*.safetensors"))
			sort.Strings(shards)
			var all []byte
			for _, s := range shards {
				b, err := os.ReadFile(s)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, b...)
			}
			hexsum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
			want := SourceDigests{Config: hexsum(cfg), Weights: hexsum(all)}
			if !strings.HasPrefix(want.Weights, goldenWeights[model]) {
				t.Fatalf("test's own weights digest %s is not the golden's %s…", want.Weights, goldenWeights[model])
			}

			path := convertTo(t, dir, quant.LayoutX86)
			f, err := gguf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, ok := ReadSourceDigests(f)
			if !ok || got != want {
				t.Fatalf("recorded %+v (ok %v), want %+v", got, ok, want)
			}
			if probs, err := integrity.Check(f); err != nil || len(probs) != 0 {
				t.Fatalf("integrity: %v %v", probs, err)
			}

			// A flipped digit of the recorded digest is header corruption.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			off, _ := f.ValueOffset(KeySourceWeights)
			data = bytes.Clone(data)
			data[off+8] ^= 1
			g, err := gguf.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			probs, err := integrity.Check(g)
			if err != nil || len(probs) != 1 || probs[0].Region != integrity.Metadata {
				t.Errorf("flipped source digest: problems %v, err %v; want one metadata problem", probs, err)
			}
		})
	}
}

// TestHashSourceRefuses: a directory posing as a shard, no shards, no
// config.json are errors naming the path; a file recording no digests (or
// placeholders) has none.
func TestHashSourceRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := HashSource(ctx, dir); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Errorf("no config.json: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := HashSource(ctx, dir); err == nil || !strings.Contains(err.Error(), "no *.safetensors files") {
		t.Errorf("no shards: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "model.safetensors"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := HashSource(ctx, dir); !errors.Is(err, regfile.ErrNotRegular) || !strings.Contains(err.Error(), "model.safetensors is a directory, not a regular file") {
		t.Errorf("directory as a shard: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := HashSource(cancelled, filepath.Join(goldenDir, "models", "tiny_a")); err == nil {
		t.Error("cancelled hashing succeeded")
	}

	var buf bytes.Buffer
	w := gguf.NewWriter(&buf)
	for _, e := range sourceKVs() {
		if err := w.AddKV(e.key, e.val); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteHeader(); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := ReadSourceDigests(f); ok {
		t.Errorf("placeholders read as digests %+v", d)
	}
}
