package limits

import (
	"fmt"
	"math"
)

const (
	// MaxDim caps hidden and intermediate sizes, head counts, head_dim and
	// the vocabulary.
	MaxDim = 1 << 20
	// MaxLayers caps the number of decoder layers.
	MaxLayers = 1 << 12
	// MaxContext caps the context length (max_position_embeddings,
	// <arch>.context_length). The KV cache is sized from the context a
	// run asks for, not from this.
	MaxContext = 1 << 20
)

// Count checks that v is in 1..limit.
func Count(key string, v int64, limit int) error {
	if v <= 0 || v > int64(limit) {
		return fmt.Errorf("%s = %d, want 1..%d", key, v, limit)
	}
	return nil
}

// PositiveFloat32 checks a parameter stored as a float32 in GGUF (the RMS
// norm epsilon, the RoPE base): positive and finite once narrowed to
// float32, so 1e-50 (0 in float32) and 1e39 (+Inf) are refused like 0,
// negatives, NaN and infinities.
func PositiveFloat32(key string, v float64) error {
	f := float64(float32(v))
	if !(f > 0) || math.IsInf(f, 0) {
		if f != v && !math.IsNaN(v) {
			return fmt.Errorf("%s %v must be positive and finite as a float32 (it becomes %v)", key, v, f)
		}
		return fmt.Errorf("%s %v must be positive and finite", key, v)
	}
	return nil
}
