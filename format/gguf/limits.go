package gguf

// Limits the parser enforces on untrusted input, and the writer enforces on
// what it is asked to write, so that everything the writer produces parses.
// Each is far above what a real model needs (BitNet 2B4T: 332 tensors, 24 keys,
// 280147 merges, a chat template of a few KiB) and small enough that a lying
// length cannot make the parser allocate much more than the file's own size.
const (
	// DefaultAlignment is the tensor data alignment when the file has no
	// general.alignment key (GGUF specification, docs/SEMANTICS.md §5).
	DefaultAlignment = 32
	// MaxAlignment caps general.alignment, which must also be a power of two.
	MaxAlignment = 1 << 20

	// MaxKeyLen caps a metadata key's length in bytes (the GGUF
	// specification's 65535).
	MaxKeyLen = 65535
	// MaxStringLen caps one metadata string value (64 MiB).
	MaxStringLen = 64 << 20
	// MaxArrayLen caps the element count of one metadata array. Arrays are
	// further bounded by the bytes remaining in the file.
	MaxArrayLen = 1 << 28

	// MaxTensorNameLen caps a tensor name: ggml's GGML_MAX_NAME is 64
	// including the terminating NUL, and llama.cpp rejects longer names.
	MaxTensorNameLen = 63
	// MaxDims is ggml's GGML_MAX_DIMS. Every tensor has 1 to MaxDims
	// dimensions, each at least 1.
	MaxDims = 4
	// maxElements caps a tensor's element count (ggml stores it as int64).
	maxElements = 1<<63 - 1
)

// Well-known keys.
const (
	KeyArchitecture = "general.architecture"
	KeyAlignment    = "general.alignment"
)
