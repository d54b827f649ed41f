// Package gguf reads and writes GGUF files, the llama.cpp model format that
// bitnet.cpp loads (docs/SEMANTICS.md §5).
//
// Layout (little-endian): magic "GGUF", version uint32 (3 written; 2 and 3
// read), tensor count uint64, key count uint64, the keys (string key, uint32
// value type, value), the tensor infos (string name, uint32 n_dims, n_dims
// uint64 dimensions in ggml order, ne0 = the innermost/in-dimension first,
// uint32 type, uint64 offset relative to the data section), zero padding to
// the alignment, then the tensor data, each tensor at an aligned offset.
// Strings are a uint64 length and that many bytes. The alignment is the
// general.alignment key, 32 when absent.
//
// Contract:
//   - Tensor types carry bitnet.cpp's ids: I2_S is 36 and its byte size is
//     n/4 + 32 (docs/SEMANTICS.md §4, §5). I8_S, TL1 and TL2 (37..39) have names
//     but no known size, so they can be neither written nor parsed.
//   - Writer is streaming and deterministic: keys in insertion order (put
//     general.architecture first, as llama.cpp does), tensors in the order
//     declared, offsets computed before the header is written, tensor data
//     streamed one tensor at a time with zero padding after each. Duplicate
//     keys or tensor names are errors. Files it writes pass Parse.
//   - Parse and Open distrust their input and never panic: every length and
//     count is capped (the Max* constants) and checked against the bytes left
//     before anything is allocated, arithmetic is overflow-checked, tensor
//     data must be aligned, inside the file and non-overlapping, and
//     duplicate keys or tensor names, unknown value or tensor type ids,
//     nested arrays, bool bytes other than 0 and 1, and more than MaxDims
//     dimensions are rejected. Errors are *FormatError, naming the key or
//     tensor and the byte offset of the field at fault, and carrying a
//     class for errors.Is: ErrTruncated, ErrTooLarge, ErrDuplicate,
//     ErrUnknownType, ErrOverlap or ErrInvalid.
//   - Open memory-maps the file read-only (package internal/mmap);
//     TensorData returns views of the mapping (no copy), valid until
//     Close. Where mmap fails it reads the file into memory, after checking
//     that it fits in the memory available (a clear error otherwise, not an
//     allocator crash). FromMapping and FromBytes parse bytes a loader has
//     placed itself (a mapping, or memory it read the file into) and release
//     them on Close: where a model's bytes live is the loader's choice
//     (package model), not this package's.
//   - Writer.ValueOffset and File.ValueOffset give where a key's value lies
//     in the file, so that fixed-length placeholder values can be patched
//     after the data is written (the checksums of package
//     internal/integrity); File.ReadAt exposes the raw bytes for such
//     checks.
package gguf
