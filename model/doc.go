// Package model runs the forward pass of the ternary families of package
// arch over packed ternary weights: RMSNorm, per-token int8 activation
// quantization before every BitLinear (docs/SEMANTICS.md §2), exact int32
// ternary matmuls through package kernel, RoPE with float32 angles,
// grouped-query attention of any ratio with a KV cache. What differs comes
// from the family (Config.Family): BitNet b1.58 (docs/SEMANTICS.md §1) has
// sub-norms, relu²·up and the tied F16 LM head, q/k in Hugging Face order
// with rotate-half RoPE; the ternary Llama (golden/README.md "Family 2")
// has no sub-norms, silu·up, head_dim free of hidden, an untied F16 (or
// Q8_0, or Q6_K) output head, and q/k rows in llama.cpp's permuted order with
// interleaved RoPE, the same arithmetic as rotate-half on the unpermuted
// rows. A packed weight's scale is always a multiplier (convert stores
// 1/weight_scale for checkpoints whose linear_class divides).
//
// Contract: given the same weights and tokens, Forward computes the float32
// reference's logits up to float32 rounding of the non-integer steps; the
// integer matmuls are exact. Prefill (many tokens) and decode (one token
// after a cache) give the same results as a full recompute — bit for bit,
// on any number of threads: both run every projection through one
// BitLinear operation (bitLinear) that computes rows in bands on the pool
// and converts them to floats, adds the residual or applies relu²·up
// inside the band; only the cut into bands depends on the token count.
// The model schedules: internal/sched runs the bands on threads, package
// kernel computes each band's integer products and their epilogues. In a
// decode step on several threads, a thread that runs out of bands of a
// BitLinear reads the start of the next weight job into its caches while
// the others finish and the caller runs the serial glue (warm.go), so no
// thread leaves memory idle between jobs; results do not depend on it.
//
// Weights come from a GGUF file written by package convert (or bitnet.cpp)
// through Open/OpenWith, which use the packed weights in place: from the
// file mapping when the kernel backs it with huge pages, else from a copy
// in huge-page memory (LoadMode). A State reserves its whole context's KV
// cache up front outside the Go heap, advised for huge pages; memory is
// touched only as tokens arrive, and Close (or the garbage collector)
// releases it. The context is the caller's (ContextFor: what a run needs,
// not the file's context_length), and NewState, like Forward for its
// batch buffers, checks the bytes against the memory available before
// taking them: too many is an error naming them, never a fatal
// out-of-memory.
//
// OpenWith also picks the kernels' software-prefetch variants
// (LoadOptions.Prefetch): by default it times them on the model's own
// matrices (kernel.Calibrate; every variant computes the same values), and
// PrefetchInfo says what runs. State.TimePhases accumulates where Forward's
// time goes (LM head, ternary projections, attention, glue) for benchmarks.
package model
