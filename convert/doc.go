// Package convert turns a Hugging Face BitNet b1.58 checkpoint into one
// I2_S GGUF file that this project's runtime and bitnet.cpp both load.
//
// Contract (REFERENCE.md §1–§5):
//   - The config is validated (architecture, activation, dimensions) and every
//     tensor checked against it before anything is written.
//   - Every BitLinear projection is ternarized with absmean (package quant,
//     REFERENCE.md §2) or, for the offline packed form (§3), unpacked as is,
//     then packed as I2_S in the chosen layout (§4). Rows whose in-dimension
//     is not a multiple of the block are padded with zero weights and the
//     file says so (key bitnet-go.i2s.padded).
//   - token_embd is F16, norms F32, projections I2_S (type 36), with the
//     keys of §5, plus the tokenizer when tokenizer.json is present.
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
