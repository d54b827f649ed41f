// Package bench measures prefill and decode speed the way llama-bench does
// (pp = prompt processing of N tokens in one batch, tg = N single-token
// decode steps), and relates decode speed to the memory roofline measured
// in the same run: decode reads every weight once per token, so
// bandwidth ÷ bytes-per-token bounds it.
package bench
