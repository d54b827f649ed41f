// Package convert turns a Hugging Face ternary checkpoint of a family of
// package arch (BitNet b1.58; the ternary Llama of Falcon3-1.58bit and
// Llama3-8B-1.58) into one I2_S GGUF file that this project's runtime and
// bitnet.cpp both load.
//
// Contract (docs/SEMANTICS.md §1–§5; golden/README.md "Family 2"):
//   - The config is validated (family, activation, dimensions) and every
//     tensor checked against it before anything is written. Tensor names,
//     order and roles come from the family's description (arch.Family).
//   - Every BitLinear projection is ternarized with absmean (package quant,
//     docs/SEMANTICS.md §2) or, for the packed form (§3), unpacked as is with the
//     multiplier of its weight_scale under the config's linear_class
//     (weight_scale for "autobitlinear", RN_f32(1/weight_scale) for
//     "bitlinear"), then packed as I2_S in the chosen layout (§4). Rows whose
//     in-dimension is not a multiple of the block are padded with zero
//     weights and the file says so (key bitnet-go.i2s.padded).
//   - With OutType "t5_s" the projections are packed as T5_S instead
//     (docs/SEMANTICS.md §4b, type 5005, rows padded to 160 values, keys
//     bitnet-go.t5s.* in place of bitnet-go.i2s.*): the same codes and
//     scales, a file only bitnet-go loads, which Convert warns about.
//   - With OutType "t3_s" they are packed as T3_S (docs/SEMANTICS.md §4c,
//     type 5006, rows padded to 96 values, keys bitnet-go.t3s.*), likewise
//     only for bitnet-go.
//   - token_embd is F16 (Q8_0 or Q6_K with --embd-type, for a tied head),
//     norms F32, projections I2_S (type 36), with the
//     keys of §5 under the family's GGUF architecture, plus the tokenizer
//     when tokenizer.json is present. The Llama family is written as
//     llama.cpp's "llama": an untied output.weight (F16, never ternarized;
//     --embd-type applies to it), attention.key_length/value_length when
//     head_dim ≠ hidden/heads, and q/k rows permuted per head for llama.cpp's
//     interleaved RoPE (arch.PermuteRows).
//   - The conversion streams tensor by tensor; the output appears at its
//     path complete or not at all (package internal/atomicfile). A failing
//     output (a full disk) is reported as "writing PATH: CAUSE".
//   - The file carries SHA-256 checksums of every tensor's data and of the
//     header (keys bitnet-go.sha256.tensors and bitnet-go.sha256.header,
//     package internal/integrity), patched in after the data is streamed;
//     the output stays a deterministic function of the input.
//   - The file records its source as the reference's goldens do (keys
//     bitnet-go.source.config_sha256 and bitnet-go.source.weights_sha256:
//     SHA-256 of config.json and of the *.safetensors files concatenated in
//     name order), hashed on another goroutine while the tensors stream and
//     patched in before the header checksum, which covers them.
package convert
