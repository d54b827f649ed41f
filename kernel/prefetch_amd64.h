// Software-prefetch hints the streaming kernels are instantiated with: every
// instance of a kernel body computes the same values, only its prefetch
// instructions differ (package kernel picks one at run time, see prefetch.go).
#define PF_NTA(addr) PREFETCHNTA addr
#define PF_T0(addr) PREFETCHT0 addr
#define PF_T2(addr) PREFETCHT2 addr
#define PF_NONE(addr)

// ATTN_PF_ROWS is how many cache rows (positions) ahead the attention
// kernels prefetch: rows are strided, so the hardware prefetchers do not
// follow them, and each row is only a few cache lines.
#define ATTN_PF_ROWS 16
