package reliability

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/internal/namedpipe"
	"github.com/bitnet-go/bitnet/internal/regfile"
	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/parity"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// within runs f with a timeout guard: a FIFO open, or a read of /dev/zero,
// that never returns fails the test instead of hanging it.
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Errorf("%s: still blocked after 5 s", what)
		return nil
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	os.Remove(path)
	if err := namedpipe.Make(path, 0o644); err != nil {
		t.Skip("no FIFOs:", err)
	}
}

// TestNonRegularInputs gives every reader a FIFO, /dev/zero (through a
// symbolic link where the name is fixed) and a directory where a file
// belongs: model file, config.json, a shard, the shard index,
// tokenizer.json, tokenizer_config.json, a golden. Each must be refused at
// once with regfile.ErrNotRegular, naming the path.
func TestNonRegularInputs(t *testing.T) {
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "fifo")
	mkfifo(t, fifo)
	zero := filepath.Join(tmp, "zero")
	must(t, os.Symlink("/dev/zero", zero))
	for _, path := range []string{fifo, zero, "/dev/zero", tmp} {
		opens := map[string]func(string) (*gguf.File, error){"Open": gguf.Open}
		for name, open := range opens {
			err := within(t, "gguf."+name+" "+path, func() error {
				f, err := open(path)
				if err == nil {
					f.Close()
				}
				return err
			})
			if !errors.Is(err, regfile.ErrNotRegular) {
				t.Errorf("gguf.%s(%s): %v", name, path, err)
			}
		}
		for _, mode := range []model.LoadMode{model.LoadAuto, model.LoadMap, model.LoadMemory} {
			err := within(t, "model.OpenWith "+path, func() error {
				m, err := model.OpenWith(path, model.LoadOptions{Threads: 1, Mode: mode})
				if err == nil {
					m.Close()
				}
				return err
			})
			if !errors.Is(err, regfile.ErrNotRegular) {
				t.Errorf("model.OpenWith(%s, %v): %v", path, mode, err)
			}
		}
		if err := within(t, "ReadGolden "+path, func() error { _, err := parity.ReadGolden(path); return err }); !errors.Is(err, regfile.ErrNotRegular) {
			t.Errorf("parity.ReadGolden(%s): %v", path, err)
		}
		if err := within(t, "tokenizer.FromJSONFile "+path, func() error { _, err := tokenizer.FromJSONFile(path); return err }); !errors.Is(err, regfile.ErrNotRegular) {
			t.Errorf("tokenizer.FromJSONFile(%s): %v", path, err)
		}
	}

	// Hugging Face directories: each file in turn replaced by a FIFO, a
	// link to /dev/zero, a directory.
	for _, name := range []string{hf.ConfigFile, hf.SingleFile, "tokenizer.json", "tokenizer_config.json", "index", "shard"} {
		for _, kind := range []string{"fifo", "zero", "dir"} {
			dir := filepath.Join(t.TempDir(), "m")
			writeMicro(t, dir, microTokVocab, nil)
			copyFile(t, smallTokenizer, filepath.Join(dir, "tokenizer.json"))
			writeFile(t, filepath.Join(dir, "tokenizer_config.json"), []byte(`{"add_bos_token": true}`))
			target := filepath.Join(dir, name)
			if name == "index" || name == "shard" {
				// A sharded checkpoint: the single file becomes shard 1 of 1.
				shard := "model-00001-of-00001.safetensors"
				must(t, os.Rename(filepath.Join(dir, hf.SingleFile), filepath.Join(dir, shard)))
				writeIndex(t, dir, shard)
				target = filepath.Join(dir, shard)
				if name == "index" {
					target = filepath.Join(dir, hf.IndexFile)
				}
			}
			must(t, os.Remove(target))
			switch kind {
			case "fifo":
				mkfifo(t, target)
			case "zero":
				must(t, os.Symlink("/dev/zero", target))
			case "dir":
				must(t, os.Mkdir(target, 0o755))
			}
			out := filepath.Join(t.TempDir(), "out.gguf")
			err := within(t, "convert with "+name+" a "+kind, func() error {
				_, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out})
				return err
			})
			if !errors.Is(err, regfile.ErrNotRegular) {
				t.Errorf("convert with %s a %s: %v", name, kind, err)
			}
			if _, err := os.Lstat(out); err == nil {
				t.Errorf("convert with %s a %s: output left behind", name, kind)
			}
		}
	}
}

// writeIndex writes a model.safetensors.index.json mapping every tensor of
// the micro model to shard.
func writeIndex(t *testing.T, dir, shard string) {
	t.Helper()
	cfg, err := hf.ReadConfig(dir)
	must(t, err)
	specs, err := hf.ExpectedTensors(cfg)
	must(t, err)
	m := map[string]string{}
	for _, s := range specs {
		m[s.Name] = shard
	}
	f, err := os.Create(filepath.Join(dir, hf.IndexFile))
	must(t, err)
	defer f.Close()
	must(t, hf.WriteIndex(f, m, 0))
}
