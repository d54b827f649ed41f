// Package hugemem allocates memory outside the Go heap that Linux backs
// with transparent huge pages where it can: the KV cache and the bandwidth
// probe's buffer (Alloc), and the loaded weights, which the model's
// placement maps or reads itself and advises here (Advise). Streaming over
// 2 MiB pages takes a few hundred TLB entries instead of a quarter million,
// and faults memory in 512 times less often.
//
// Contract: Alloc(n) returns n zeroed bytes and a function releasing them
// (call it once, after the last use), or an error naming the size when the
// system refuses the mapping: never a fall back to the Go heap, whose
// failure is a fatal "out of memory" no caller can handle. Callers check
// their budget (internal/sysmem) before asking. On systems without mmap the
// bytes come from the Go heap and the release does nothing. Advise asks for
// huge pages on a range it did not allocate (a file mapping, or memory the
// loader mapped); it is a hint, and its failure is ignored.
package hugemem
