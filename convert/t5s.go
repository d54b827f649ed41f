package convert

import (
	"fmt"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/quant"
)

// Keys of a T5_S file (docs/SEMANTICS.md §4b), written instead of the
// bitnet-go.i2s.* ones.
const (
	// KeyT5SVersion names the T5_S layout: 1 is 160-value blocks of 32
	// bytes, byte p holding values p+32i as digits of ⌈v·256/243⌉.
	KeyT5SVersion   = "bitnet-go.t5s.version"
	KeyT5SBlockSize = "bitnet-go.t5s.block_size" // 160
	KeyT5SPadded    = "bitnet-go.t5s.padded"     // rows padded to the block
)

// FileTypeT5S is general.file_type for "mostly T5_S": no llama.cpp file
// type, like the tensor type id (gguf.TypeT5_S).
const FileTypeT5S = 5005

// T5SVersion is the T5_S layout convert writes.
const T5SVersion = 1

// t5sWarning is printed whenever a T5_S file is written.
const t5sWarning = "--outtype t5_s writes bitnet-go's own T5_S type (five ternary values per byte, tensor type id 5005): bitnet.cpp and llama.cpp cannot load this file; use --outtype i2_s for a file they run"

// parseOutType maps --outtype to the projections' tensor type.
func parseOutType(name string, layout quant.Layout) (gguf.Type, error) {
	switch name {
	case "", "i2_s":
		return gguf.TypeI2_S, nil
	case "t5_s", "t3_s":
		t, n := gguf.TypeT5_S, "T5_S"
		if name == "t3_s" {
			t, n = gguf.TypeT3_S, "T3_S"
		}
		if layout != quant.LayoutX86 {
			return 0, fmt.Errorf("--layout %s applies to --outtype i2_s only: %s has one layout", layout, n)
		}
		return t, nil
	}
	return 0, fmt.Errorf("unsupported --outtype %q (supported: i2_s, t5_s, t3_s)", name)
}

// defaultOutName is the output file name inside the model directory for
// projections of type proj.
func defaultOutName(proj gguf.Type) string {
	switch proj {
	case gguf.TypeT5_S:
		return "ggml-model-t5_s.gguf"
	case gguf.TypeT3_S:
		return "ggml-model-t3_s.gguf"
	}
	return DefaultOutName
}

// ownType returns the projections' type if it is one of bitnet-go's own
// (T5_S, T3_S), else 0.
func ownType(items []Item) gguf.Type {
	for _, it := range items {
		if it.Type == gguf.TypeT5_S || it.Type == gguf.TypeT3_S {
			return it.Type
		}
	}
	return 0
}

// t5sKVs replaces the I2_S keys of kvs by T5_S's and sets
// general.file_type.
func t5sKVs(kvs []kv, padded bool) []kv {
	return ownKVs(kvs, FileTypeT5S,
		kv{KeyT5SVersion, gguf.Uint32(T5SVersion)},
		kv{KeyT5SBlockSize, gguf.Uint32(quant.T5SBlockValues)},
		kv{KeyT5SPadded, gguf.Bool(padded)})
}

// ownKVs drops the I2_S keys of kvs, sets general.file_type to fileType
// and appends the keys of one of bitnet-go's own types.
func ownKVs(kvs []kv, fileType uint32, own ...kv) []kv {
	out := kvs[:0:0]
	for _, e := range kvs {
		switch e.key {
		case KeyLayout, KeyBlockSize, KeyPadded:
			continue
		case "general.file_type":
			e.val = gguf.Uint32(fileType)
		}
		out = append(out, e)
	}
	return append(out, own...)
}
