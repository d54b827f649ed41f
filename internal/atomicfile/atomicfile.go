package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bitnet-go/bitnet/internal/regfile"
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
// is an error. With overwrite, only a regular file is replaced: anything
// else at target (a symbolic link, even to a regular file, a FIFO, a
// device, a directory) is an error of class regfile.ErrNotRegular, checked
// here and again at Commit. Nothing appears at target before Commit.
func Create(target string, overwrite bool) (*File, error) {
	if err := CheckTarget(target, overwrite); err != nil {
		return nil, err
	}
	dir := filepath.Dir(target)
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
	if err := CheckTarget(f.target, true); err != nil {
		os.Remove(name)
		return err
	}
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

// CheckTarget refuses a target Create may not write: any existing one
// without overwrite, and one that is not a regular file with it. A
// symbolic link is not followed: replacing the link would leave the file
// it names as it was, and writing through it would replace a file this
// tool was not given, so neither is done.
func CheckTarget(target string, overwrite bool) error {
	st, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !overwrite:
		return fmt.Errorf("%s already exists (use --force to overwrite)", target)
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%w: not replacing it (only regular files are replaced, a link is not followed: give the path of the file it points to)", regfile.NotRegular(target, st.Mode()))
	case !st.Mode().IsRegular():
		return fmt.Errorf("%w: not replacing it (only regular files are replaced)", regfile.NotRegular(target, st.Mode()))
	}
	return nil
}
