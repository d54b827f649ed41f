// Package bench measures prefill and decode speed the way llama-bench does
// (pp = prompt processing of N tokens in one batch, tg = N single-token
// decode steps), and relates decode speed to the memory roofline measured
// in the same run: decode reads every weight once per token, so
// bandwidth ÷ bytes-per-token bounds it. Options.Depth runs each test
// after that many tokens of context, as llama-bench's -d does (decode then
// also reads the KV cache, which its roofline counts).
package bench
