// Package hf reads Hugging Face BitNet model directories: config.json, the
// safetensors weights (one model.safetensors, or shards listed by
// model.safetensors.index.json), tokenizer.json and tokenizer_config.json.
// It also writes safetensors files, for tests and synthetic models.
//
// # Contract
//
// Config (ReadConfig, ParseConfig, Validate) accepts only what the rest of
// the project implements (REFERENCE.md §1): architecture BitNetForCausalLM
// or BitnetForCausalLM, hidden_act relu2, heads × head_dim == hidden,
// kv heads dividing heads, an even head_dim, plain RoPE, no biases, and a
// quantization_config of quant_method "bitnet" in mode "online" (BF16
// master weights) or "offline" (packed, REFERENCE.md §3). Absent optional
// keys take the transformers BitNetConfig defaults (rope_theta 500000,
// rms_norm_eps 1e-5, ...) and are listed in Config.Defaulted; the core
// dimensions are required.
//
// Open maps each safetensors file read-only and validates its header before
// any tensor is used: the 8-byte little-endian length is at most
// MaxHeaderSize and inside the file, the JSON is valid UTF-8 without
// duplicate keys, every dtype is known, shape × dtype size equals the byte
// span (overflow-checked), and the tensors tile the data region exactly.
// A file too short for its tensors is reported as truncated, a header
// length past the end of the file as such. Sharded checkpoints are checked
// both ways against the index, and a missing shard is named.
//
// Reading streams: Raw returns a slice of the mapping and Float32 converts
// one tensor (BF16 and F16 widen exactly), rejecting NaN and ±Inf with the
// element's index; nothing else is read, and Float32 releases the tensor's
// pages afterwards, so converting a multi-gigabyte checkpoint keeps about
// one tensor resident. On platforms without mmap support here the files are
// read into memory instead.
//
// Errors keep messages naming the file, tensor and element, and carry a
// class for errors.Is: ErrTruncated, ErrDtype, ErrShape, ErrMissingTensor,
// ErrNonFinite, ErrConfig. When the files are read into memory instead of mapped, a
// file larger than the available memory is refused with a clear error.
//
// CheckShapes checks every tensor REFERENCE.md §1 names against the config,
// in the BF16 master form or the offline packed form of §3 (U8 [out/4, in]
// plus a [1] weight_scale). BitNet ties the LM head to the embeddings, so an
// lm_head.weight is accepted and ignored; but a config with
// tie_word_embeddings false and no lm_head.weight is refused
// (ErrMissingTensor: transformers would build a random head). Other extra
// tensors are allowed and listed by Unexpected.
package hf
