// Command gen writes kernel_amd64.s and kernel_amd64_stubs.go, the AVX2 and
// AVX-512 VNNI I2_S kernels of package kernel. Run it with go generate in the
// kernel directory.
//
// Every kernel is a tile of R weight rows × T tokens (the mat-vec kernels:
// one token and any number of rows, two at a time from the two halves of
// the rows). It walks rows rows (a multiple of R) of an x86 I2_S
// matrix with k columns (docs/SEMANTICS.md §4) and writes
// dst[t·ldd + r] = Σ_j c[r][j]·x[t·k + j] − sums[t], where c = t+1 is the
// unsigned 2-bit code and sums[t] = Σ_j x[t·k + j], so the result is the
// exact ternary dot product Σ t·x.
//
// Vector registers are assigned by hand (physical registers), so the AVX2
// kernels never touch Y16–Y31, which need EVEX encodings.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

const tileSig = "func(dst *int32, ldd int, w *byte, x *int8, sums *int32, k int, rows int)"

// prefetchDistance is how far ahead of the weights being read the mat-vec
// kernels prefetch, in bytes of the (contiguous) matrix: a few microseconds
// of memory bandwidth.
const prefetchDistance = 8192

// hint is one software-prefetch instruction the mat-vec kernels are emitted
// with; every hint gives a kernel with the same arithmetic (bit-identical
// results), only the prefetches differ. How a CPU treats a hint differs
// between vendors, hosts and hypervisors, so package kernel picks one at run
// time.
type hint struct {
	suffix string       // of the kernel's name
	emit   func(mem Op) // nil: no software prefetch
}

var hints = []hint{
	{"NTA", func(m Op) { PREFETCHNTA(m) }},
	{"T0", func(m Op) { PREFETCHT0(m) }},
	{"T2", func(m Op) { PREFETCHT2(m) }},
	{"None", nil},
}

// cur is the hint of the kernel being emitted.
var cur hint

// maxTokens is the largest token tile; x addressing below covers t < 6.
const maxTokens = 6

var (
	zmm = []VecPhysical{Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15,
		Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28, Z29, Z30, Z31}
	ymm = []VecPhysical{Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15}
)

// Read-only constants.
var (
	cShift01, cShift23 Mem // per-dword right shifts: [6×8 | 4×8] and [2×8 | 0×8]
	cMaskA, cMaskB     Mem // bytes [0xC0×32 | 0x30×32] and [0x0C×32 | 0x03×32]
	cThree             Mem // 64 bytes of 0x03
	cOnes16            Mem // 16 words of 1
	cBias              Mem // 32 bytes of 0x80
)

func main() {
	ConstraintExpr("amd64,!purego")
	constants()
	sumInt8()
	for _, h := range hints {
		cur = h
		avx512MatVec()
	}
	cur = hint{}
	for t := 2; t <= maxTokens; t++ {
		avx512Tile(4, t)
		avx512Tile(1, t)
	}
	for _, h := range hints {
		cur = h
		avx2MatVec()
	}
	for t := 2; t <= maxTokens; t++ {
		avx2Tile(2, t)
		avx2Tile(1, t)
	}
	Generate()
}

func constants() {
	cShift01 = GLOBL("shift01", RODATA|NOPTR)
	for i := 0; i < 16; i++ {
		DATA(4*i, U32(map[bool]uint32{true: 6, false: 4}[i < 8]))
	}
	cShift23 = GLOBL("shift23", RODATA|NOPTR)
	for i := 0; i < 16; i++ {
		DATA(4*i, U32(map[bool]uint32{true: 2, false: 0}[i < 8]))
	}
	cMaskA = GLOBL("maskA", RODATA|NOPTR)
	bytes64(0xC0, 0x30)
	cMaskB = GLOBL("maskB", RODATA|NOPTR)
	bytes64(0x0C, 0x03)
	cThree = GLOBL("three", RODATA|NOPTR)
	bytes64(0x03, 0x03)
	cOnes16 = GLOBL("ones16", RODATA|NOPTR)
	for i := 0; i < 16; i++ {
		DATA(2*i, U16(1))
	}
	cBias = GLOBL("bias80", RODATA|NOPTR)
	for i := 0; i < 4; i++ {
		DATA(8*i, U64(0x8080808080808080))
	}
}

// bytes64 emits 32 bytes of lo then 32 bytes of hi.
func bytes64(lo, hi byte) {
	for i := 0; i < 8; i++ {
		b := map[bool]byte{true: lo, false: hi}[i < 4]
		DATA(8*i, U64(0x0101010101010101*uint64(b)))
	}
}

