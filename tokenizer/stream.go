package tokenizer

import "unicode/utf8"

// utf8Seq returns the length of the UTF-8 sequence lead byte c starts and
// the range of its second byte; n is 0 for a byte that cannot start one.
func utf8Seq(c byte) (n int, lo, hi byte) {
	switch {
	case c < 0x80:
		return 1, 0, 0
	case c >= 0xC2 && c <= 0xDF:
		return 2, 0x80, 0xBF
	case c == 0xE0:
		return 3, 0xA0, 0xBF
	case c == 0xED:
		return 3, 0x80, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		return 3, 0x80, 0xBF
	case c == 0xF0:
		return 4, 0x90, 0xBF
	case c >= 0xF1 && c <= 0xF3:
		return 4, 0x80, 0xBF
	case c == 0xF4:
		return 4, 0x80, 0x8F
	}
	return 0, 0, 0
}

// scanUTF8 looks at the sequence starting at b[i]: k is its length if
// valid (valid=true), else the length of its maximal invalid subpart (at
// least 1). truncated reports that the sequence is a valid prefix cut short
// by the end of b.
func scanUTF8(b []byte, i int) (k int, valid, truncated bool) {
	n, lo, hi := utf8Seq(b[i])
	if n == 1 {
		return 1, true, false
	}
	if n == 0 {
		return 1, false, false
	}
	k = 1
	for k < n {
		if i+k >= len(b) {
			return k, false, true
		}
		c := b[i+k]
		l, h := byte(0x80), byte(0xBF)
		if k == 1 {
			l, h = lo, hi
		}
		if c < l || c > h {
			return k, false, false
		}
		k++
	}
	return n, true, false
}

// appendLossy appends b to dst, replacing each maximal invalid subpart by
// U+FFFD as Rust's String::from_utf8_lossy does. With keepTail, a valid
// prefix cut short by the end of b is not appended; its start is returned.
func appendLossy(dst, b []byte, keepTail bool) ([]byte, int) {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			dst = append(dst, b[i])
			i++
			continue
		}
		k, valid, truncated := scanUTF8(b, i)
		switch {
		case valid:
			dst = append(dst, b[i:i+k]...)
		case truncated && keepTail:
			return dst, i
		default:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
		i += k
	}
	return dst, len(b)
}

func lossyString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out, _ := appendLossy(make([]byte, 0, len(b)+8), b, false)
	return string(out)
}

// StreamDecoder decodes ids one at a time, as they are generated, returning
// only complete UTF-8 text: the bytes of a character split across tokens
// (an emoji is often 2 or 3 tokens) are held back until it is complete.
// Bytes that can never form a character are returned as U+FFFD, as Decode
// does. A StreamDecoder is not safe for concurrent use.
type StreamDecoder struct {
	t   *Tokenizer
	buf []byte // pending bytes: at most a truncated UTF-8 sequence
}

// NewStreamDecoder returns a streaming decoder for t.
func (t *Tokenizer) NewStreamDecoder() *StreamDecoder { return &StreamDecoder{t: t} }

// Add appends the token id and returns the text completed by it (possibly
// ""). Ids without a token add nothing.
func (d *StreamDecoder) Add(id int) string {
	p := d.t.piece(id)
	if len(d.buf) == 0 && utf8.ValidString(p) {
		return p
	}
	d.buf = append(d.buf, p...)
	out, n := appendLossy(nil, d.buf, true)
	d.buf = append(d.buf[:0], d.buf[n:]...)
	return string(out)
}

// Flush returns the held-back bytes of an incomplete character, as U+FFFD,
// and resets the decoder.
func (d *StreamDecoder) Flush() string {
	s := lossyString(d.buf)
	d.buf = d.buf[:0]
	return s
}
