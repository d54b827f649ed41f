//go:build !unix

package regfile

import (
	"os"
)

// openNonblock checks the type before opening where there is no
// O_NONBLOCK: a path that is not a regular file is refused unopened.
func openNonblock(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, NotRegular(path, st.Mode())
	}
	return os.Open(path)
}

func setBlocking(*os.File) error { return nil }
