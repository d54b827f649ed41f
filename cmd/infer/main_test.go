package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
)

// TestCLIWithoutTokenizer builds infer and runs it on a converted bundled
// model (which has no tokenizer): -p is refused with a clear message,
// --prompt-ids works and prints ids, greedy runs repeat exactly.
func TestCLIWithoutTokenizer(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "infer")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	model := filepath.Join(dir, "tiny_a.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../../golden/models/tiny_a", OutFile: model}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-m", model, "-p", "hello").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "no tokenizer") || !strings.Contains(string(out), "--prompt-ids") && !strings.Contains(string(out), "token ids") {
		t.Fatalf("-p without a tokenizer: %v\n%s", err, out)
	}
	run := func() string {
		cmd := exec.Command(bin, "-m", model, "--prompt-ids", "992,5,17", "-n", "6", "--temp", "0", "--check")
		stdout, err := cmd.Output()
		if err != nil {
			t.Fatalf("--prompt-ids: %v", err)
		}
		return strings.TrimSpace(string(stdout))
	}
	first := run()
	var ids []int
	if err := json.Unmarshal([]byte("["+first+"]"), &ids); err != nil || len(ids) != 6 {
		t.Fatalf("output %q is not 6 comma-separated ids", first)
	}
	if again := run(); again != first {
		t.Fatalf("greedy runs differ: %q vs %q", first, again)
	}
	if out, err := exec.Command(bin, "-m", model, "--prompt-ids", "992,5000").CombinedOutput(); err == nil || !strings.Contains(string(out), "5000") {
		t.Fatalf("out-of-vocabulary id accepted: %s", out)
	}
	// Every load mode gives the same tokens; the timing line says how the
	// file was loaded; contradictory flags are refused.
	for flag, how := range map[string]string{"--mmap": "(mapped)", "--no-mmap": "(read into memory)"} {
		cmd := exec.Command(bin, "-m", model, "--prompt-ids", "992,5,17", "-n", "6", "--temp", "0", flag)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		if err != nil || strings.TrimSpace(string(stdout)) != first || !strings.Contains(stderr.String(), how) {
			t.Fatalf("%s: %v, output %q (want %q), stderr %s", flag, err, stdout, first, stderr.String())
		}
	}
	if out, err := exec.Command(bin, "-m", model, "--prompt-ids", "1", "--mmap", "--no-mmap").CombinedOutput(); err == nil || !strings.Contains(string(out), "exclude each other") {
		t.Fatalf("--mmap --no-mmap accepted: %s", out)
	}
}
