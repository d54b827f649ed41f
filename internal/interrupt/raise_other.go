//go:build !unix

package interrupt

import "os"

// raise ends the process where signals cannot be re-raised (exit status
// 130, the shell's for an interrupt).
func raise(os.Signal) { os.Exit(130) }
