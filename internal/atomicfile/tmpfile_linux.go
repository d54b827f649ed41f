package atomicfile

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// openTmpfile opens an unnamed file in dir that vanishes if the process dies.
func openTmpfile(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)")), nil
}

// linkAt gives the unnamed file the name target; it fails if target exists.
func linkAt(f *os.File, target string) error {
	return unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), unix.AT_FDCWD, target, unix.AT_SYMLINK_FOLLOW)
}

// linkTmpfile gives the unnamed file a hidden name beside target.
func linkTmpfile(f *os.File, target string) (string, error) {
	dir := filepath.Dir(target)
	for range 10 {
		name := filepath.Join(dir, tmpPrefix+filepath.Base(target)+"-"+strconv.FormatUint(rand.Uint64(), 36))
		err := linkAt(f, name)
		if err == nil {
			return name, nil
		}
		if err != unix.EEXIST {
			return "", fmt.Errorf("linking output into %s: %w", dir, err)
		}
	}
	return "", fmt.Errorf("linking output into %s: no free temp name", dir)
}
