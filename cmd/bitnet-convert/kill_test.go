//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestKilledConversionLeavesNoPartialOutput converts a model big enough to
// take a while (a synthetic 8-layer, 512-wide checkpoint from scripts/synth)
// and SIGKILLs the converter at several points, with and without a previous
// file at the output path (and --force): afterwards the path holds nothing,
// the previous file, or the complete output (if the kill came too late),
// never a partial one, and no temp file is left in the directory.
func TestKilledConversionLeavesNoPartialOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the converter and a 50 MB model")
	}
	tmp := t.TempDir()
	bin, synth := filepath.Join(tmp, "convert"), filepath.Join(tmp, "synth")
	for _, b := range [][2]string{{bin, "."}, {synth, "../../scripts/synth"}} {
		if out, err := exec.Command("go", "build", "-o", b[0], b[1]).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", b[1], err, out)
		}
	}
	model := filepath.Join(tmp, "model")
	if out, err := exec.Command(synth, "--preset", "tiny", "--hidden", "512", "--intermediate", "1536", "--layers", "8",
		"--heads", "4", "--kv-heads", "1", "--vocab", "4096", "--shards", "1", "--tokenizer", "none", "--out", model).CombinedOutput(); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}

	// A complete conversion, for reference and to time it.
	full := filepath.Join(tmp, "full.gguf")
	start := time.Now()
	if out, err := exec.Command(bin, "--outfile", full, model).CombinedOutput(); err != nil {
		t.Fatalf("convert: %v\n%s", err, out)
	}
	took := time.Since(start)
	want, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a full conversion takes %v (%d bytes)", took, len(want))

	previous := []byte("a previous, complete file")
	delays := []time.Duration{10 * time.Millisecond, 50 * time.Millisecond, 200 * time.Millisecond, took / 2, took * 9 / 10}
	for i, delay := range delays {
		for _, withPrevious := range []bool{false, true} {
			dir := filepath.Join(tmp, "run", fmt.Sprintf("%d-%v", i, withPrevious))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out.gguf")
			args := []string{"--outfile", out, model}
			if withPrevious {
				if err := os.WriteFile(out, previous, 0o644); err != nil {
					t.Fatal(err)
				}
				args = append([]string{"--force"}, args...)
			}
			cmd := exec.Command(bin, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			err := cmd.Wait()
			finished := err == nil

			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			got, rerr := os.ReadFile(out)
			switch {
			case len(names) > 1 || len(names) == 1 && names[0] != "out.gguf":
				t.Errorf("killed after %v (previous %v): directory holds %v", delay, withPrevious, names)
			case rerr != nil && (withPrevious || finished):
				t.Errorf("killed after %v (previous %v, finished %v): no output: %v", delay, withPrevious, finished, rerr)
			case rerr == nil && !bytes.Equal(got, want) && !(withPrevious && bytes.Equal(got, previous)):
				t.Errorf("killed after %v (previous %v): output is %d bytes, neither the previous file nor the complete one (%d bytes)",
					delay, withPrevious, len(got), len(want))
			case rerr == nil && bytes.Equal(got, want) && !finished:
				t.Logf("killed after %v: the conversion had already committed", delay)
			}
			if finished {
				t.Logf("conversion finished before the kill at %v: %s", delay, stderr.String())
			}
		}
	}
}
