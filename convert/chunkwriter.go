package convert

import "io"

// hugePageBytes is the size of an x86-64 / arm64 (4 KiB granule) huge page.
const hugePageBytes = 2 << 20

// chunkWriter buffers a sequential output and writes it only in whole
// hugePageBytes chunks, at offsets that are multiples of it (the stream
// starts at offset 0), plus a last partial chunk on Flush. Unlike bufio it
// never passes a large write through unaligned.
//
// Why: Linux's page cache gives a buffered write folios as large as the
// write, up to 2 MiB. A file written in aligned 2 MiB chunks stays cached in
// 2 MiB folios, which a mapping then maps with huge pages: infer and verify
// can use the converted file in place at full decoding speed instead of
// copying it (model.LoadAuto).
type chunkWriter struct {
	w   io.Writer
	buf []byte
	n   int
}

func newChunkWriter(w io.Writer) *chunkWriter {
	return &chunkWriter{w: w, buf: make([]byte, hugePageBytes)}
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	done := 0
	for len(p) > 0 {
		k := copy(c.buf[c.n:], p)
		c.n += k
		done += k
		p = p[k:]
		if c.n == len(c.buf) {
			if err := c.Flush(); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

// Flush writes what is buffered.
func (c *chunkWriter) Flush() error {
	if c.n == 0 {
		return nil
	}
	_, err := c.w.Write(c.buf[:c.n])
	c.n = 0
	return err
}