// sumInt8 emits sumInt8AVX2, Σ x[i] for i < n, n a multiple of 32:
// Σ (x+128) by VPSADBW, minus 128·n.
func sumInt8() {
	TEXT("sumInt8AVX2", NOSPLIT, "func(x *int8, n int) int32")
	Pragma("noescape")
	Doc("sumInt8AVX2 returns the sum of n int8 values at x; n is a multiple of 32.")
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	cnt := GP64()
	MOVQ(n, cnt)
	SHRQ(Imm(5), cnt)
	VPXOR(Y0, Y0, Y0)
	VPXOR(Y2, Y2, Y2)
	VMOVDQU(cBias, Y1)
	TESTQ(cnt, cnt)
	JZ(LabelRef("reduce"))
	Label("loop")
	VPXOR(Mem{Base: x}, Y1, Y3)
	VPSADBW(Y2, Y3, Y3)
	VPADDQ(Y3, Y0, Y0)
	ADDQ(Imm(32), x)
	DECQ(cnt)
	JNZ(LabelRef("loop"))
	Label("reduce")
	VEXTRACTI128(Imm(1), Y0, X3)
	VPADDQ(X3, X0, X0)
	VPSHUFD(Imm(0x4E), X0, X3)
	VPADDQ(X3, X0, X0)
	s := GP64()
	VMOVQ(X0, s)
	SHLQ(Imm(7), n)
	SUBQ(n, s)
	Store(s.As32(), ReturnIndex(0))
	VZEROUPPER()
	RET()
}

// tile holds the general-purpose registers shared by both instruction sets.
type tile struct {
	R, T   int
	dst    GPVirtual // dst[0] of the current row group
	ldd    GPVirtual // token stride of dst in bytes
	k      GPVirtual // values per row = activation stride per token
	rb     GPVirtual // bytes per weight row
	rows   GPVirtual // rows left
	wr     []GPVirtual
	xb, x3 GPVirtual // activations of tokens 0 and 3 at the current block
	nb     GPVirtual // blocks left in the row
	pf     GPVirtual // prefetch pointer (mat-vec tiles only)
}

func newTile(r, t int) *tile {
	if t > maxTokens {
		panic("token tile too large")
	}
	g := &tile{R: r, T: t}
	g.dst = Load(Param("dst"), GP64()).(GPVirtual)
	g.ldd = Load(Param("ldd"), GP64()).(GPVirtual)
	SHLQ(Imm(2), g.ldd)
	g.wr = make([]GPVirtual, r)
	g.wr[0] = Load(Param("w"), GP64()).(GPVirtual)
	g.k = Load(Param("k"), GP64()).(GPVirtual)
	g.rows = Load(Param("rows"), GP64()).(GPVirtual)
	g.rb = GP64().(GPVirtual)
	MOVQ(g.k, g.rb)
	SHRQ(Imm(2), g.rb)
	for i := 1; i < r; i++ {
		g.wr[i] = GP64().(GPVirtual)
	}
	g.xb = GP64().(GPVirtual)
	if t > 3 {
		g.x3 = GP64().(GPVirtual)
	}
	g.nb = GP64().(GPVirtual)
	if t == 1 && cur.emit != nil {
		g.pf = GP64().(GPVirtual)
		g.warmUp()
		LEAQ(Mem{Base: g.wr[0], Disp: prefetchDistance}, g.pf)
	}
	return g
}

// warmUp prefetches the first prefetchDistance bytes of the matrix, which
// the running prefetch pointer starts past: a band or a small matrix would
// otherwise begin with demand misses.
func (g *tile) warmUp() {
	MOVQ(g.wr[0], g.pf)
	n := GP64()
	MOVQ(U32(prefetchDistance/512), n)
	Label("warmup")
	for off := 0; off < 512; off += 64 {
		cur.emit(Mem{Base: g.pf, Disp: off})
	}
	ADDQ(U32(512), g.pf)
	DECQ(n)
	JNZ(LabelRef("warmup"))
}

// prefetch is called once per n bytes of weights consumed: the prefetch
// pointer walks the (contiguous) matrix at the same pace, prefetchDistance
// bytes ahead. Only the mat-vec kernels prefetch; the mat-mat tiles re-read
// L2-resident weights. Without a hint it emits nothing.
func (g *tile) prefetch(n int) {
	if cur.emit == nil {
		return
	}
	for off := 0; off < n; off += 64 {
		cur.emit(Mem{Base: g.pf, Disp: off})
	}
	ADDQ(Imm(uint64(n)), g.pf)
}

