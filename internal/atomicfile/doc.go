// Package atomicfile writes a file so that readers of its path see either
// nothing (or the previous file) or the complete new content, never a
// partial one — even if the writer is killed with SIGKILL.
//
// On Linux the content goes to an unnamed O_TMPFILE inode in the target's
// directory, which the kernel frees if the process dies; Commit links it in
// under the target's name, or, to replace an existing file, under a hidden
// name renamed over the target in the very next syscall (a kill between the
// two leaves that name, swept an hour later by Create). Elsewhere (or on file
// systems without O_TMPFILE) a hidden named temp file is used and removed on
// Abort; stale ones left by a killed process are swept on the next Create.
package atomicfile
