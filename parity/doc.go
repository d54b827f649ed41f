// Package parity checks a converted model against golden outputs of the
// reference implementation (golden/README.md): it reads golden files, runs
// the forward pass, and reports llama-perplexity-style figures (max and RMS
// logit difference, NMSE, top-1 agreement, KL divergence) with per-layer
// drift when the golden carries hidden.N tensors.
//
// Tolerances follow golden/README.md ("Tolerances"): activation quantization
// rounds to int8, so two correct float32 implementations can round one
// activation differently at a .5 tie and move a golden's logits by ~0.1. A
// suite is judged by its median per-golden max |Δlogit| and the share of
// goldens within 1e-3; each golden by statistical measures (top-1, NMSE),
// never by a per-element tolerance.
package parity