// startRows sets up the weight and activation pointers of one row group.
func (g *tile) startRows() {
	for i := 1; i < g.R; i++ {
		LEAQ(Mem{Base: g.wr[i-1], Index: g.rb, Scale: 1}, g.wr[i])
	}
	Load(Param("x"), g.xb)
	if g.T > 3 {
		LEAQ(Mem{Base: g.xb, Index: g.k, Scale: 2}, g.x3)
		ADDQ(g.k, g.x3)
	}
	MOVQ(g.k, g.nb)
	SHRQ(Imm(7), g.nb)
}

// x addresses activation byte off of token t in the current block.
func (g *tile) x(t, off int) Mem {
	switch t {
	case 0:
		return Mem{Base: g.xb, Disp: off}
	case 1:
		return Mem{Base: g.xb, Index: g.k, Scale: 1, Disp: off}
	case 2:
		return Mem{Base: g.xb, Index: g.k, Scale: 2, Disp: off}
	case 3:
		return Mem{Base: g.x3, Disp: off}
	case 4:
		return Mem{Base: g.x3, Index: g.k, Scale: 1, Disp: off}
	case 5:
		return Mem{Base: g.x3, Index: g.k, Scale: 2, Disp: off}
	}
	panic("token out of range")
}

// advance moves every pointer to the next block.
func (g *tile) advance() {
	for _, w := range g.wr {
		ADDQ(Imm(32), w)
	}
	ADDQ(Imm(128), g.xb)
	if g.T > 3 {
		ADDQ(Imm(128), g.x3)
	}
}

// nextRows moves to the next row group and loops while rows are left.
func (g *tile) nextRows(loop string) {
	if g.R > 1 {
		MOVQ(g.wr[g.R-1], g.wr[0])
	}
	ADDQ(Imm(uint64(4*g.R)), g.dst)
	SUBQ(Imm(uint64(g.R)), g.rows)
	JNZ(LabelRef(loop))
}

// reduce4 sums each of the four 8-lane int32 vectors f[0..3] and leaves the
// four totals, in row order, in f[0] as an xmm register; f[1..3] are
// clobbered.
func reduce4(f []VecPhysical) {
	VPHADDD(f[1], f[0], f[0])
	VPHADDD(f[3], f[2], f[2])
	VPHADDD(f[2], f[0], f[0])
	VEXTRACTI128(Imm(1), f[0], f[1].AsX())
	VPADDD(f[1].AsX(), f[0].AsX(), f[0].AsX())
}

// reduce1 sums the 8 int32 lanes of f into a general register; b is clobbered.
func reduce1(f, b VecPhysical) GPVirtual {
	VEXTRACTI128(Imm(1), f, b.AsX())
	VPADDD(b.AsX(), f.AsX(), f.AsX())
	VPSHUFD(Imm(0x4E), f.AsX(), b.AsX())
	VPADDD(b.AsX(), f.AsX(), f.AsX())
	VPSHUFD(Imm(0xB1), f.AsX(), b.AsX())
	VPADDD(b.AsX(), f.AsX(), f.AsX())
	s := GP32()
	VMOVD(f.AsX(), s)
	return s.(GPVirtual)
}

// writeOut reduces the 8-lane int32 vectors produced by fold(r, t, dst) and
// stores dst[t·ldd + r] = total − sums[t]. temps are free low registers,
// at least 4 for R = 4 and 2 otherwise.
func (g *tile) writeOut(fold func(r, t int, into VecPhysical), temps []VecPhysical) {
	sums := Load(Param("sums"), GP64()).(GPVirtual)
	dp := GP64().(GPVirtual)
	MOVQ(g.dst, dp)
	for t := 0; t < g.T; t++ {
		if g.R == 4 {
			f := temps[:4]
			for r := 0; r < 4; r++ {
				fold(r, t, f[r])
			}
			reduce4(f)
			VPBROADCASTD(Mem{Base: sums, Disp: 4 * t}, f[1].AsX())
			VPSUBD(f[1].AsX(), f[0].AsX(), f[0].AsX())
			VMOVDQU(f[0].AsX(), Mem{Base: dp})
		} else {
			for r := 0; r < g.R; r++ {
				fold(r, t, temps[0])
				s := reduce1(temps[0], temps[1])
				SUBL(Mem{Base: sums, Disp: 4 * t}, s)
				MOVL(s, Mem{Base: dp, Disp: 4 * r})
			}
		}
		if t+1 < g.T {
			ADDQ(g.ldd, dp)
		}
	}
}

