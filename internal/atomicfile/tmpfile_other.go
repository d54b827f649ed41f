//go:build !linux

package atomicfile

import (
	"errors"
	"os"
)

func openTmpfile(string) (*os.File, error) { return nil, errors.New("no O_TMPFILE") }

func linkTmpfile(*os.File, string) (string, error) { return "", errors.New("no O_TMPFILE") }

func linkAt(*os.File, string) error { return errors.New("no O_TMPFILE") }
