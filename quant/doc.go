// Package quant turns float weights into ternary codes and packs them.
//
// Contract:
//   - Ternarize is absmean quantization exactly as docs/SEMANTICS.md §2 states it:
//     m = max(mean|W|, 1e-5) over the whole matrix, t = clamp(roundHalfEven(W·(1/m)), -1, 1),
//     in float32 with the reciprocal taken first (PyTorch's order), so .5 ties
//     round as the reference rounds them.
//   - Pack and Unpack implement the I2_S byte layouts of docs/SEMANTICS.md §4 (the
//     x86 128-value block and the ARM 64-value block) and are exact inverses
//     on codes -1, 0, 1. The two layouts differ only in the block size B
//     (byte p of a block holds values p, p+B/4, p+B/2, p+3B/4), so one
//     implementation, i2s.go, serves both, parameterized by
//     Layout.BlockValues; its tests run every case on both layouts.
//   - PackT5S and UnpackT5S implement T5_S (docs/SEMANTICS.md §4b, t5s.go):
//     five values per byte in 160-value blocks of 32 bytes, q = ⌈v·256/243⌉
//     of the base-3 digits; UnpackT5S rejects the 13 bytes PackT5S never
//     writes.
//   - PackT3S and UnpackT3S implement T3_S (docs/SEMANTICS.md §4c, t3s.go):
//     three values per 5-bit code c = d_0 + 3·d_1 + 9·d_2, 96-value groups of
//     20 bytes in chunks of four, nibble bytes then bit bytes; UnpackT3S
//     rejects codes 27–31.
//   - UnpackHF decodes the offline-packed Hugging Face form of docs/SEMANTICS.md §3.
//
// Nothing here reads files: callers pass slices.
package quant
