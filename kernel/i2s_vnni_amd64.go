//go:build amd64 && !purego

package kernel

// The "avxvnni" path's I2_S mat-vec (i2s_vnni_amd64.s): the avx2 path with
// its one-token products through VEX-encoded VPDPBUSD, for CPUs with
// AVX-VNNI but no AVX-512 (Intel client cores since Alder Lake). Tiles of
// several tokens stay the avx2 ones.

// i2sVNNIMaxK bounds k for the assembly: a lane of the 64·c accumulator
// gains at most 4·192·128 per block of 128 values and must stay below 2³¹.
// Longer rows run the avx2 kernels.
const i2sVNNIMaxK = 1 << 20

func matVecVNNI(dst []int32, w []byte, x []int8, k int) {
	if len(dst) == 0 {
		return
	}
	if k > i2sVNNIMaxK {
		avx2Tiles.matVec(dst, w, x, k)
		return
	}
	// Bounds the assembly relies on, whatever the caller checked.
	if k <= 0 || k%BlockValues != 0 || len(w) < len(dst)*k/4 || len(x) < k {
		panic("kernel: bad shape for the AVX-VNNI I2_S kernel")
	}
	sumx := sumInt8AVX2(&x[0], k)
	i2sRowsVNNIP(prefetchHint[StreamTernary], &dst[0], &w[0], &x[0], k, len(dst), int(sumx))
}

func matMatVNNI(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if tokens == 1 && rows > 0 {
		matVecVNNI(dst[:rows], w, x[:k], k)
		return
	}
	avx2Tiles.matMatStride(dst, ldd, w, x, k, rows, tokens)
}

// i2sRowsVNNIP runs the i2sRowsVNNI variant of hint h: dst[r] = Σ c·x −
// sumx for the rows I2_S rows at w of k values.
func i2sRowsVNNIP(h Prefetch, dst *int32, w *byte, x *int8, k, rows int, sumx int) {
	switch h {
	case PrefetchNTA:
		i2sRowsVNNINTA(dst, w, x, k, rows, sumx)
	case PrefetchT0:
		i2sRowsVNNIT0(dst, w, x, k, rows, sumx)
	case PrefetchT2:
		i2sRowsVNNIT2(dst, w, x, k, rows, sumx)
	default:
		i2sRowsVNNINone(dst, w, x, k, rows, sumx)
	}
}

//go:noescape
func i2sRowsVNNINTA(dst *int32, w *byte, x *int8, k, rows int, sumx int)

//go:noescape
func i2sRowsVNNIT0(dst *int32, w *byte, x *int8, k, rows int, sumx int)

//go:noescape
func i2sRowsVNNIT2(dst *int32, w *byte, x *int8, k, rows int, sumx int)

//go:noescape
func i2sRowsVNNINone(dst *int32, w *byte, x *int8, k, rows int, sumx int)
