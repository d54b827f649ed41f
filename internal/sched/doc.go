// Package sched schedules the forward pass's work on threads: a Pool of
// persistent goroutines running parallel-fors over index ranges (Run: one
// even range per thread; RunChunks: fixed-size ranges claimed as threads
// free up; RunGuided: shrinking ranges, multiples of BandRows).
//
// It knows ranges, not kernels or models: the caller's function decides
// what a range of rows (or heads) means. Calls do not allocate or start
// goroutines; idle workers spin for 50µs before sleeping, so a Pool wants
// its threads' cores to itself.
package sched
