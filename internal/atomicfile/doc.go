// Package atomicfile writes a file so that readers of its path see either
// nothing (or the previous file) or the complete new content, never a
// partial one — even if the writer is killed with SIGKILL.
//
// On Linux the content goes to an unnamed O_TMPFILE inode in the target's
// directory, which the kernel frees if the process dies; Commit links it in
// under the target's name, or, to replace an existing file, under a hidden
// name (.bitnet-tmp-<target>-<random>) renamed over the target in the very
// next syscall. Elsewhere (or on file systems without O_TMPFILE) a hidden
// named temp file is used and removed on Abort. Nothing is ever swept: a
// file with that prefix cannot be proved ours (anyone may create one), so
// the one left by a SIGKILL in the one-syscall window above, or by a killed
// process where O_TMPFILE is missing, stays for the user to remove.
//
// Only regular files are replaced (with overwrite): a symbolic link, even
// to a regular file, a FIFO, a device or a directory at the target is an
// error of class regfile.ErrNotRegular, and is left as it was.
package atomicfile