// avx512Tile emits tileAVX512R{r}T{t}. Each 32-byte block is broadcast to
// both halves of a zmm register; the low half then serves values 0..31 or
// 64..95 of the block and the high half values 32..63 or 96..127, so each
// half-block is one contiguous 64-byte activation load and one VPDPBUSD.
//
// Small tiles keep the codes in place (masked with 0xC0|0x30 and 0x0C|0x03)
// in two accumulators whose lanes carry the scales 64|16 and 4|1, undone
// exactly by arithmetic shifts at the end. Larger tiles shift the codes down
// first and use one accumulator per row and token.
func avx512Tile(r, t int) {
	name := fmt.Sprintf("tileAVX512R%dT%d", r, t)
	TEXT(name, NOSPLIT, tileSig)
	Pragma("noescape")
	Doc(name+" computes an I2_S tile of "+fmt.Sprint(r)+" rows × "+fmt.Sprint(t)+" tokens with AVX-512 VNNI.",
		"rows is a multiple of "+fmt.Sprint(r)+" and k of 128.")
	inPlace := 2*r*t+r+5 <= len(zmm)
	var consts []VecPhysical
	var sh01, sh23, mA, mB, three VecPhysical
	if inPlace {
		mA, mB, sh01, sh23 = zmm[0], zmm[1], zmm[2], zmm[3]
		consts = []VecPhysical{mA, mB, sh01, sh23}
		VMOVDQU64(cMaskA, mA)
		VMOVDQU64(cMaskB, mB)
	} else {
		sh01, sh23, three = zmm[0], zmm[1], zmm[2]
		consts = []VecPhysical{sh01, sh23, three}
		VMOVDQU64(cThree, three)
	}
	VMOVDQU64(cShift01, sh01)
	VMOVDQU64(cShift23, sh23)
	next := len(consts)
	xr := zmm[next]
	dec := zmm[next+1 : next+1+r]
	accBase := next + 1 + r
	halves := 1
	if inPlace {
		halves = 2
	}
	if accBase+halves*r*t > len(zmm) {
		panic(name + ": out of registers")
	}
	acc := func(ri, ti, h int) VecPhysical {
		if !inPlace {
			h = 0
		}
		return zmm[accBase+(h*r+ri)*t+ti]
	}

	g := newTile(r, t)
	TESTQ(g.rows, g.rows)
	JZ(LabelRef("done"))
	Label("rows")
	for i := accBase; i < accBase+halves*r*t; i++ {
		VPXORD(zmm[i], zmm[i], zmm[i])
	}
	g.startRows()
	Label("blocks")
	for h := 0; h < 2; h++ {
		for i := 0; i < r; i++ {
			VBROADCASTI64X4(Mem{Base: g.wr[i]}, dec[i])
			if inPlace {
				VPANDD([]VecPhysical{mA, mB}[h], dec[i], dec[i])
			} else {
				VPSRLVD([]VecPhysical{sh01, sh23}[h], dec[i], dec[i])
				VPANDD(three, dec[i], dec[i])
			}
		}
		for ti := 0; ti < t; ti++ {
			VMOVDQU64(g.x(ti, 64*h), xr)
			for i := 0; i < r; i++ {
				VPDPBUSD(xr, dec[i], acc(i, ti, h))
			}
		}
	}
	g.advance()
	DECQ(g.nb)
	JNZ(LabelRef("blocks"))

	if inPlace {
		for i := 0; i < r; i++ {
			for ti := 0; ti < t; ti++ {
				a, b := acc(i, ti, 0), acc(i, ti, 1)
				VPSRAVD(sh01, a, a)
				VPSRAVD(sh23, b, b)
				VPADDD(b, a, a)
			}
		}
	}
	// The activation and decode registers are free for the reduction.
	var temps []VecPhysical
	for i := next; i < accBase; i++ {
		temps = append(temps, ymm[i])
	}
	g.writeOut(func(ri, ti int, into VecPhysical) {
		a := acc(ri, ti, 0)
		VEXTRACTI64X4(Imm(1), a, into)
		VPADDD(into, a.AsY(), into)
	}, temps)
	g.nextRows("rows")
	Label("done")
	VZEROUPPER()
	RET()
}

