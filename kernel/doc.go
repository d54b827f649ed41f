// Package kernel computes exact int32 dot products between ternary weights
// packed in I2_S (REFERENCE.md §4, x86 128-value block layout) and int8
// activations (REFERENCE.md §2), and quantizes float32 activations to int8.
//
// Contract, shared by every path (scalar reference, pure Go, AVX2,
// AVX-512 VNNI, NEON):
//
//   - A weight matrix has rows × k ternary values t ∈ {-1, 0, 1}, k a multiple
//     of BlockValues (128). Row r occupies bytes [r·k/4, (r+1)·k/4) of w, in
//     the x86 I2_S block layout: byte p of each 32-byte block holds values
//     p, p+32, p+64, p+96 of that block in bits 7:6, 5:4, 3:2, 1:0, as codes
//     c = t+1 (code 3 is never produced; its result is unspecified).
//   - MatVec writes dst[r] = Σ_j t[r][j]·x[j] for r < len(dst), exactly.
//   - MatMat does the same for a batch: x holds tokens rows of k int8 values,
//     dst[i·rows+r] = Σ_j t[r][j]·x[i·k+j].
//   - Results are identical on every path, for every input.
//
// Kernels know bytes, not files or models: the caller slices rows out of a
// tensor and applies float scales.
package kernel
