package convert

import (
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/quant"
)

// Keys of a T3_S file (docs/SEMANTICS.md §4c), written instead of the
// bitnet-go.i2s.* ones.
const (
	// KeyT3SVersion names the T3_S layout: 1 is 96-value groups of 20
	// bytes in chunks of four, codes d_0 + 3·d_1 + 9·d_2 split into nibble
	// bytes and bit bytes.
	KeyT3SVersion   = "bitnet-go.t3s.version"
	KeyT3SGroupSize = "bitnet-go.t3s.group_size" // 96
	KeyT3SPadded    = "bitnet-go.t3s.padded"     // rows padded to the group
)

// FileTypeT3S is general.file_type for "mostly T3_S", like the tensor type
// id (gguf.TypeT3_S).
const FileTypeT3S = 5006

// T3SVersion is the T3_S layout convert writes.
const T3SVersion = 1

// t3sWarning is printed whenever a T3_S file is written.
const t3sWarning = "--outtype t3_s writes bitnet-go's own T3_S type (three ternary values per 5-bit code, tensor type id 5006): bitnet.cpp and llama.cpp cannot load this file; use --outtype i2_s for a file they run"

// t3sKVs replaces the I2_S keys of kvs by T3_S's and sets
// general.file_type.
func t3sKVs(kvs []kv, padded bool) []kv {
	return ownKVs(kvs, FileTypeT3S,
		kv{KeyT3SVersion, gguf.Uint32(T3SVersion)},
		kv{KeyT3SGroupSize, gguf.Uint32(quant.T3SGroupValues)},
		kv{KeyT3SPadded, gguf.Bool(padded)})
}
