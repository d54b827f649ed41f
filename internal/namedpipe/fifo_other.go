//go:build !unix

package namedpipe

import "errors"

// Make reports errors.ErrUnsupported: the platform has no named pipes.
func Make(path string, mode uint32) error { return errors.ErrUnsupported }
