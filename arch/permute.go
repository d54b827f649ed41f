package arch

// PermuteRows returns, for a projection of rows rows split into heads heads
// of d = rows/heads rows each, the Hugging Face row that GGUF row r holds
// under PermuteQ/PermuteK: within a head, GGUF row 2j is HF row j and
// 2j+1 is HF row j+d/2. heads must divide rows into even d.
func PermuteRows(rows, heads int) []int {
	d := rows / heads
	src := make([]int, rows)
	for h := range heads {
		for j := range d / 2 {
			src[h*d+2*j] = h*d + j
			src[h*d+2*j+1] = h*d + j + d/2
		}
	}
	return src
}
