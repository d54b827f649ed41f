// Package regfile is the one way this project opens a file for reading:
// every reader of a model, shard, config, tokenizer or golden goes through
// Open or ReadFile, and atomicfile uses Kind to replace only regular files.
//
// Contract: Open succeeds only for a regular file (after following
// symbolic links). It opens with O_NONBLOCK, so a FIFO (or a device that
// would block) is refused at once instead of hanging the process before it
// can be interrupted; the descriptor is switched back to blocking before it
// is returned. ReadFile also caps the bytes read at a limit, checked
// against the size first and enforced while reading, so a file that grows,
// or lies about its size, cannot make it allocate more. Errors name the
// path and what it is ("a named pipe (FIFO), not a regular file"), and a
// missing file satisfies errors.Is(err, fs.ErrNotExist).
package regfile
