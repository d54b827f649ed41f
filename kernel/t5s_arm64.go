//go:build arm64 && !purego

package kernel

func matVecT5SNEONDot(dst []int32, w []byte, x []int8, k int) { matVecT5SGo(dst, w, x, k) }
func matMatT5SNEONDot(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	matMatT5SGo(dst, ldd, w, x, k, rows, tokens)
}
func matVecT5SNEON(dst []int32, w []byte, x []int8, k int) { matVecT5SGo(dst, w, x, k) }
func matMatT5SNEON(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	matMatT5SGo(dst, ldd, w, x, k, rows, tokens)
}
