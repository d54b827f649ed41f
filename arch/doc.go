// Package arch describes the model families this project converts and
// runs, one file per family: which tensors a checkpoint holds (Hugging Face
// and GGUF names, roles, shapes in terms of the config's dimensions, which
// are ternary BitLinear projections), the activation of the gated MLP,
// whether the layer has sub-norms, whether the LM head is tied to the
// embedding, how the GGUF file lays out q/k for RoPE, and the Hugging Face
// config defaults of the family.
//
// # Contract
//
// It is a leaf package (it imports nothing from this project): format/hf
// checks a checkpoint against Family.Expand, convert names and writes
// tensors from the same list, and model loads them by Tensor.Key and runs
// the forward pass from Activation, SubNorms, TiedHead and RopeInterleaved.
// Adding a family is one new file here defining a Family and listing it in
// Families.
//
// How a packed checkpoint's weight_scale is applied is decided by the
// config's quantization_config.linear_class exactly as transformers decides
// it (WeightScaleRule), for every family: "autobitlinear" multiplies the
// matmul result by weight_scale (it holds the absmean), "bitlinear" (the
// default) divides by it (it holds 1/absmean).
package arch
