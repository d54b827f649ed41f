// Package sched schedules the forward pass's work on threads: a Pool of
// persistent goroutines running parallel-fors over index ranges (Run: one
// even range per thread; RunChunks: fixed-size ranges claimed as threads
// free up; RunSplit: one segment per thread, streamed front to back in
// ranges that start at multiples of BandRows, leftovers taken from the
// back by threads that finish first). Wake readies sleeping workers for a
// job about to come.
//
// It knows ranges, not kernels or models: the caller's function decides
// what a range of rows (or heads) means. Calls do not allocate or start
// goroutines; idle workers spin for 50µs before sleeping, so a Pool wants
// its threads' cores to itself.
package sched
