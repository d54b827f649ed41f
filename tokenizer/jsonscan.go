package tokenizer

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader is a minimal JSON reader used to parse the large parts of
// tokenizer.json (model.vocab and model.merges) without reflection; decoded
// strings are appended to one arena so that they become substrings of a
// single allocation. Everything else goes to encoding/json.
type jsonReader struct {
	data  []byte
	pos   int
	arena []byte
}

type span struct{ off, n int32 }

func (r *jsonReader) errorf(format string, args ...any) error {
	return fmt.Errorf("tokenizer: parsing tokenizer.json at byte %d: %s", r.pos, fmt.Sprintf(format, args...))
}

func (r *jsonReader) ws() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte (0 at the end).
func (r *jsonReader) peek() byte {
	r.ws()
	if r.pos >= len(r.data) {
		return 0
	}
	return r.data[r.pos]
}

func (r *jsonReader) expect(c byte) error {
	if r.peek() != c {
		if r.pos >= len(r.data) {
			return r.errorf("unexpected end, want %q", c)
		}
		return r.errorf("found %q, want %q", r.data[r.pos], c)
	}
	r.pos++
	return nil
}

// str reads a string and appends its decoded bytes to the arena.
func (r *jsonReader) str() (span, error) {
	if err := r.expect('"'); err != nil {
		return span{}, err
	}
	start := len(r.arena)
	for {
		i := r.pos
		for i < len(r.data) && r.data[i] != '"' && r.data[i] != '\\' {
			i++
		}
		r.arena = append(r.arena, r.data[r.pos:i]...)
		r.pos = i
		if i >= len(r.data) {
			return span{}, r.errorf("unterminated string")
		}
		r.pos++
		if r.data[i] == '"' {
			break
		}
		if r.pos >= len(r.data) {
			return span{}, r.errorf("unterminated string")
		}
		e := r.data[r.pos]
		r.pos++
		switch e {
		case '"', '\\', '/':
			r.arena = append(r.arena, e)
		case 'b':
			r.arena = append(r.arena, '\b')
		case 'f':
			r.arena = append(r.arena, '\f')
		case 'n':
			r.arena = append(r.arena, '\n')
		case 'r':
			r.arena = append(r.arena, '\r')
		case 't':
			r.arena = append(r.arena, '\t')
		case 'u':
			c, ok := r.hex4()
			if !ok {
				return span{}, r.errorf("bad \\u escape")
			}
			rn := rune(c)
			if utf16.IsSurrogate(rn) {
				rn = utf8.RuneError
				if r.pos+1 < len(r.data) && r.data[r.pos] == '\\' && r.data[r.pos+1] == 'u' {
					save := r.pos
					r.pos += 2
					if c2, ok := r.hex4(); ok && utf16.DecodeRune(rune(c), rune(c2)) != utf8.RuneError {
						rn = utf16.DecodeRune(rune(c), rune(c2))
					} else {
						r.pos = save
					}
				}
			}
			r.arena = utf8.AppendRune(r.arena, rn)
		default:
			return span{}, r.errorf("bad escape \\%c", e)
		}
	}
	if len(r.arena) > 1<<31-1 {
		return span{}, r.errorf("strings too long")
	}
	return span{int32(start), int32(len(r.arena) - start)}, nil
}

func (r *jsonReader) hex4() (uint16, bool) {
	if r.pos+4 > len(r.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(r.data[r.pos:r.pos+4]), 16, 16)
	if err != nil {
		return 0, false
	}
	r.pos += 4
	return uint16(v), true
}

// key reads an object key and the colon after it, returning the key.
func (r *jsonReader) key() (string, error) {
	n := len(r.arena)
	s, err := r.str()
	if err != nil {
		return "", err
	}
	k := string(r.arena[s.off : s.off+s.n])
	r.arena = r.arena[:n]
	return k, r.expect(':')
}

// next consumes a ',' before the next element, or the closing byte;
// more reports whether an element follows.
func (r *jsonReader) next(closing byte) (more bool, err error) {
	switch r.peek() {
	case ',':
		r.pos++
		return true, nil
	case closing:
		r.pos++
		return false, nil
	}
	return false, r.errorf("want ',' or %q", closing)
}

