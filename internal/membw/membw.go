package membw

import (
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/bitnet-go/bitnet/internal/hugemem"
)

// Probe is a read-bandwidth probe over one buffer, allocated and faulted in
// once, so that it can be read again and again during a benchmark (each
// measurement then sits next to the work it is compared with).
type Probe struct {
	buf     []uint64
	release func()
}

// NewProbe allocates a probe of size bytes (use a buffer well beyond the
// last-level cache, e.g. 1 GB) and faults its pages in.
func NewProbe(size int) (*Probe, error) {
	// Outside the Go heap and advised for huge pages like the model's
	// weights: the roofline is measured on the same kind of memory, and the
	// buffer goes back to the OS at once.
	mem, release, err := hugemem.Alloc(size / 8 * 8)
	if err != nil {
		return nil, fmt.Errorf("membw: the bandwidth probe's buffer: %w", err)
	}
	buf := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(mem))), len(mem)/8)
	for i := range buf {
		buf[i] = uint64(i) // fault the pages in
	}
	return &Probe{buf: buf, release: release}, nil
}

// Read returns the read bandwidth in bytes/s of one pass over the buffer by
// `threads` goroutines, each reading its share.
func (p *Probe) Read(threads int) float64 {
	threads = max(threads, 1)
	chunk := len(p.buf) / threads
	var wg sync.WaitGroup
	sums := make([]uint64, threads)
	start := time.Now()
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			sums[t] = readWords(p.buf[t*chunk : (t+1)*chunk])
		}(t)
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	for _, s := range sums {
		Sink += s
	}
	return float64(chunk*threads*8) / el
}

// Close releases the buffer; p must not be read after.
func (p *Probe) Close() {
	if p.release != nil {
		p.release()
		p.buf, p.release = nil, nil
	}
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
