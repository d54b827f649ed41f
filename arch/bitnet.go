package arch

// BitNet is Microsoft's BitNet b1.58 (2B4T, docs/SEMANTICS.md §1):
// BitNetForCausalLM (also spelled BitnetForCausalLM), model_type "bitnet";
// squared-ReLU gated MLP, RMSNorm sub-norms before o_proj (over hidden) and
// down_proj (over intermediate), the LM head tied to the F16 embedding,
// rotate-half RoPE on q/k in Hugging Face row order. GGUF architecture
// "bitnet-b1.58" (bitnet.cpp's first release wrote "bitnet-25").
var BitNet = &Family{
	Name:            "bitnet",
	HFArchitectures: []string{"BitNetForCausalLM", "BitnetForCausalLM"},
	HFModelType:     "bitnet",
	GGUFArch:        "bitnet-b1.58",
	GGUFAliases:     []string{"bitnet-25"},
	Activation:      ReLU2,
	SubNorms:        true,
	TiedHead:        true,
	// transformers' BitNetConfig.
	Defaults: Defaults{
		NumKeyValueHeads:      5,
		HiddenAct:             "relu2",
		MaxPositionEmbeddings: 2048,
		RMSNormEps:            1e-5,
		RopeTheta:             500000,
		BOSTokenID:            128000,
		EOSTokenID:            128001,
	},
	Global: []Tensor{
		{HF: "model.embed_tokens.weight", GGUF: "token_embd.weight", Key: "token_embd", Role: RoleEmbedding, Out: DimVocab, In: DimHidden},
	},
	Layer: []Tensor{
		{HF: "model.layers.%d.input_layernorm.weight", GGUF: "blk.%d.attn_norm.weight", Key: "attn_norm", Role: RoleNorm, Out: DimHidden},
		{HF: "model.layers.%d.self_attn.q_proj.weight", GGUF: "blk.%d.attn_q.weight", Key: "attn_q", Role: RoleProjection, Out: DimQ, In: DimHidden},
		{HF: "model.layers.%d.self_attn.k_proj.weight", GGUF: "blk.%d.attn_k.weight", Key: "attn_k", Role: RoleProjection, Out: DimKV, In: DimHidden},
		{HF: "model.layers.%d.self_attn.v_proj.weight", GGUF: "blk.%d.attn_v.weight", Key: "attn_v", Role: RoleProjection, Out: DimKV, In: DimHidden},
		{HF: "model.layers.%d.self_attn.o_proj.weight", GGUF: "blk.%d.attn_output.weight", Key: "attn_output", Role: RoleProjection, Out: DimHidden, In: DimQ},
		{HF: "model.layers.%d.self_attn.attn_sub_norm.weight", GGUF: "blk.%d.attn_sub_norm.weight", Key: "attn_sub_norm", Role: RoleNorm, Out: DimHidden},
		{HF: "model.layers.%d.post_attention_layernorm.weight", GGUF: "blk.%d.ffn_norm.weight", Key: "ffn_norm", Role: RoleNorm, Out: DimHidden},
		{HF: "model.layers.%d.mlp.gate_proj.weight", GGUF: "blk.%d.ffn_gate.weight", Key: "ffn_gate", Role: RoleProjection, Out: DimIntermediate, In: DimHidden},
		{HF: "model.layers.%d.mlp.up_proj.weight", GGUF: "blk.%d.ffn_up.weight", Key: "ffn_up", Role: RoleProjection, Out: DimIntermediate, In: DimHidden},
		{HF: "model.layers.%d.mlp.down_proj.weight", GGUF: "blk.%d.ffn_down.weight", Key: "ffn_down", Role: RoleProjection, Out: DimHidden, In: DimIntermediate},
		{HF: "model.layers.%d.mlp.ffn_sub_norm.weight", GGUF: "blk.%d.ffn_sub_norm.weight", Key: "ffn_sub_norm", Role: RoleNorm, Out: DimIntermediate},
	},
	Final: []Tensor{
		{HF: "model.norm.weight", GGUF: "output_norm.weight", Key: "output_norm", Role: RoleNorm, Out: DimHidden},
	},
}
