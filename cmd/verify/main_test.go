package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/internal/namedpipe"
)

// TestCheck builds the command and runs --check on an intact file, on
// files with a corrupted tensor, header and truncation, and on one without
// checksums; and --check with a golden, which runs after the check passes:
// the golden's source digests match (table and JSON), another model's
// golden fails by name, a file without digests says they are not recorded.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "verify")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	good := filepath.Join(dir, "good.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../../golden/models/tiny_a", OutFile: good}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := f.Tensor("blk.1.attn_q.weight")
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flip := func(at uint64) []byte {
		c := bytes.Clone(data)
		c[at] ^= 0x10
		return c
	}
	nameAt, _ := f.ValueOffset("general.name")
	cases := []struct {
		name     string
		path     string
		args     []string
		exit     int
		want     []string
		wantNone string
	}{
		{"intact", good, nil, 0, []string{"ok       metadata", "ok       blk.1.attn_q.weight", "is intact"}, "CORRUPT"},
		{"tensor", write("tensor.gguf", flip(q.Offset+q.Size/2)), nil, 1,
			[]string{"CORRUPT  blk.1.attn_q.weight: data checksum mismatch", "ok       blk.1.attn_k.weight", "ok       metadata", "1 problem(s)"}, ""},
		{"header", write("header.gguf", flip(nameAt+8)), nil, 1, []string{"CORRUPT  metadata: header checksum mismatch"}, ""},
		{"truncated", write("truncated.gguf", data[:len(data)/2]), nil, 1, []string{"corrupt or not a GGUF file", "truncated"}, ""},
		{"no checksums", write("bare.gguf", stripKeys(t, f, integrity.KeyHeader, integrity.KeyTensors)), nil, 0, []string{"has no checksums"}, "CORRUPT"},
		{"then golden", good, []string{"--golden", "../../golden/logits/tiny_a/len7_float32.safetensors"}, 0, []string{"is intact", "len7_float32", "source: 1 golden(s) match the source the file records"}, "FAIL"},
		{"json shows the source", good, []string{"--format", "json", "--golden", "../../golden/logits/tiny_a/len7_float32.safetensors"}, 0, []string{`"source": "match"`}, "FAIL"},
		{"another model's golden", good, []string{"--golden", "../../golden/logits/tiny_a/len7_float32.safetensors", "--golden", "../../golden/logits/tiny_b/len7_float32.safetensors"}, 1,
			[]string{"FAIL: golden belongs to another model (tiny_b): weights_sha256 differs (golden 36515972375e…, file 7f408dc424c1…), config_sha256 differs (golden 974df19bc781…, file 5b653aa0a9ab…)",
				"1 golden(s) match", "1 golden(s) belong to another model"}, ""},
		{"source not recorded", write("nosource.gguf", stripKeys(t, f, convert.KeySourceConfig, convert.KeySourceWeights, integrity.KeyHeader, integrity.KeyTensors)),
			[]string{"--golden", "../../golden/logits/tiny_a/len7_float32.safetensors"}, 0, []string{"has no checksums", "source digests are not recorded"}, "FAIL"},
		{"corrupt, no golden run", write("tensor2.gguf", flip(q.Offset)), []string{"--golden", "../../golden/logits/tiny_a/len7_float32.safetensors"}, 1, []string{"CORRUPT"}, "len7_float32"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"--check", "--model", c.path}, c.args...)...)
			out, _ := cmd.CombinedOutput()
			if got := cmd.ProcessState.ExitCode(); got != c.exit {
				t.Errorf("exit %d, want %d", got, c.exit)
			}
			for _, w := range c.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q", w)
				}
			}
			if c.wantNone != "" && strings.Contains(string(out), c.wantNone) {
				t.Errorf("output has %q", c.wantNone)
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("output:\n%s", out)
			}
		})
	}
	out, err := exec.Command(bin, "--check").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "need --model") {
		t.Errorf("--check without --model: %v\n%s", err, out)
	}
}

// stripKeys rewrites f without the given keys (the checksums, the source
// digests), as a file from another converter.
func stripKeys(t *testing.T, f *gguf.File, keys ...string) []byte {
	var buf bytes.Buffer
	err := gguf.Rewrite(f, &buf, func(kv gguf.KV) (gguf.KV, bool) {
		return kv, !slices.Contains(keys, kv.Key)
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDumpLogitsRefusesExisting: --dump-logits does not overwrite an
// existing file without --force, replaces a regular file with it, and never
// replaces what is not a regular file (a FIFO here).
func TestDumpLogitsRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "verify")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	model := filepath.Join(dir, "m.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../../golden/models/tiny_a", OutFile: model}); err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(dir, "dump.safetensors")
	if err := os.WriteFile(dump, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(extra ...string) (int, string) {
		cmd := exec.Command(bin, append([]string{"--model", model, "--golden", "../../golden/logits/tiny_a/len7_float32.safetensors", "--dump-logits", dump}, extra...)...)
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	if code, out := run(); code == 0 || !strings.Contains(out, "already exists (use --force") {
		t.Fatalf("existing dump without --force: exit %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(dump); string(b) != "mine" {
		t.Fatalf("overwritten without --force: %q", b)
	}
	if code, out := run("--force"); code != 0 {
		t.Fatalf("--force: exit %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(dump); len(b) < 100 || string(b) == "mine" {
		t.Fatalf("--force did not write the dump (%d bytes)", len(b))
	}
	os.Remove(dump)
	if err := namedpipe.Make(dump, 0o644); err != nil {
		t.Skip("no FIFOs:", err)
	}
	if code, out := run("--force"); code == 0 || !strings.Contains(out, "not a regular file") {
		t.Fatalf("--force onto a FIFO: exit %d\n%s", code, out)
	}
	if st, _ := os.Lstat(dump); st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v", st.Mode())
	}
}
