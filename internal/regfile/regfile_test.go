package regfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bitnet-go/bitnet/internal/namedpipe"
)

// within fails t if f takes longer than a few seconds (a FIFO open or a
// /dev/zero read that never ends).
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: still blocked after 5 s", what)
		return nil
	}
}

func TestRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := namedpipe.Make(fifo, 0o644); err != nil {
		t.Skip("no FIFOs:", err)
	}
	zeroLink := filepath.Join(dir, "zero-link")
	os.Symlink("/dev/zero", zeroLink)
	for _, c := range []struct{ path, kind string }{
		{fifo, "named pipe (FIFO)"},
		{"/dev/zero", "character device"},
		{zeroLink, "character device"},
		{dir, "directory"},
	} {
		err := within(t, c.path, func() error { _, err := ReadFile(c.path, 1<<20); return err })
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), c.path+" is a "+c.kind+", not a regular file") {
			t.Errorf("ReadFile(%s) = %v", c.path, err)
		}
		err = within(t, c.path, func() error {
			f, _, err := Open(c.path)
			if err == nil {
				f.Close()
			}
			return err
		})
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("Open(%s) = %v", c.path, err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 1); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestReadFileCaps(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("0123456789"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(p, link)
	for _, path := range []string{p, link} { // a link to a regular file is read
		if b, err := ReadFile(path, 10); err != nil || string(b) != "0123456789" {
			t.Errorf("%s: %q, %v", path, b, err)
		}
	}
	if _, err := ReadFile(p, 9); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "cap of 9") {
		t.Errorf("over the cap: %v", err)
	}
	f, _, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 4)
	if n, err := f.ReadAt(b, 3); n != 4 || err != nil || string(b) != "3456" {
		t.Errorf("ReadAt: %d %v %q", n, err, b)
	}
}
