#!/usr/bin/env python3
"""Golden logits from the Hugging Face transformers BitNet implementation.

Writes a golden file in the format of golden/README.md (input_ids, logits,
hidden.N, metadata) by running one forward pass of transformers'
BitNetForCausalLM (eager attention, batch 1, no KV cache) on CPU.

    pip install torch transformers safetensors huggingface_hub
    python scripts/golden.py --model microsoft/bitnet-b1.58-2B-4T-bf16 \
        --ids 128000,791,3938 --dtype float32 --out G.safetensors
    python scripts/golden.py --model /path/to/model_dir --prompt "Hello" \
        --dtype bfloat16 --out G.safetensors

--model is a Hub id or a local model directory. --prompt is tokenized with
the model's tokenizer, without its special tokens, and BOS is put first.
hidden.N is the output of decoder layer N (the residual stream before the
final norm), captured with a forward hook: output_hidden_states is not used
because its last entry is taken after the final norm.
"""

import argparse
import hashlib
import os

# torch, transformers and safetensors are imported in main(), after argument
# parsing, so --help works without them.
DTYPES = ("float32", "bfloat16")


def snapshot_dir(model):
    """The local directory holding the model's files."""
    if os.path.isdir(model):
        return model
    from huggingface_hub import snapshot_download

    return snapshot_download(model, allow_patterns=["*.json", "*.safetensors", "*.jinja", "*.model"])


def sha256_files(paths):
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 24), b""):
                h.update(block)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="Hub id or local model directory")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--ids", help="comma-separated token ids (BOS included if wanted)")
    src.add_argument("--prompt", help="text, tokenized with the model's tokenizer, BOS added first")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="float32")
    ap.add_argument("--out", required=True, help="output .safetensors file")
    args = ap.parse_args()

    try:
        import torch
        import transformers
        from safetensors.torch import save_file
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as e:
        raise SystemExit(f"golden.py: {e.name} is not installed: pip install torch transformers safetensors huggingface_hub")
    torch.set_grad_enabled(False)
    local = snapshot_dir(args.model)
    model = AutoModelForCausalLM.from_pretrained(
        local, torch_dtype={"float32": torch.float32, "bfloat16": torch.bfloat16}[args.dtype], attn_implementation="eager"
    )
    model.eval()
    cfg = model.config

    if args.ids is not None:
        ids = [int(x) for x in args.ids.split(",") if x.strip()]
    else:
        tok = AutoTokenizer.from_pretrained(local)
        bos = tok.bos_token_id if tok.bos_token_id is not None else cfg.bos_token_id
        ids = [bos] + tok(args.prompt, add_special_tokens=False)["input_ids"]
    if not ids or any(i < 0 or i >= cfg.vocab_size for i in ids):
        raise SystemExit(f"token ids must be in [0, {cfg.vocab_size}): {ids}")

    # Decoder layer outputs: a tensor, or a tuple whose first element is the
    # hidden state (depending on the transformers version).
    hidden = {}

    def hook(n):
        def f(module, inputs, output):
            out = output[0] if isinstance(output, tuple) else output
            hidden[n] = out[0].float().contiguous()

        return f

    layers = model.model.layers
    handles = [layer.register_forward_hook(hook(n)) for n, layer in enumerate(layers)]
    input_ids = torch.tensor([ids], dtype=torch.long)
    logits = model(input_ids=input_ids, use_cache=False).logits[0].float().contiguous()
    for h in handles:
        h.remove()
    assert len(hidden) == len(layers), "a decoder layer hook did not fire"
    assert logits.shape == (len(ids), cfg.vocab_size), logits.shape

    tensors = {"input_ids": torch.tensor(ids, dtype=torch.int32), "logits": logits}
    for n in range(len(layers)):
        tensors[f"hidden.{n}"] = hidden[n]

    weights = sorted(f for f in os.listdir(local) if f.endswith(".safetensors"))
    qc = getattr(cfg, "quantization_config", None) or {}
    if not isinstance(qc, dict):
        qc = qc.to_dict()
    metadata = {
        "reference": f"transformers-{transformers.__version__}",
        "compute_dtype": args.dtype,
        "model": args.model,
        "weights_sha256": sha256_files([os.path.join(local, f) for f in weights]),
        "config_sha256": sha256_files([os.path.join(local, "config.json")]),
        "quantization_mode": str(qc.get("quantization_mode", "none")),
        "attention": "eager",
        "prompt": ",".join(str(i) for i in ids),
        "torch_version": torch.__version__,
    }
    save_file(tensors, args.out, metadata=metadata)
    print(f"wrote {args.out}: {len(ids)} tokens, {len(layers)} layers, vocab {cfg.vocab_size}")


if __name__ == "__main__":
    main()
