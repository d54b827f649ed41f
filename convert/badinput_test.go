package convert

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/internal/namedpipe"
	"github.com/bitnet-go/bitnet/internal/regfile"
)

// copyModel copies a bundled model directory into a temp dir.
func copyModel(t *testing.T, model string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(goldenDir, "models", model)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func edit(t *testing.T, path string, f func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, f(b), 0o644); err != nil {
		t.Fatal(err)
	}
}

// patchTensor overwrites the first element of a BF16 tensor with v.
func patchTensor(t *testing.T, dir, tensor string, v float32) {
	t.Helper()
	c, err := hf.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(tensor)
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(dir, info.Shard), func(b []byte) []byte {
		binary.LittleEndian.PutUint16(b[info.Offset:], uint16(math.Float32bits(v)>>16))
		return b
	})
}

// TestBadInput converts broken model directories: each fails with a clear
// error naming the problem, without panicking, and leaves no output file.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name   string
		model  string
		break_ func(t *testing.T, dir string)
		want   string
	}{
		{"missing config.json", "tiny_a", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "config.json")) }, "config.json"},
		{"unsupported architecture", "tiny_a", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "config.json"), func(b []byte) []byte {
				return bytes.Replace(b, []byte("BitNetForCausalLM"), []byte("LlamaForCausalLM"), 1)
			})
		}, "LlamaForCausalLM"},
		{"missing shard", "tiny_b", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "model-00002-of-00002.safetensors")) }, "model-00002-of-00002.safetensors"},
		{"tensor missing from index", "tiny_b", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "model.safetensors.index.json"), func(b []byte) []byte {
				var ix map[string]any
				json.Unmarshal(b, &ix)
				delete(ix["weight_map"].(map[string]any), "model.layers.1.mlp.up_proj.weight")
				out, _ := json.Marshal(ix)
				return out
			})
		}, "model.layers.1.mlp.up_proj.weight"},
		{"shape mismatch", "tiny_a", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "config.json"), func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"intermediate_size": 640`), []byte(`"intermediate_size": 768`), 1)
			})
		}, "768"},
		{"truncated safetensors", "tiny_a", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "model.safetensors"), func(b []byte) []byte { return b[:len(b)*7/10] })
		}, "truncated"},
		{"header length past the end", "tiny_a", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "model.safetensors"), func(b []byte) []byte {
				binary.LittleEndian.PutUint64(b, 1<<40)
				return b
			})
		}, "header"},
		{"unknown dtype", "tiny_a", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "model.safetensors"), func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"BF16"`), []byte(`"ZZ16"`), 1)
			})
		}, "ZZ16"},
		{"NaN weight", "tiny_a", func(t *testing.T, dir string) {
			patchTensor(t, dir, "model.layers.1.self_attn.k_proj.weight", float32(math.NaN()))
		}, "NaN"},
		{"Inf weight", "tiny_b", func(t *testing.T, dir string) {
			patchTensor(t, dir, "model.layers.0.mlp.down_proj.weight", float32(math.Inf(-1)))
		}, "Inf"},
		{"NaN in embedding", "tiny_a", func(t *testing.T, dir string) {
			patchTensor(t, dir, "model.embed_tokens.weight", float32(math.NaN()))
		}, "NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyModel(t, c.model)
			c.break_(t, dir)
			out := filepath.Join(t.TempDir(), "out.gguf")
			_, err := Convert(context.Background(), Options{ModelDir: dir, OutFile: out})
			if err == nil {
				t.Fatal("conversion succeeded")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not mention %q", err, c.want)
			}
			t.Logf("error: %v", err)
			if _, serr := os.Stat(out); serr == nil {
				t.Fatal("output file left behind")
			}
			if left, _ := os.ReadDir(filepath.Dir(out)); len(left) != 0 {
				t.Fatalf("files left behind: %v", left)
			}
		})
	}
}

func TestRefusesOverwriteWithoutForce(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.gguf")
	os.WriteFile(out, []byte("previous"), 0o644)
	_, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_a"), OutFile: out})
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("err = %v, want a refusal mentioning --force", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "previous" {
		t.Fatal("existing file changed")
	}
	if _, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_a"), OutFile: out, Force: true}); err != nil {
		t.Fatal(err)
	}
}

// TestForceReplacesOnlyRegularFiles: --force does not turn a FIFO, a
// device or a symbolic link at --outfile into a regular file.
func TestForceReplacesOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.gguf")
	if err := namedpipe.Make(fifo, 0o644); err != nil {
		t.Skip("no FIFOs:", err)
	}
	link := filepath.Join(dir, "link.gguf")
	os.Symlink("/dev/null", link)
	for _, out := range []string{fifo, link, "/dev/null"} {
		before, _ := os.Lstat(out)
		_, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_a"), OutFile: out, Force: true})
		if !errors.Is(err, regfile.ErrNotRegular) {
			t.Errorf("%s: err = %v, want ErrNotRegular", out, err)
		}
		if after, _ := os.Lstat(out); after.Mode() != before.Mode() {
			t.Errorf("%s: %v became %v", out, before.Mode(), after.Mode())
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 2 {
		t.Errorf("directory holds %v", left)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.gguf")
	res, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_b"), OutFile: out, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("dry run wrote the output")
	}
	plan := FormatPlan(res.Items)
	if !strings.Contains(plan, "blk.2.ffn_down.weight") || !strings.Contains(plan, "35 tensors") || !strings.Contains(plan, "padded") {
		t.Fatalf("plan:\n%s", plan)
	}
}

func TestCancelledConversionLeavesNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "out.gguf")
	if _, err := Convert(ctx, Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_a"), OutFile: out}); err == nil {
		t.Fatal("cancelled conversion succeeded")
	}
	if left, _ := os.ReadDir(filepath.Dir(out)); len(left) != 0 {
		t.Fatalf("files left behind: %v", left)
	}
}