// avx512MatVec emits matVecAVX512<hint>, the one-token kernel. As in
// avx2MatVec, row r of the first half of the rows goes with row r of the
// second half, so that the weights are two sequential streams far apart
// (memory-level parallelism without interleaving within pages); an odd last
// row runs alone. Each 32-byte block is broadcast to both halves of a zmm
// register and its codes kept in place as in avx512Tile; the activations of
// two blocks are loaded once for both rows, and even and odd blocks sum into
// separate accumulators to hide the VPDPBUSD latency.
func avx512MatVec() {
	name := "matVecAVX512" + cur.suffix
	TEXT(name, NOSPLIT, tileSig)
	Pragma("noescape")
	Doc(name+" computes rows I2_S rows against one token with AVX-512 VNNI; k is a multiple of 128.",
		"Software prefetch: "+cur.suffix+".")
	mA, mB, sh01, sh23 := Z0, Z1, Z2, Z3
	type row struct {
		w    GPVirtual
		a, b [2]VecPhysical // planes 0|1 and 2|3 of even and odd blocks
	}
	A := &row{a: [2]VecPhysical{Z4, Z6}, b: [2]VecPhysical{Z5, Z7}}
	B := &row{a: [2]VecPhysical{Z8, Z10}, b: [2]VecPhysical{Z9, Z11}}
	xr := []VecPhysical{Z12, Z13, Z14, Z15}                      // activations of two blocks
	dec := []VecPhysical{Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23} // decoded weights
	VMOVDQU64(cMaskA, mA)
	VMOVDQU64(cMaskB, mB)
	VMOVDQU64(cShift01, sh01)
	VMOVDQU64(cShift23, sh23)
	dst := Load(Param("dst"), GP64()).(GPVirtual)
	A.w = Load(Param("w"), GP64()).(GPVirtual)
	k := Load(Param("k"), GP64()).(GPVirtual)
	rows := Load(Param("rows"), GP64()).(GPVirtual)
	sums := Load(Param("sums"), GP64()).(GPVirtual)
	xb, nb := GP64().(GPVirtual), GP64().(GPVirtual)
	half, cnt, off := GP64().(GPVirtual), GP64().(GPVirtual), GP64().(GPVirtual)
	B.w = GP64().(GPVirtual)
	// off = half·k/4 bytes: from a row of the first half to its partner.
	MOVQ(rows, half)
	SHRQ(Imm(1), half)
	MOVQ(k, off)
	SHRQ(Imm(2), off)
	IMULQ(half, off)

	// blocks emits n (1 or 2) blocks of the rows rs at the current pointers.
	blocks := func(rs []*row, n int) {
		for j := 0; j < 2*n; j++ {
			VMOVDQU64(Mem{Base: xb, Disp: 64 * j}, xr[j])
		}
		di := 0
		for j := 0; j < n; j++ {
			for _, r := range rs {
				d, e := dec[di], dec[di+1]
				di += 2
				VBROADCASTI64X4(Mem{Base: r.w, Disp: 32 * j}, d)
				VPANDD(mA, d, e)
				VPANDD(mB, d, d)
				VPDPBUSD(xr[2*j], e, r.a[j])
				VPDPBUSD(xr[2*j+1], d, r.b[j])
			}
		}
	}
	prefetch := func(r *row, n int) {
		if cur.emit == nil {
			return
		}
		for o := 0; o < n; o += 64 {
			cur.emit(Mem{Base: r.w, Disp: prefetchDistance + o})
		}
	}
	warmUp := func(r *row) {
		if cur.emit == nil {
			return
		}
		for o := 0; o < prefetchDistance; o += 64 {
			cur.emit(Mem{Base: r.w, Disp: o})
		}
	}
	// rowLoop emits the loop over the blocks of the rows rs (one or two),
	// leaving their sums in the accumulators.
	rowLoop := func(rs []*row, tag string) {
		for _, r := range rs {
			for _, z := range []VecPhysical{r.a[0], r.b[0], r.a[1], r.b[1]} {
				VPXORD(z, z, z)
			}
		}
		Load(Param("x"), xb)
		MOVQ(k, nb)
		SHRQ(Imm(7), nb)
		CMPQ(nb, Imm(2))
		JB(LabelRef(tag + "tail"))
		Label(tag + "pairs")
		blocks(rs, 2)
		for _, r := range rs {
			prefetch(r, 64)
			ADDQ(Imm(64), r.w)
		}
		ADDQ(U32(256), xb)
		SUBQ(Imm(2), nb)
		CMPQ(nb, Imm(2))
		JAE(LabelRef(tag + "pairs"))
		Label(tag + "tail")
		TESTQ(nb, nb)
		JZ(LabelRef(tag + "sum"))
		blocks(rs, 1)
		for _, r := range rs {
			prefetch(r, 32)
			ADDQ(Imm(32), r.w)
		}
		Label(tag + "sum")
	}
	// store undoes the in-place scales and writes the row's total − sums[0].
	store := func(r *row, at Mem) {
		a, b := r.a[0], r.b[0]
		VPADDD(r.a[1], a, a)
		VPADDD(r.b[1], b, b)
		VPSRAVD(sh01, a, a)
		VPSRAVD(sh23, b, b)
		VPADDD(b, a, a)
		VEXTRACTI64X4(Imm(1), a, Y12)
		VPADDD(Y12, a.AsY(), Y12)
		s := reduce1(Y12, Y13)
		SUBL(Mem{Base: sums}, s)
		MOVL(s, at)
	}

	TESTQ(half, half)
	JZ(LabelRef("odd"))
	MOVQ(half, cnt)
	LEAQ(Mem{Base: A.w, Index: off, Scale: 1}, B.w)
	warmUp(A)
	warmUp(B)
	Label("rows")
	rowLoop([]*row{A, B}, "p")
	store(A, Mem{Base: dst})
	store(B, Mem{Base: dst, Index: half, Scale: 4})
	ADDQ(Imm(4), dst)
	DECQ(cnt)
	JNZ(LabelRef("rows"))
	// A.w is at row half, B.w at row 2·half: the odd row, if any.
	MOVQ(B.w, A.w)
	LEAQ(Mem{Base: dst, Index: half, Scale: 4}, dst)
	Label("odd")
	TESTQ(U32(1), rows)
	JZ(LabelRef("done"))
	rowLoop([]*row{A}, "o")
	store(A, Mem{Base: dst})
	Label("done")
	VZEROUPPER()
	RET()
}

