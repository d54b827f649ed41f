package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bitnet-go/bitnet/internal/namedpipe"
)

func TestCommitPublishesAndAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.bin")
	f, err := Create(target, false)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("hello")
	if _, err := os.Stat(target); err == nil {
		t.Fatal("target visible before Commit")
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // no-op after Commit
	if b, _ := os.ReadFile(target); string(b) != "hello" {
		t.Fatalf("content %q", b)
	}

	if _, err := Create(target, false); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("overwrite without force: err = %v", err)
	}
	g, err := Create(target, true)
	if err != nil {
		t.Fatal(err)
	}
	g.WriteString("partial")
	g.Abort()
	if b, _ := os.ReadFile(target); string(b) != "hello" {
		t.Fatalf("aborted write changed target: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries, want only the target", len(entries))
	}
}

// TestReplacesOnlyRegularFiles: with overwrite set, Create refuses a target
// that is not a regular file — a FIFO, a directory, a character device, a
// symbolic link (to a regular file or to a device) — and leaves it as it
// was; a regular file is replaced.
func TestReplacesOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := namedpipe.Make(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	linkReg := filepath.Join(dir, "link-to-regular")
	linkDev := filepath.Join(dir, "link-to-null")
	if err := os.Symlink(regular, linkReg); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/null", linkDev); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{fifo, "named pipe"},
		{sub, "directory"},
		{"/dev/null", "device"},
		{linkReg, "symbolic link"},
		{linkDev, "symbolic link"},
	} {
		before, _ := os.Lstat(c.path)
		f, err := Create(c.path, true)
		if err == nil {
			f.Abort()
			t.Errorf("%s: Create(overwrite) accepted it", c.path)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: error %q does not say %q and not a regular file", c.path, err, c.want)
		}
		after, _ := os.Lstat(c.path)
		if before.Mode() != after.Mode() {
			t.Errorf("%s: mode changed from %v to %v", c.path, before.Mode(), after.Mode())
		}
	}
	if b, _ := os.ReadFile(regular); string(b) != "old" {
		t.Fatalf("the symlink's target changed: %q", b)
	}
	f, err := Create(regular, true)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(regular); string(b) != "new" {
		t.Fatalf("regular file not replaced: %q", b)
	}
}

// TestCommitRechecksTarget: a target that became a FIFO between Create and
// Commit is not replaced.
func TestCommitRechecksTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(target, true)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	os.Remove(target)
	if err := namedpipe.Make(target, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := f.Commit(); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Commit over a FIFO: %v", err)
	}
	if st, _ := os.Lstat(target); st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("target is now %v", st.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

// TestLeavesOthersTempFiles: an old file whose name starts with our temp
// prefix, made by someone else, is never deleted.
func TestLeavesOthersTempFiles(t *testing.T) {
	dir := t.TempDir()
	theirs := filepath.Join(dir, ".bitnet-tmp-theirs.gguf-123")
	if err := os.WriteFile(theirs, []byte("not ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(theirs, old, old); err != nil {
		t.Fatal(err)
	}
	for _, overwrite := range []bool{false, true} {
		f, err := Create(filepath.Join(dir, "out"), overwrite)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("x")
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(theirs); err != nil || string(b) != "not ours" {
		t.Fatalf("someone else's file: %q, %v", b, err)
	}
}
