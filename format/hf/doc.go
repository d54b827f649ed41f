// Package hf reads Hugging Face ternary model directories: config.json, the
// safetensors weights (one model.safetensors, or shards listed by
// model.safetensors.index.json), tokenizer.json and tokenizer_config.json.
// It also writes safetensors files, for tests and synthetic models.
//
// # Contract
//
// Config (ReadConfig, ParseConfig, Validate) accepts only what the rest of
// the project implements, the families of package arch: BitNet
// (BitNetForCausalLM or BitnetForCausalLM, model_type bitnet, relu2,
// heads × head_dim == hidden; docs/SEMANTICS.md §1) and the ternary Llama
// (LlamaForCausalLM, model_type llama, quant_method bitnet, silu, an untied
// lm_head). Both need kv heads dividing heads, an even head_dim, plain RoPE
// (rope_scaling null), no biases, pretraining_tp 1, and a
// quantization_config of quant_method "bitnet" whose linear_class is
// "autobitlinear" (weight_scale multiplies) or "bitlinear" (it divides; the
// default), in mode "online" (BF16 master weights) or "offline" (packed,
// docs/SEMANTICS.md §3; "bitlinear" is always packed). BitnetForCausalLM with
// model_type llama (1bitLLM's bitnet_b1_58) is refused by name. Absent
// optional keys take the family's transformers config defaults
// (arch.Family.Defaults) and are listed in Config.Defaulted; the core
// dimensions are required. A repeated config.json key takes its last value.
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
// ErrNonFinite, ErrConfig (config.json malformed, not a supported
// model, or a value outside package limits' bounds). When the files are read into memory instead of mapped, a file
// larger than the available memory is refused with a clear error.
//
// CheckShapes checks every tensor of the config's family (arch.Family.Expand)
// against the config, in the BF16 master form or the packed form of §3 (U8
// [out/4, in] plus a [1] weight_scale); a shape error says which config
// values the expected shape comes from. BitNet ties the LM head to the
// embeddings, so there an lm_head.weight is accepted and ignored; the Llama
// family requires it, and so does a BitNet config with tie_word_embeddings
// false (ErrMissingTensor: transformers would build a random head). Other extra tensors are allowed and listed by
// Unexpected.
package hf
