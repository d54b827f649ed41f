package convert

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/internal/regfile"
)

// Keys recording which checkpoint a file was converted from, as the
// reference's goldens record it (golden/README.md, scripts/golden.py):
// lowercase hex SHA-256 digests of exactly 64 digits.
const (
	// KeySourceConfig is the SHA-256 of the source's config.json bytes.
	KeySourceConfig = "bitnet-go.source.config_sha256"
	// KeySourceWeights is the SHA-256 of the source directory's
	// *.safetensors files concatenated in file-name (byte) order.
	KeySourceWeights = "bitnet-go.source.weights_sha256"
)

// SourceDigests identify a Hugging Face checkpoint the way a golden's
// metadata does (config_sha256, weights_sha256): lowercase hex.
type SourceDigests struct {
	Config  string `json:"config_sha256"`
	Weights string `json:"weights_sha256"`
}

// HashSource computes the digests of the checkpoint in dir, streaming
// each file (nothing is held in memory). Only regular files (or links to
// them) are read; ctx cancels it between blocks.
func HashSource(ctx context.Context, dir string) (SourceDigests, error) {
	var d SourceDigests
	entries, err := os.ReadDir(dir) // sorted by name, in byte order
	if err != nil {
		return d, err
	}
	var weights []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".safetensors") {
			weights = append(weights, filepath.Join(dir, e.Name()))
		}
	}
	buf := make([]byte, 1<<20)
	sum := func(paths []string) (string, error) {
		h := sha256.New()
		for _, p := range paths {
			if err := hashFile(ctx, h, p, buf); err != nil {
				return "", err
			}
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	if d.Config, err = sum([]string{filepath.Join(dir, "config.json")}); err != nil {
		return d, err
	}
	if len(weights) == 0 {
		return d, fmt.Errorf("no *.safetensors files in %s", dir)
	}
	d.Weights, err = sum(weights)
	return d, err
}

func hashFile(ctx context.Context, h io.Writer, path string, buf []byte) error {
	f, _, err := regfile.Open(path) // a FIFO or device is refused without blocking
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("hashing %s: %w", path, err)
		}
	}
}

// ReadSourceDigests returns the digests f records; ok is false when it
// records none (a file from bitnet.cpp, llama.cpp or an older convert),
// or records them malformed.
func ReadSourceDigests(f *gguf.File) (d SourceDigests, ok bool) {
	c, errc := f.String(KeySourceConfig)
	w, errw := f.String(KeySourceWeights)
	if errc != nil || errw != nil || !isDigest(c) || !isDigest(w) {
		return SourceDigests{}, false
	}
	return SourceDigests{Config: c, Weights: w}, true
}

func isDigest(s string) bool {
	if len(s) != 2*sha256.Size || strings.Trim(s, "0") == "" {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// sourceHash computes a checkpoint's digests in the background while the
// conversion streams, to be patched into the header's placeholders.
type sourceHash struct {
	cancel context.CancelFunc
	done   chan struct{}
	d      SourceDigests
	err    error
}

var sourcePlaceholder = strings.Repeat("0", 2*sha256.Size)

// sourceKVs are the two keys with placeholder values of their final length.
func sourceKVs() []kv {
	return []kv{
		{KeySourceConfig, gguf.String(sourcePlaceholder)},
		{KeySourceWeights, gguf.String(sourcePlaceholder)},
	}
}

func startSourceHash(ctx context.Context, dir string) *sourceHash {
	ctx, cancel := context.WithCancel(ctx)
	s := &sourceHash{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.d, s.err = HashSource(ctx, dir)
	}()
	return s
}

// stop cancels the hashing and waits for it to end.
func (s *sourceHash) stop() {
	s.cancel()
	<-s.done
}

// patch waits for the digests and writes them over the placeholders of f,
// the output of w. Call it before integrity.Seal (the header digest covers
// them).
func (s *sourceHash) patch(f integrity.ReadWriterAt, w *gguf.Writer) error {
	<-s.done
	if s.err != nil {
		return fmt.Errorf("hashing the source checkpoint: %w", s.err)
	}
	for _, e := range []struct{ key, val string }{{KeySourceConfig, s.d.Config}, {KeySourceWeights, s.d.Weights}} {
		off, err := w.ValueOffset(e.key)
		if err != nil {
			return err
		}
		off += 8 // the string's length
		cur := make([]byte, len(sourcePlaceholder))
		if _, err := f.ReadAt(cur, int64(off)); err != nil {
			return fmt.Errorf("reading back %s: %w", e.key, err)
		}
		if string(cur) != sourcePlaceholder || len(e.val) != len(cur) {
			return fmt.Errorf("%s: no placeholder at byte %d", e.key, off)
		}
		if _, err := f.WriteAt([]byte(e.val), int64(off)); err != nil {
			return fmt.Errorf("writing %s: %w", e.key, err)
		}
	}
	return nil
}
