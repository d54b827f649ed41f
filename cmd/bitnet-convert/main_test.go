package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIExitCodes builds the command and checks a failing conversion exits
// non-zero with the error on stderr and no panic, and a good one writes.
func TestCLIExitCodes(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "convert")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "--outfile", filepath.Join(dir, "x.gguf"), t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("exit %v, want 1", err)
	}
	if !strings.Contains(string(out), "config.json") || strings.Contains(string(out), "panic") {
		t.Fatalf("stderr: %s", out)
	}
	good := filepath.Join(dir, "a.gguf")
	if out, err := exec.Command(bin, "--outfile", good, "../../golden/models/tiny_a").CombinedOutput(); err != nil {
		t.Fatalf("convert tiny_a: %v\n%s", err, out)
	} else if !strings.Contains(string(out), "24 tensors") {
		t.Fatalf("summary: %s", out)
	}
	if _, err := os.Stat(good); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "--layout", "mips", "../../golden/models/tiny_a").CombinedOutput(); err == nil || !strings.Contains(string(out), "x86, arm") {
		t.Fatalf("bad layout: %v %s", err, out)
	}
}
