package tokenizer

import "unicode/utf8"

// GPT-2's bytes_to_unicode: every byte is mapped to a printable rune so that
// byte strings can be stored as text in the vocabulary. Printable Latin-1
// bytes map to themselves, the others to U+0100 upwards in byte order.
var (
	byteToRune [256]rune
	runeToByte [0x144]int16 // -1 for runes that are not in the alphabet
)

func init() {
	for i := range runeToByte {
		runeToByte[i] = -1
	}
	n := 0
	for b := 0; b < 256; b++ {
		r := rune(b)
		if !((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
			r = rune(256 + n)
			n++
		}
		byteToRune[b] = r
		runeToByte[r] = int16(b)
	}
}

// byteLevelEncode returns the byte-level (vocabulary) form of raw bytes.
func byteLevelEncode(raw string) string {
	buf := make([]byte, 0, 2*len(raw))
	for i := 0; i < len(raw); i++ {
		buf = utf8.AppendRune(buf, byteToRune[raw[i]])
	}
	return string(buf)
}

// appendByteLevelDecode appends the raw bytes of the byte-level string tok
// to dst. ok is false if tok contains a rune outside the byte-level alphabet
// (or invalid UTF-8); tok's own bytes are then appended, as the Hugging Face
// ByteLevel decoder keeps such a token as it is.
func appendByteLevelDecode(dst []byte, tok string) (_ []byte, ok bool) {
	n := len(dst)
	for i := 0; i < len(tok); {
		c := tok[i]
		if c < utf8.RuneSelf {
			if runeToByte[c] < 0 {
				return append(dst[:n], tok...), false
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(tok[i:])
		if int(r) >= len(runeToByte) || runeToByte[r] < 0 || (r == utf8.RuneError && w == 1) {
			return append(dst[:n], tok...), false
		}
		dst = append(dst, byte(runeToByte[r]))
		i += w
	}
	return dst, true
}
