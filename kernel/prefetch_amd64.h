// Software-prefetch hints the streaming kernels are instantiated with: every
// instance of a kernel body computes the same values, only its prefetch
// instructions differ (package kernel picks one at run time, see prefetch.go).
#define PF_NTA(addr) PREFETCHNTA addr
#define PF_T0(addr) PREFETCHT0 addr
#define PF_T2(addr) PREFETCHT2 addr
#define PF_NONE(addr)
