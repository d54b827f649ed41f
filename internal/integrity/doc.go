// Package integrity stores SHA-256 checksums in the GGUF files package
// convert writes, and checks them, so that a corrupted download, disk or
// copy is reported by tensor name instead of producing wrong logits.
//
// Two metadata keys hold the checksums, as lowercase hexadecimal strings of
// exactly 64 digits:
//
//   - KeyTensors, an ARRAY of STRING with one entry per tensor in the file's
//     tensor order: the SHA-256 of that tensor's data bytes exactly as
//     stored (TensorInfo.Size bytes at its offset; the padding after it is
//     not included).
//   - KeyHeader, a STRING: the SHA-256 of the whole header, bytes 0 up to
//     the start of the data section (magic, version, counts, every key and
//     value, every tensor info, and the zero padding before the data), with
//     the 64 digits of this value itself read as '0'. It covers every other
//     key, the tensor infos and KeyTensors' digests, so header corruption
//     that still parses is caught. This is the header's own encoding, not a
//     re-serialization: a tool that rewrites the header differently (another
//     key order, another alignment) invalidates it.
//
// The padding between tensors' data (and after the last tensor) is not
// hashed: Check requires it to be zero, as the Writer writes it, and the
// file to end at the last tensor's aligned end.
//
// Writing: Declare adds both keys with placeholder values (all '0' digits)
// before gguf.Writer.WriteHeader; the caller hashes each tensor's bytes as
// it streams them; Seal then patches the digests in place, in a file that
// can be read and written at any offset (the converter's *os.File). The
// placeholders have the final values' lengths, so nothing moves, and the
// output stays a deterministic function of its input.
//
// Files without the keys (bitnet.cpp's, llama.cpp's) are not an error in
// themselves: Check returns ErrNoChecksums for them, distinct from a
// problem found in a file that has checksums.
package integrity
