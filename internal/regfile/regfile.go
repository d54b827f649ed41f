package regfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
)

// ErrNotRegular is the class of the error for a path that is not a regular
// file (errors.Is).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is the class of ReadFile's error for a file over its limit.
var ErrTooLarge = errors.New("file too large")

// Kind names the type of a file mode: "regular file", "directory",
// "symbolic link", "named pipe (FIFO)", "socket", "character device",
// "block device" or "irregular file".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "regular file"
	case m&fs.ModeDir != 0:
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	}
	return "irregular file"
}

// NotRegular returns the error for path, of mode m, that is not a regular
// file: it names the path and the file's type and is of class
// ErrNotRegular.
func NotRegular(path string, m fs.FileMode) error {
	return &notRegular{path, Kind(m)}
}

type notRegular struct{ path, kind string }

func (e *notRegular) Error() string {
	return fmt.Sprintf("%s is a %s, not a regular file", e.path, e.kind)
}

func (e *notRegular) Is(target error) bool { return target == ErrNotRegular }

// Open opens path for reading if it is a regular file, and stats it.
func Open(path string) (*os.File, fs.FileInfo, error) {
	f, err := openNonblock(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, NotRegular(path, st.Mode())
	}
	if err := setBlocking(f); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, st, nil
}

// OpenSized is Open for a file to be mapped or read whole: it also returns
// the size, refusing one that does not fit in an int on this platform.
func OpenSized(path string) (*os.File, int, error) {
	f, st, err := Open(path)
	if err != nil {
		return nil, 0, err
	}
	size := st.Size()
	if size < 0 || uint64(size) > math.MaxInt {
		f.Close()
		return nil, 0, fmt.Errorf("%s: size %d does not fit in memory on this platform", path, size)
	}
	return f, int(size), nil
}

// ReadFile reads the regular file at path, failing (ErrTooLarge) if it
// holds more than limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, st, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes exceeds the cap of %d: %w", path, st.Size(), limit, ErrTooLarge)
	}
	b := make([]byte, 0, st.Size()+1)
	b, err = readAll(io.LimitReader(f, limit+1), b)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: exceeds the cap of %d bytes: %w", path, limit, ErrTooLarge)
	}
	return b, nil
}

// readAll is io.ReadAll appending to b.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
