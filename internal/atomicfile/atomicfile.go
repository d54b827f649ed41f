package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// File is an output being written. Write to it, then Commit or Abort.
type File struct {
	*os.File
	target    string
	tmpName   string // named temp file, when O_TMPFILE was not available
	overwrite bool   // an existing target may be replaced
	done      bool
}

const tmpPrefix = ".bitnet-tmp-"

// Create starts writing target. Unless overwrite is set, an existing target
// is an error. Nothing appears at target before Commit.
func Create(target string, overwrite bool) (*File, error) {
	if !overwrite {
		if _, err := os.Lstat(target); err == nil {
			return nil, fmt.Errorf("%s already exists (use --force to overwrite)", target)
		}
	}
	dir := filepath.Dir(target)
	sweepStale(dir)
	if f, err := openTmpfile(dir); err == nil {
		return &File{File: f, target: target, overwrite: overwrite}, nil
	}
	f, err := os.CreateTemp(dir, tmpPrefix+filepath.Base(target)+"-*")
	if err != nil {
		return nil, fmt.Errorf("creating output in %s: %w", dir, err)
	}
	return &File{File: f, target: target, tmpName: f.Name(), overwrite: overwrite}, nil
}

// Commit flushes the content to disk and makes it visible at the target path
// in one rename.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	if err := f.Sync(); err != nil {
		f.cleanup()
		return fmt.Errorf("writing %s: %w", f.target, err)
	}
	defer f.File.Close()
	if f.tmpName == "" && !f.overwrite {
		// Nothing to replace: link the unnamed file in under its final
		// name, so no moment exists where a kill leaves a temp name.
		if err := linkAt(f.File, f.target); err != nil {
			return fmt.Errorf("linking output to %s: %w", f.target, err)
		}
		return nil
	}
	name := f.tmpName
	if name == "" {
		var err error
		if name, err = linkTmpfile(f.File, f.target); err != nil {
			return err
		}
	}
	// Rename right after linking: the hidden name lives for one syscall.
	if err := os.Rename(name, f.target); err != nil {
		os.Remove(name)
		return fmt.Errorf("renaming output to %s: %w", f.target, err)
	}
	return nil
}

// Abort discards everything written. It is safe to call after Commit (it
// then does nothing), so `defer f.Abort()` is the usual pattern.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.cleanup()
}

func (f *File) cleanup() {
	f.File.Close()
	if f.tmpName != "" {
		os.Remove(f.tmpName)
	}
}

// sweepStale removes named temp files of ours older than an hour, left by a
// process killed between creating and renaming them.
func sweepStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tmpPrefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
