package arch

// Llama is the packed ternary Llama family (tiiuae/Falcon3-*-1.58bit,
// HF1BitLLM/Llama3-8B-1.58-100B-tokens; golden/README.md "Family 2"):
// LlamaForCausalLM, model_type "llama", with quantization_config.quant_method
// "bitnet", so that transformers replaces every q/k/v/o/gate/up/down
// projection by its BitLinear. Otherwise plain Llama: SiLU-gated MLP, no
// sub-norms, an untied lm_head kept in floating point (never ternarized),
// head_dim from the config when present (heads × head_dim may differ from
// hidden), grouped-query attention of any ratio.
//
// It is written as llama.cpp's (and bitnet.cpp's) "llama" architecture:
// llama.* keys, output.weight for the head, q/k rows permuted for the
// interleaved RoPE llama.cpp applies to "llama" (Permute).
var Llama = &Family{
	Name:                    "llama-bitlinear",
	HFArchitectures:         []string{"LlamaForCausalLM"},
	HFModelType:             "llama",
	NeedsBitnetQuantization: true,
	GGUFArch:                "llama",
	Activation:              SiLU,
	RopeInterleaved:         true,
	HeadDimFree:             true,
	// transformers' LlamaConfig.
	Defaults: Defaults{
		HiddenAct:             "silu",
		MaxPositionEmbeddings: 2048,
		RMSNormEps:            1e-6,
		RopeTheta:             10000,
		BOSTokenID:            1,
		EOSTokenID:            2,
	},
	Global: []Tensor{
		{HF: "model.embed_tokens.weight", GGUF: "token_embd.weight", Key: "token_embd", Role: RoleEmbedding, Out: DimVocab, In: DimHidden},
	},
	Layer: []Tensor{
		{HF: "model.layers.%d.input_layernorm.weight", GGUF: "blk.%d.attn_norm.weight", Key: "attn_norm", Role: RoleNorm, Out: DimHidden},
		{HF: "model.layers.%d.self_attn.q_proj.weight", GGUF: "blk.%d.attn_q.weight", Key: "attn_q", Role: RoleProjection, Out: DimQ, In: DimHidden, Permute: PermuteQ},
		{HF: "model.layers.%d.self_attn.k_proj.weight", GGUF: "blk.%d.attn_k.weight", Key: "attn_k", Role: RoleProjection, Out: DimKV, In: DimHidden, Permute: PermuteK},
		{HF: "model.layers.%d.self_attn.v_proj.weight", GGUF: "blk.%d.attn_v.weight", Key: "attn_v", Role: RoleProjection, Out: DimKV, In: DimHidden},
		{HF: "model.layers.%d.self_attn.o_proj.weight", GGUF: "blk.%d.attn_output.weight", Key: "attn_output", Role: RoleProjection, Out: DimHidden, In: DimQ},
		{HF: "model.layers.%d.post_attention_layernorm.weight", GGUF: "blk.%d.ffn_norm.weight", Key: "ffn_norm", Role: RoleNorm, Out: DimHidden},
		{HF: "model.layers.%d.mlp.gate_proj.weight", GGUF: "blk.%d.ffn_gate.weight", Key: "ffn_gate", Role: RoleProjection, Out: DimIntermediate, In: DimHidden},
		{HF: "model.layers.%d.mlp.up_proj.weight", GGUF: "blk.%d.ffn_up.weight", Key: "ffn_up", Role: RoleProjection, Out: DimIntermediate, In: DimHidden},
		{HF: "model.layers.%d.mlp.down_proj.weight", GGUF: "blk.%d.ffn_down.weight", Key: "ffn_down", Role: RoleProjection, Out: DimHidden, In: DimIntermediate},
	},
	Final: []Tensor{
		{HF: "model.norm.weight", GGUF: "output_norm.weight", Key: "output_norm", Role: RoleNorm, Out: DimHidden},
		{HF: "lm_head.weight", GGUF: "output.weight", Key: "output", Role: RoleOutput, Out: DimVocab, In: DimHidden},
	},
}