// avx2MatVec emits matVecAVX2<hint>, the one-token kernel. Row r of the
// first half of the rows goes with row r of the second half, so that the
// weights are two sequential streams far apart (memory-level parallelism
// without interleaving within pages); an odd last row runs alone. Each
// 32-byte block is loaded once and decoded with one shift and four masks:
// planes 0 and 2 keep their codes scaled by 4 (mask 0x0C) and sum into a4,
// planes 1 and 3 (mask 0x03) into a1; every quadBlocks blocks a4/4 is
// folded into a1 (exact: a4 is a sum of multiples of 4), which is widened
// into the int32 accumulator.
func avx2MatVec() {
	name := "matVecAVX2" + cur.suffix
	TEXT(name, NOSPLIT, tileSig)
	Pragma("noescape")
	Doc(name+" computes rows I2_S rows against one token with AVX2; k is a multiple of 128.",
		"Software prefetch: "+cur.suffix+".")
	m3, m12, ones := Y0, Y1, Y2
	type row struct {
		w           GPVirtual
		acc, a4, a1 VecPhysical
		lo, hi, d   VecPhysical
	}
	A := &row{acc: Y3, a4: Y4, a1: Y5, lo: Y9, hi: Y10, d: Y11}
	B := &row{acc: Y6, a4: Y7, a1: Y8, lo: Y12, hi: Y13, d: Y14}
	VMOVDQU(cThree.Offset(0), m3)
	VMOVDQU(cMaskB.Offset(0), m12)
	VMOVDQU(cOnes16, ones)
	dst := Load(Param("dst"), GP64()).(GPVirtual)
	A.w = Load(Param("w"), GP64()).(GPVirtual)
	k := Load(Param("k"), GP64()).(GPVirtual)
	rows := Load(Param("rows"), GP64()).(GPVirtual)
	sums := Load(Param("sums"), GP64()).(GPVirtual)
	xb, nb := GP64().(GPVirtual), GP64().(GPVirtual)
	half, cnt, off := GP64().(GPVirtual), GP64().(GPVirtual), GP64().(GPVirtual)
	B.w = GP64().(GPVirtual)
	// off = half·k/4 bytes: from a row of the first half to its partner.
	MOVQ(rows, half)
	SHRQ(Imm(1), half)
	MOVQ(k, off)
	SHRQ(Imm(2), off)
	IMULQ(half, off)

	block := func(r *row, o int) {
		VMOVDQU(Mem{Base: r.w, Disp: o}, r.lo)
		VPSRLW(Imm(4), r.lo, r.hi) // planes 0 and 1 in bits 3:2 and 1:0
		VPAND(m12, r.hi, r.d)
		VPMADDUBSW(Mem{Base: xb, Disp: 4 * o}, r.d, r.d)
		VPADDW(r.d, r.a4, r.a4)
		VPAND(m3, r.hi, r.hi)
		VPMADDUBSW(Mem{Base: xb, Disp: 4*o + 32}, r.hi, r.hi)
		VPADDW(r.hi, r.a1, r.a1)
		VPAND(m12, r.lo, r.d)
		VPMADDUBSW(Mem{Base: xb, Disp: 4*o + 64}, r.d, r.d)
		VPADDW(r.d, r.a4, r.a4)
		VPAND(m3, r.lo, r.lo)
		VPMADDUBSW(Mem{Base: xb, Disp: 4*o + 96}, r.lo, r.lo)
		VPADDW(r.lo, r.a1, r.a1)
	}
	flush := func(r *row) {
		VPSRAW(Imm(2), r.a4, r.a4)
		VPADDW(r.a4, r.a1, r.a1)
		VPMADDWD(ones, r.a1, r.a1)
		VPADDD(r.a1, r.acc, r.acc)
		VPXOR(r.a1, r.a1, r.a1)
		VPXOR(r.a4, r.a4, r.a4)
	}
	prefetch := func(r *row, n int) {
		if cur.emit == nil {
			return
		}
		for o := 0; o < n; o += 64 {
			cur.emit(Mem{Base: r.w, Disp: prefetchDistance + o})
		}
	}
	warmUp := func(r *row) {
		if cur.emit == nil {
			return
		}
		for o := 0; o < prefetchDistance; o += 64 {
			cur.emit(Mem{Base: r.w, Disp: o})
		}
	}
	// rowLoop emits the loop over the blocks of the rows rs (one or two),
	// leaving their int32 sums in acc.
	rowLoop := func(rs []*row, tag string) {
		for _, r := range rs {
			for _, y := range []VecPhysical{r.acc, r.a4, r.a1} {
				VPXOR(y, y, y)
			}
		}
		Load(Param("x"), xb)
		MOVQ(k, nb)
		SHRQ(Imm(7), nb)
		CMPQ(nb, Imm(quadBlocks))
		JB(LabelRef(tag + "tail"))
		Label(tag + "quads")
		for b := 0; b < quadBlocks; b++ {
			for _, r := range rs {
				block(r, 32*b)
			}
		}
		for _, r := range rs {
			prefetch(r, 32*quadBlocks)
			ADDQ(Imm(32*quadBlocks), r.w)
		}
		ADDQ(U32(128*quadBlocks), xb)
		for _, r := range rs {
			flush(r)
		}
		SUBQ(Imm(quadBlocks), nb)
		CMPQ(nb, Imm(quadBlocks))
		JAE(LabelRef(tag + "quads"))
		Label(tag + "tail")
		TESTQ(nb, nb)
		JZ(LabelRef(tag + "sum"))
		Label(tag + "single")
		for _, r := range rs {
			block(r, 0)
		}
		for _, r := range rs {
			prefetch(r, 32)
			ADDQ(Imm(32), r.w)
		}
		ADDQ(Imm(128), xb)
		DECQ(nb)
		JNZ(LabelRef(tag + "single"))
		for _, r := range rs {
			flush(r)
		}
		Label(tag + "sum")
	}
	store := func(r *row, at Mem) {
		s := reduce1(r.acc, r.lo)
		SUBL(Mem{Base: sums}, s)
		MOVL(s, at)
	}

	TESTQ(half, half)
	JZ(LabelRef("odd"))
	MOVQ(half, cnt)
	LEAQ(Mem{Base: A.w, Index: off, Scale: 1}, B.w)
	warmUp(A)
	warmUp(B)
	Label("pairs")
	rowLoop([]*row{A, B}, "p")
	store(A, Mem{Base: dst})
	store(B, Mem{Base: dst, Index: half, Scale: 4})
	ADDQ(Imm(4), dst)
	DECQ(cnt)
	JNZ(LabelRef("pairs"))
	// A.w is at row half, B.w at row 2·half: the odd row, if any.
	MOVQ(B.w, A.w)
	LEAQ(Mem{Base: dst, Index: half, Scale: 4}, dst)
	Label("odd")
	TESTQ(U32(1), rows)
	JZ(LabelRef("done"))
	rowLoop([]*row{A}, "o")
	store(A, Mem{Base: dst})
	Label("done")
	VZEROUPPER()
	RET()
}

