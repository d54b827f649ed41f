package membw

import (
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/bitnet-go/bitnet/internal/hugemem"
)

// Measure returns the best read bandwidth in bytes/s over reps passes of
// `threads` goroutines each reading its share of a size-byte buffer (use a
// buffer well beyond the last-level cache, e.g. 1 GB).
func Measure(size int, threads, reps int) (float64, error) {
	threads = max(threads, 1)
	// Outside the Go heap and advised for huge pages like the model's
	// weights: the roofline is measured on the same kind of memory, and the
	// buffer goes back to the OS at once.
	mem, release, err := hugemem.Alloc(size / 8 * 8)
	if err != nil {
		return 0, fmt.Errorf("membw: the bandwidth probe's buffer: %w", err)
	}
	buf := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(mem))), len(mem)/8)
	defer release()
	for i := range buf {
		buf[i] = uint64(i) // fault the pages in
	}
	chunk := len(buf) / threads
	best := 0.0
	var sink uint64
	for range max(reps, 1) {
		var wg sync.WaitGroup
		sums := make([]uint64, threads)
		start := time.Now()
		for t := 0; t < threads; t++ {
			wg.Add(1)
			go func(t int) {
				defer wg.Done()
				sums[t] = readWords(buf[t*chunk : (t+1)*chunk])
			}(t)
		}
		wg.Wait()
		el := time.Since(start).Seconds()
		for _, s := range sums {
			sink += s
		}
		best = max(best, float64(chunk*threads*8)/el)
	}
	Sink = sink
	return best, nil
}

// Sink keeps the sums alive so the reads are not optimized away.
var Sink uint64

// readWords sums the words of b with independent accumulators so the loop
// is bound by loads, not by the add chain.
func readWords(b []uint64) uint64 {
	if f := fastRead; f != nil && len(b) >= 8 {
		n := len(b) &^ 7
		return f(unsafe.Pointer(&b[0]), n*8) + readWordsGo(b[n:])
	}
	return readWordsGo(b)
}

// fastRead, when set by an architecture file, reads n bytes (a multiple of
// 64) at p with vector loads.
var fastRead func(p unsafe.Pointer, n int) uint64

func readWordsGo(b []uint64) uint64 {
	var s0, s1, s2, s3 uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		s0 += b[i] ^ b[i+4]
		s1 += b[i+1] ^ b[i+5]
		s2 += b[i+2] ^ b[i+6]
		s3 += b[i+3] ^ b[i+7]
	}
	for ; i < len(b); i++ {
		s0 += b[i]
	}
	return s0 + s1 + s2 + s3
}