// open consumes the opening byte; more reports whether the container is
// not empty.
func (r *jsonReader) open(opening, closing byte) (more bool, err error) {
	if err := r.expect(opening); err != nil {
		return false, err
	}
	if r.peek() == closing {
		r.pos++
		return false, nil
	}
	return true, nil
}

func (r *jsonReader) int() (int64, error) {
	r.ws()
	i := r.pos
	if i < len(r.data) && r.data[i] == '-' {
		i++
	}
	for i < len(r.data) && r.data[i] >= '0' && r.data[i] <= '9' {
		i++
	}
	v, err := strconv.ParseInt(string(r.data[r.pos:i]), 10, 64)
	if err != nil {
		return 0, r.errorf("want an integer")
	}
	r.pos = i
	return v, nil
}

// MaxJSONDepth caps the nesting of arrays and objects in tokenizer.json
// (real files nest under ten levels). The scanner recurses once per level,
// so the cap also bounds its stack: a deeper file is an error, not a stack
// overflow.
const MaxJSONDepth = 256

// skip skips one value of any kind and returns its raw bytes.
func (r *jsonReader) skip() ([]byte, error) { return r.skipNested(0) }

// skipNested is skip for a value inside depth containers.
func (r *jsonReader) skipNested(depth int) ([]byte, error) {
	c := r.peek()
	start := r.pos
	switch c {
	case '"':
		n := len(r.arena)
		_, err := r.str()
		r.arena = r.arena[:n]
		return r.data[start:r.pos], err
	case '{', '[':
		if depth >= MaxJSONDepth {
			return nil, r.errorf("arrays and objects nested deeper than %d levels", MaxJSONDepth)
		}
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		more, err := r.open(c, closing)
		for more && err == nil {
			if c == '{' {
				if _, err = r.key(); err != nil {
					break
				}
			}
			if _, err = r.skipNested(depth + 1); err != nil {
				break
			}
			more, err = r.next(closing)
		}
		return r.data[start:r.pos], err
	case 0:
		return nil, r.errorf("unexpected end")
	}
	// number, true, false, null
	i := r.pos
	for i < len(r.data) {
		b := r.data[i]
		if b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\n' || b == '\r' {
			break
		}
		i++
	}
	if i == r.pos {
		return nil, r.errorf("unexpected %q", c)
	}
	r.pos = i
	return r.data[start:r.pos], nil
}

// vocab reads model.vocab: {"token": id, ...}.
func (r *jsonReader) vocab() ([]span, []int32, error) {
	var spans []span
	var ids []int32
	more, err := r.open('{', '}')
	for more && err == nil {
		var s span
		if s, err = r.str(); err != nil {
			break
		}
		if err = r.expect(':'); err != nil {
			break
		}
		var id int64
		if id, err = r.int(); err != nil {
			break
		}
		if id < 0 || id > 1<<30 {
			return nil, nil, r.errorf("token id %d out of range", id)
		}
		spans = append(spans, s)
		ids = append(ids, int32(id))
		more, err = r.next('}')
	}
	return spans, ids, err
}

// merges reads model.merges, either ["a b", ...] or [["a", "b"], ...]; each
// merge becomes "a b" in the arena.
func (r *jsonReader) merges() ([]span, error) {
	var spans []span
	more, err := r.open('[', ']')
	for more && err == nil {
		var s span
		if r.peek() == '[' {
			r.pos++
			start := len(r.arena)
			if _, err = r.str(); err != nil {
				break
			}
			if err = r.expect(','); err != nil {
				break
			}
			r.arena = append(r.arena, ' ')
			if _, err = r.str(); err != nil {
				break
			}
			if err = r.expect(']'); err != nil {
				break
			}
			s = span{int32(start), int32(len(r.arena) - start)}
		} else if s, err = r.str(); err != nil {
			break
		}
		spans = append(spans, s)
		more, err = r.next(']')
	}
	return spans, err
}