// quadBlocks is how many blocks the AVX2 mat-vec sums in int16 before
// widening. With codes c ≤ 3 (3 is never produced but must stay exact) and
// |x| ≤ 128, a VPMADDUBSW lane of codes scaled by 4 is at most 2·12·128 =
// 3072 in magnitude (no saturation), and a4 takes two per block: 4 blocks
// reach 24576 < 32768. An unscaled lane is at most 768, so a1 holds at most
// 4·2·768 = 6144 plus a4/4 ≤ 6144 when widened.
const quadBlocks = 4

// flushBlocks is how many blocks the AVX2 kernels sum in int16 before
// widening: each VPMADDUBSW lane is at most 2·2·128 = 512 in magnitude and a
// block adds four of them, so 8 blocks stay within ±16384.
const flushBlocks = 8

// avx2Tile emits tileAVX2R{r}T{t}: per block, the four 32-value planes are
// shifted down and masked to codes 0..3, VPMADDUBSW multiplies them with the
// signed activations into int16 pairs, which are summed in int16 for up to
// flushBlocks blocks and then widened to int32 with VPMADDWD.
func avx2Tile(r, t int) {
	name := fmt.Sprintf("tileAVX2R%dT%d", r, t)
	TEXT(name, NOSPLIT, tileSig)
	Pragma("noescape")
	Doc(name+" computes an I2_S tile of "+fmt.Sprint(r)+" rows × "+fmt.Sprint(t)+" tokens with AVX2.",
		"rows is a multiple of "+fmt.Sprint(r)+" and k of 128.")
	three, tmp := ymm[0], ymm[1]
	dec := ymm[2 : 2+r]
	accBase := 2 + r
	n := r * t
	if accBase+n > len(ymm) {
		panic(name + ": out of registers")
	}
	acc16 := func(ri, ti int) VecPhysical { return ymm[accBase+ri*t+ti] }
	inRegs := accBase+2*n <= len(ymm)
	var local Mem
	if !inRegs {
		local = AllocLocal(32 * n)
	}
	acc32 := func(ri, ti int) Op {
		if inRegs {
			return ymm[accBase+n+ri*t+ti]
		}
		return local.Offset(32 * (ri*t + ti))
	}
	VMOVDQU(cThree.Offset(0), three)

	g := newTile(r, t)
	lim := GP64()
	MOVQ(U32(flushBlocks), lim)
	cnt := GP64()
	TESTQ(g.rows, g.rows)
	JZ(LabelRef("done"))
	Label("rows")
	for i := accBase; i < accBase+n; i++ {
		VPXOR(ymm[i], ymm[i], ymm[i])
	}
	for ri := 0; ri < r; ri++ {
		for ti := 0; ti < t; ti++ {
			if inRegs {
				a := acc32(ri, ti).(VecPhysical)
				VPXOR(a, a, a)
			} else {
				VMOVDQU(ymm[accBase], acc32(ri, ti))
			}
		}
	}
	g.startRows()
	Label("group")
	MOVQ(g.nb, cnt)
	CMPQ(cnt, lim)
	CMOVQGT(lim, cnt)
	SUBQ(cnt, g.nb)
	Label("blocks")
	for p := 0; p < 4; p++ {
		shift := 6 - 2*p
		for i := 0; i < r; i++ {
			if shift == 0 {
				VPAND(Mem{Base: g.wr[i]}, three, dec[i])
				continue
			}
			VMOVDQU(Mem{Base: g.wr[i]}, dec[i])
			VPSRLW(Imm(uint64(shift)), dec[i], dec[i])
			VPAND(three, dec[i], dec[i])
		}
		for ti := 0; ti < t; ti++ {
			for i := 0; i < r; i++ {
				VPMADDUBSW(g.x(ti, 32*p), dec[i], tmp)
				VPADDW(tmp, acc16(i, ti), acc16(i, ti))
			}
		}
	}
	g.advance()
	DECQ(cnt)
	JNZ(LabelRef("blocks"))
	// Widen the int16 sums into the int32 accumulators.
	for ri := 0; ri < r; ri++ {
		for ti := 0; ti < t; ti++ {
			a := acc16(ri, ti)
			VPMADDWD(cOnes16, a, tmp)
			if inRegs {
				d := acc32(ri, ti).(VecPhysical)
				VPADDD(tmp, d, d)
			} else {
				VPADDD(acc32(ri, ti), tmp, tmp)
				VMOVDQU(tmp, acc32(ri, ti))
			}
			VPXOR(a, a, a)
		}
	}
	TESTQ(g.nb, g.nb)
	JNZ(LabelRef("group"))

	// The int16 accumulators are zero again and free, as are tmp and the
	// decoders: use them for the reduction. Y0 (three) stays.
	temps := ymm[1 : accBase+n]
	g.writeOut(func(ri, ti int, into VecPhysical) {
		VMOVDQU(acc32(ri, ti), into)
	}, temps)
	g.nextRows("rows")
	Label("done")
	VZEROUPPER()
	RET()
}
