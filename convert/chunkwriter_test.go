package convert

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// writeLog records the size of every write it receives.
type writeLog struct {
	bytes.Buffer
	sizes []int
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	return w.Buffer.Write(p)
}

func TestChunkWriterWritesAlignedChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var want bytes.Buffer
	log := &writeLog{}
	c := newChunkWriter(log)
	for _, n := range []int{5, hugePageBytes - 5, 1, 3*hugePageBytes + 17, 100, hugePageBytes} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(rng.Uint32())
		}
		if k, err := c.Write(p); k != n || err != nil {
			t.Fatalf("Write(%d bytes) = %d, %v", n, k, err)
		}
		want.Write(p)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(log.Bytes(), want.Bytes()) {
		t.Fatal("bytes differ from what was written")
	}
	for i, n := range log.sizes {
		if n != hugePageBytes && i != len(log.sizes)-1 {
			t.Fatalf("write %d of %d bytes (all but the last must be %d): %v", i, n, hugePageBytes, log.sizes)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

func TestChunkWriterReportsErrors(t *testing.T) {
	c := newChunkWriter(failingWriter{})
	if _, err := c.Write(make([]byte, hugePageBytes+1)); err == nil {
		t.Fatal("a failed chunk write was not reported")
	}
	c = newChunkWriter(failingWriter{})
	c.Write([]byte{1})
	if err := c.Flush(); err == nil {
		t.Fatal("a failed flush was not reported")
	}
}
