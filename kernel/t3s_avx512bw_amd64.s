//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"
#include "t3s_amd64.h"

// T3_S AVX-512 BW kernels (t3s_avx512bw_amd64.go; AVX-512 F + BW + VNNI,
// no VBMI instruction). Every one computes, for r < rows,
// dst[r] = Σ_j d[r][j]·x[j] − sumx with the digits d_i = ⌊c/3^i⌋ mod 3 of
// each 5-bit code c (0–31, docs/SEMANTICS.md §4c), so the result is Σ t·x.
// A row is chunks whole chunks of four groups (80 bytes, 128 codes, 384
// values) and a last chunk of tail groups (0–3).
//
// Decoding 64 codes. Their low four bits (a nibble) index two 16-entry
// tables with VPSHUFB (in-lane, so each table is replicated to the four
// 128-bit lanes): t3sBWTab for codes 0–15 and for codes 16–31, whose
// entries pack all three digits of the code, P(c) = d_0 + 4·d_1 + 16·d_2
// (every code 0–31 has its own entry: 27–31 decode as the formula says).
// The second lookup is merge-masked by the codes' bit 4 (KMOVQ of the
// eight bit bytes of those 64 codes), so it overwrites the first exactly
// where the code is 16–31: two VPSHUFB and no blend. VPANDD with 3, 12 and
// 48 then gives d_0, 4·d_1 and 16·d_2, each multiplied by the 64
// contiguous activations of its value position with VPDPBUSD (unsigned
// digit × signed x, four products per int32 lane, no saturation) into an
// accumulator of its own. A whole chunk is two such vectors: the low
// nibbles of its 64 nibble bytes (codes 0–63, bit masks from bit bytes
// 0–7) and their high nibbles (codes 64–127, bit bytes 8–15); value i of
// code j is at column 128·i + j of the chunk.
//
// Exactness. The accumulators hold Σ d_0·x, 4·Σ d_1·x and 16·Σ d_2·x per
// int32 lane; each is folded to Σ d_i·x by an arithmetic shift (exact:
// every lane is a sum of multiples of 4 or 16) before the lanes are added
// (modulo 2³², as the reference's int32 sums). Per chunk, whole or last,
// a lane of the 16·d_2 accumulators (the largest) gains at most two
// VPDPBUSD of four products of 32·128, 32768 in magnitude; a row of k
// values has ⌈k/384⌉ chunks, so for k ≤ 2²⁴ (t3sBWMaxK: ⌈k/384⌉ ≤ 43691)
// every lane stays within 43691·32768 < 1.44·10⁹ < 2³¹, and the shifts
// are exact. (The bound holds up to k = 3·2²³ = 25165824 whole chunks.)
// Longer rows run the pure Go kernels.
//
// The last chunk of g < 4 groups holds 16·g nibble bytes and 4·g bit
// bytes; its loads are masked to 16·g lanes (no byte past the row is
// read: the two bit masks are the 2·g top bytes of the 8 bytes ending at
// 18·g and at 20·g), its activations, masked alike (zero in the lanes
// past the codes, so their digits do not matter), are at 32·g·i (+16·g
// for the high nibbles), never past the row's activations.

DATA t3sBWTab<>+0(SB)/8, $0x0908060504020100
DATA t3sBWTab<>+8(SB)/8, $0x181615141211100a
DATA t3sBWTab<>+16(SB)/8, $0x2625242221201a19
DATA t3sBWTab<>+24(SB)/8, $0x05040201002a2928
GLOBL t3sBWTab<>(SB), RODATA|NOPTR, $32

// T3BW_SETUP loads the constants and the last chunk's geometry: Z31 = 0x0f
// bytes, Z30 and Z29 the tables of codes 0–15 and 16–31 in every lane,
// Z28, Z27, Z26 = 0x03, 0x0c, 0x30 bytes; R14 = 16·g, R15 = 32·g,
// BX = 18·g − 8, R11 = 20·g − 8, K3 = the 16·g low lanes.
#define T3BW_SETUP(tail) \
	MOVQ $0x0f0f0f0f0f0f0f0f, AX; \
	VPBROADCASTQ AX, Z31; \
	VBROADCASTI32X4 t3sBWTab<>+0(SB), Z30; \
	VBROADCASTI32X4 t3sBWTab<>+16(SB), Z29; \
	MOVQ $0x0303030303030303, AX; \
	VPBROADCASTQ AX, Z28; \
	MOVQ $0x0c0c0c0c0c0c0c0c, AX; \
	VPBROADCASTQ AX, Z27; \
	MOVQ $0x3030303030303030, AX; \
	VPBROADCASTQ AX, Z26; \
	T3S_TAIL_GEOMETRY(tail)

// T3BW_NIBBLES loads the whole chunk at base: nibbles of codes 0–63 into
// lo, of codes 64–127 into hi, their bit-4 masks into klo and khi.
#define T3BW_NIBBLES(base, lo, hi, klo, khi) \
	VMOVDQU8 (base), lo; \
	KMOVQ 64(base), klo; \
	KMOVQ 72(base), khi; \
	VPSRLW $4, lo, hi; \
	VPANDD Z31, lo, lo; \
	VPANDD Z31, hi, hi

// T3BW_TAIL_NIBBLES is T3BW_NIBBLES for the last chunk of g groups at base
// (T3BW_SETUP's registers; CX = 64 − 16·g; AX scratch, base not AX).
#define T3BW_TAIL_NIBBLES(base, lo, hi, klo, khi) \
	VMOVDQU8.Z (base), K3, lo; \
	MOVQ (base)(BX*1), AX; \
	SHRXQ CX, AX, AX; \
	KMOVQ AX, klo; \
	MOVQ (base)(R11*1), AX; \
	SHRXQ CX, AX, AX; \
	KMOVQ AX, khi; \
	VPSRLW $4, lo, hi; \
	VPANDD Z31, lo, lo; \
	VPANDD Z31, hi, hi

// T3BW_PACKED looks the nibbles nib with bit-4 mask k up into the packed
// digits p.
#define T3BW_PACKED(nib, k, p) \
	VPSHUFB nib, Z30, p; \
	VPSHUFB nib, Z29, k, p

// T3BW_PAIR multiplies 64 codes of two rows (nibbles na, nb; masks ka, kb)
// by the activations x0, x1, x2 of their three value positions into the
// accumulators a0–a2 and b0–b2 (Z2, Z3, Z15, Z22–Z25 scratch).
#define T3BW_PAIR(na, ka, nb, kb, x0, x1, x2, a0, a1, a2, b0, b1, b2) \
	T3BW_PACKED(na, ka, Z2); \
	T3BW_PACKED(nb, kb, Z3); \
	VPANDD Z28, Z2, Z15; \
	VPANDD Z28, Z3, Z22; \
	VPDPBUSD x0, Z15, a0; \
	VPDPBUSD x0, Z22, b0; \
	VPANDD Z27, Z2, Z23; \
	VPANDD Z27, Z3, Z24; \
	VPDPBUSD x1, Z23, a1; \
	VPDPBUSD x1, Z24, b1; \
	VPANDD Z26, Z2, Z25; \
	VPANDD Z26, Z3, Z15; \
	VPDPBUSD x2, Z25, a2; \
	VPDPBUSD x2, Z15, b2

// T3BW_ONE is T3BW_PAIR for one row (x0–x2 registers or memory).
#define T3BW_ONE(na, ka, x0, x1, x2, a0, a1, a2) \
	T3BW_PACKED(na, ka, Z2); \
	VPANDD Z28, Z2, Z15; \
	VPDPBUSD x0, Z15, a0; \
	VPANDD Z27, Z2, Z23; \
	VPDPBUSD x1, Z23, a1; \
	VPANDD Z26, Z2, Z25; \
	VPDPBUSD x2, Z25, a2

// T3BW_DIGITS decodes 64 codes (nibbles nib, mask k) into the digit
// vectors d0, 4·d1 and 16·d2 (p scratch).
#define T3BW_DIGITS(nib, k, p, d0, d1, d2) \
	T3BW_PACKED(nib, k, p); \
	VPANDD Z28, p, d0; \
	VPANDD Z27, p, d1; \
	VPANDD Z26, p, d2

// T3BW_FOLD folds a row's accumulators of d_0, 4·d_1 and 16·d_2 (a0–a2,
// and a3–a5 of the high codes, or a second set alike) into a0, lane by
// lane: a0 + a3 + (a1 + a4)/4 + (a2 + a5)/16, all exact.
#define T3BW_FOLD(a0, a1, a2, a3, a4, a5) \
	VPADDD a3, a0, a0; \
	VPADDD a4, a1, a1; \
	VPADDD a5, a2, a2; \
	VPSRAD $2, a1, a1; \
	VPSRAD $4, a2, a2; \
	VPADDD a1, a0, a0; \
	VPADDD a2, a0, a0

// T3BW_FOLD3 is T3BW_FOLD for one set of accumulators.
#define T3BW_FOLD3(a0, a1, a2) \
	VPSRAD $2, a1, a1; \
	VPSRAD $4, a2, a2; \
	VPADDD a1, a0, a0; \
	VPADDD a2, a0, a0

// T3BW_HSUM adds the 16 int32 lanes of Z(acc) into AX (Z0/Z1 scratch).
#define T3BW_HSUM(acc, yacc) \
	VEXTRACTI64X4 $1, acc, Y1; \
	VPADDD Y1, yacc, Y0; \
	VEXTRACTI128 $1, Y0, X1; \
	VPADDD X1, X0, X0; \
	VPSHUFD $0x4e, X0, X1; \
	VPADDD X1, X0, X0; \
	VPSHUFD $0xb1, X0, X1; \
	VPADDD X1, X0, X0; \
	VMOVD X0, AX

// func t3sRowsAVX512BW(dst *int32, w *byte, x *int8, chunks int, tail int, rows int, sumx int)
//
// One token, two rows at a time, one from each half of the rows (row i
// at SI, row i + rows/2 at SI + R13), so that each activation vector is
// loaded once for both while the weights are read as two sequential
// streams; an odd last row goes alone. Six accumulators per row (Z6–Z11
// and Z16–Z21: d_0, 4·d_1, 16·d_2 of the low codes, then of the high
// ones) take one VPDPBUSD each per chunk. Registers: Z0, Z1 and Z12, Z13
// the two rows' nibbles (masks K1, K2 and K4, K5), Z4, Z5, Z14 the
// activations, Z2, Z3 packed digits, Z15, Z22–Z25 digits. Each stream is
// prefetched 8 KiB ahead with hint PF; the body is instantiated once per
// hint.
#define BODY_t3sRowsAVX512BW(PF) \
	MOVQ dst+0(FP), DI \
	MOVQ w+8(FP), SI \
	MOVQ x+16(FP), DX \
	MOVQ chunks+24(FP), R10 \
	MOVQ rows+40(FP), R8 \
	SHRQ $1, R8 \
	T3BW_SETUP(tail+32(FP)) \
	MOVQ R14, AX \
	SHRQ $2, AX \
	ADDQ R14, AX \
	IMUL3Q $80, R10, R13 \
	ADDQ AX, R13 \
	IMULQ R8, R13 \
	MOVQ R8, R9 \
	MOVQ SI, AX \
	MOVQ $16, CX \
warm: \
	PF(0(AX)) \
	PF(64(AX)) \
	PF(128(AX)) \
	PF(192(AX)) \
	PF(256(AX)) \
	PF(320(AX)) \
	PF(384(AX)) \
	PF(448(AX)) \
	PF(0(AX)(R13*1)) \
	PF(64(AX)(R13*1)) \
	PF(128(AX)(R13*1)) \
	PF(192(AX)(R13*1)) \
	PF(256(AX)(R13*1)) \
	PF(320(AX)(R13*1)) \
	PF(384(AX)(R13*1)) \
	PF(448(AX)(R13*1)) \
	ADDQ $512, AX \
	DECQ CX \
	JNZ  warm \
pairs: \
	TESTQ R9, R9 \
	JZ   single \
	VPXORD Z6, Z6, Z6 \
	VPXORD Z7, Z7, Z7 \
	VPXORD Z8, Z8, Z8 \
	VPXORD Z9, Z9, Z9 \
	VPXORD Z10, Z10, Z10 \
	VPXORD Z11, Z11, Z11 \
	VPXORD Z16, Z16, Z16 \
	VPXORD Z17, Z17, Z17 \
	VPXORD Z18, Z18, Z18 \
	VPXORD Z19, Z19, Z19 \
	VPXORD Z20, Z20, Z20 \
	VPXORD Z21, Z21, Z21 \
	MOVQ DX, R12 \
	MOVQ R10, CX \
	TESTQ CX, CX \
	JZ   ptail \
pchunk: \
	PF(8192(SI)) \
	PF(8256(SI)) \
	PF(8192(SI)(R13*1)) \
	PF(8256(SI)(R13*1)) \
	LEAQ (SI)(R13*1), AX \
	T3BW_NIBBLES(SI, Z0, Z1, K1, K2) \
	T3BW_NIBBLES(AX, Z12, Z13, K4, K5) \
	VMOVDQU64 0(R12), Z4 \
	VMOVDQU64 128(R12), Z5 \
	VMOVDQU64 256(R12), Z14 \
	T3BW_PAIR(Z0, K1, Z12, K4, Z4, Z5, Z14, Z6, Z7, Z8, Z16, Z17, Z18) \
	VMOVDQU64 64(R12), Z4 \
	VMOVDQU64 192(R12), Z5 \
	VMOVDQU64 320(R12), Z14 \
	T3BW_PAIR(Z1, K2, Z13, K5, Z4, Z5, Z14, Z9, Z10, Z11, Z19, Z20, Z21) \
	ADDQ $80, SI \
	ADDQ $384, R12 \
	DECQ CX \
	JNZ  pchunk \
ptail: \
	TESTQ R14, R14 \
	JZ   psum \
	MOVQ $64, CX \
	SUBQ R14, CX \
	T3BW_TAIL_NIBBLES(SI, Z0, Z1, K1, K2) \
	ADDQ R13, SI \
	T3BW_TAIL_NIBBLES(SI, Z12, Z13, K4, K5) \
	SUBQ R13, SI \
	VMOVDQU8.Z (R12), K3, Z4 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z14 \
	T3BW_PAIR(Z0, K1, Z12, K4, Z4, Z5, Z14, Z6, Z7, Z8, Z16, Z17, Z18) \
	ADDQ R14, R12 \
	VMOVDQU8.Z (R12), K3, Z4 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z14 \
	T3BW_PAIR(Z1, K2, Z13, K5, Z4, Z5, Z14, Z9, Z10, Z11, Z19, Z20, Z21) \
	MOVQ R14, AX \
	SHRQ $2, AX \
	ADDQ R14, AX \
	ADDQ AX, SI \
psum: \
	T3BW_FOLD(Z6, Z7, Z8, Z9, Z10, Z11) \
	T3BW_HSUM(Z6, Y6) \
	SUBL sumx+48(FP), AX \
	MOVL AX, (DI) \
	T3BW_FOLD(Z16, Z17, Z18, Z19, Z20, Z21) \
	T3BW_HSUM(Z16, Y16) \
	SUBL sumx+48(FP), AX \
	MOVL AX, (DI)(R8*4) \
	ADDQ $4, DI \
	DECQ R9 \
	JMP  pairs \
single: \
	MOVQ rows+40(FP), AX \
	TESTQ $1, AX \
	JZ   done \
	ADDQ R13, SI \
	LEAQ (DI)(R8*4), DI \
	VPXORD Z6, Z6, Z6 \
	VPXORD Z7, Z7, Z7 \
	VPXORD Z8, Z8, Z8 \
	VPXORD Z9, Z9, Z9 \
	VPXORD Z10, Z10, Z10 \
	VPXORD Z11, Z11, Z11 \
	MOVQ DX, R12 \
	MOVQ R10, CX \
	TESTQ CX, CX \
	JZ   stail \
schunk: \
	PF(8192(SI)) \
	PF(8256(SI)) \
	T3BW_NIBBLES(SI, Z0, Z1, K1, K2) \
	T3BW_ONE(Z0, K1, 0(R12), 128(R12), 256(R12), Z6, Z7, Z8) \
	T3BW_ONE(Z1, K2, 64(R12), 192(R12), 320(R12), Z9, Z10, Z11) \
	ADDQ $80, SI \
	ADDQ $384, R12 \
	DECQ CX \
	JNZ  schunk \
stail: \
	TESTQ R14, R14 \
	JZ   ssum \
	MOVQ $64, CX \
	SUBQ R14, CX \
	T3BW_TAIL_NIBBLES(SI, Z0, Z1, K1, K2) \
	VMOVDQU8.Z (R12), K3, Z4 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z14 \
	T3BW_ONE(Z0, K1, Z4, Z5, Z14, Z6, Z7, Z8) \
	ADDQ R14, R12 \
	VMOVDQU8.Z (R12), K3, Z4 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z14 \
	T3BW_ONE(Z1, K2, Z4, Z5, Z14, Z9, Z10, Z11) \
ssum: \
	T3BW_FOLD(Z6, Z7, Z8, Z9, Z10, Z11) \
	T3BW_HSUM(Z6, Y6) \
	SUBL sumx+48(FP), AX \
	MOVL AX, (DI) \
done: \
	VZEROUPPER \
	RET

// func t3sRowsAVX512BWNTA: t3sRowsAVX512BW with PF_NTA.
TEXT ·t3sRowsAVX512BWNTA(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512BW(PF_NTA)

// func t3sRowsAVX512BWT0: t3sRowsAVX512BW with PF_T0.
TEXT ·t3sRowsAVX512BWT0(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512BW(PF_T0)

// func t3sRowsAVX512BWT2: t3sRowsAVX512BW with PF_T2.
TEXT ·t3sRowsAVX512BWT2(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512BW(PF_T2)

// func t3sRowsAVX512BWNone: t3sRowsAVX512BW with PF_NONE.
TEXT ·t3sRowsAVX512BWNone(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512BW(PF_NONE)

// func t3sTile4AVX512BW(dst *int32, ldd int, w *byte, x *int8, k int, chunks, tail, rows int, sums *int32)
//
// Four tokens (at x, x+k, x+2k, x+3k) per pass over the rows, one row at
// a time: each chunk is decoded once into six digit vectors (Z2–Z4: d_0,
// 4·d_1, 16·d_2 of the low codes, Z18–Z20 of the high codes) and
// multiplied with every token's activations; token t's digit i sums in
// Z(6+3t+i). R12 walks tokens 0–1, R9 tokens 2–3.
TEXT ·t3sTile4AVX512BW(SB), NOSPLIT, $0-72
	MOVQ dst+0(FP), DI
	MOVQ w+16(FP), SI
	MOVQ x+24(FP), DX
	MOVQ k+32(FP), R13
	MOVQ chunks+40(FP), R10
	MOVQ rows+56(FP), R8
	T3BW_SETUP(tail+48(FP))
tile4row:
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	MOVQ DX, R12
	LEAQ (DX)(R13*2), R9
	MOVQ R10, CX
	TESTQ CX, CX
	JZ   tile4tail

tile4chunk:
	T3BW_NIBBLES(SI, Z0, Z1, K1, K2)
	T3BW_DIGITS(Z0, K1, Z21, Z2, Z3, Z4)
	T3BW_DIGITS(Z1, K2, Z22, Z18, Z19, Z20)
	VPDPBUSD 0(R12), Z2, Z6
	VPDPBUSD 64(R12), Z18, Z6
	VPDPBUSD 128(R12), Z3, Z7
	VPDPBUSD 192(R12), Z19, Z7
	VPDPBUSD 256(R12), Z4, Z8
	VPDPBUSD 320(R12), Z20, Z8
	VPDPBUSD 0(R12)(R13*1), Z2, Z9
	VPDPBUSD 64(R12)(R13*1), Z18, Z9
	VPDPBUSD 128(R12)(R13*1), Z3, Z10
	VPDPBUSD 192(R12)(R13*1), Z19, Z10
	VPDPBUSD 256(R12)(R13*1), Z4, Z11
	VPDPBUSD 320(R12)(R13*1), Z20, Z11
	VPDPBUSD 0(R9), Z2, Z12
	VPDPBUSD 64(R9), Z18, Z12
	VPDPBUSD 128(R9), Z3, Z13
	VPDPBUSD 192(R9), Z19, Z13
	VPDPBUSD 256(R9), Z4, Z14
	VPDPBUSD 320(R9), Z20, Z14
	VPDPBUSD 0(R9)(R13*1), Z2, Z15
	VPDPBUSD 64(R9)(R13*1), Z18, Z15
	VPDPBUSD 128(R9)(R13*1), Z3, Z16
	VPDPBUSD 192(R9)(R13*1), Z19, Z16
	VPDPBUSD 256(R9)(R13*1), Z4, Z17
	VPDPBUSD 320(R9)(R13*1), Z20, Z17
	ADDQ $80, SI
	ADDQ $384, R12
	ADDQ $384, R9
	DECQ CX
	JNZ  tile4chunk

tile4tail:
	TESTQ R14, R14
	JZ   tile4sum
	MOVQ $64, CX
	SUBQ R14, CX
	T3BW_TAIL_NIBBLES(SI, Z0, Z1, K1, K2)
	T3BW_DIGITS(Z0, K1, Z21, Z2, Z3, Z4)
	T3BW_DIGITS(Z1, K2, Z22, Z18, Z19, Z20)
	MOVQ R12, AX
	LEAQ (AX)(R13*2), CX
	VMOVDQU8.Z (AX), K3, Z5
	VPDPBUSD Z5, Z2, Z6
	VMOVDQU8.Z (AX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z2, Z9
	VMOVDQU8.Z (CX), K3, Z5
	VPDPBUSD Z5, Z2, Z12
	VMOVDQU8.Z (CX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z2, Z15
	ADDQ R15, AX
	LEAQ (AX)(R13*2), CX
	VMOVDQU8.Z (AX), K3, Z5
	VPDPBUSD Z5, Z3, Z7
	VMOVDQU8.Z (AX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z3, Z10
	VMOVDQU8.Z (CX), K3, Z5
	VPDPBUSD Z5, Z3, Z13
	VMOVDQU8.Z (CX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z3, Z16
	ADDQ R15, AX
	LEAQ (AX)(R13*2), CX
	VMOVDQU8.Z (AX), K3, Z5
	VPDPBUSD Z5, Z4, Z8
	VMOVDQU8.Z (AX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z4, Z11
	VMOVDQU8.Z (CX), K3, Z5
	VPDPBUSD Z5, Z4, Z14
	VMOVDQU8.Z (CX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z4, Z17
	LEAQ (R12)(R14*1), AX
	LEAQ (AX)(R13*2), CX
	VMOVDQU8.Z (AX), K3, Z5
	VPDPBUSD Z5, Z18, Z6
	VMOVDQU8.Z (AX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z18, Z9
	VMOVDQU8.Z (CX), K3, Z5
	VPDPBUSD Z5, Z18, Z12
	VMOVDQU8.Z (CX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z18, Z15
	ADDQ R15, AX
	LEAQ (AX)(R13*2), CX
	VMOVDQU8.Z (AX), K3, Z5
	VPDPBUSD Z5, Z19, Z7
	VMOVDQU8.Z (AX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z19, Z10
	VMOVDQU8.Z (CX), K3, Z5
	VPDPBUSD Z5, Z19, Z13
	VMOVDQU8.Z (CX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z19, Z16
	ADDQ R15, AX
	LEAQ (AX)(R13*2), CX
	VMOVDQU8.Z (AX), K3, Z5
	VPDPBUSD Z5, Z20, Z8
	VMOVDQU8.Z (AX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z20, Z11
	VMOVDQU8.Z (CX), K3, Z5
	VPDPBUSD Z5, Z20, Z14
	VMOVDQU8.Z (CX)(R13*1), K3, Z5
	VPDPBUSD Z5, Z20, Z17
	MOVQ R14, AX
	SHRQ $2, AX
	ADDQ R14, AX
	ADDQ AX, SI

tile4sum:
	MOVQ ldd+8(FP), R9
	SHLQ $2, R9
	MOVQ sums+64(FP), CX
	LEAQ (DI)(R9*2), R12
	T3BW_FOLD3(Z6, Z7, Z8)
	T3BW_HSUM(Z6, Y6)
	SUBL 0(CX), AX
	MOVL AX, (DI)
	T3BW_FOLD3(Z9, Z10, Z11)
	T3BW_HSUM(Z9, Y9)
	SUBL 4(CX), AX
	MOVL AX, (DI)(R9*1)
	T3BW_FOLD3(Z12, Z13, Z14)
	T3BW_HSUM(Z12, Y12)
	SUBL 8(CX), AX
	MOVL AX, (R12)
	T3BW_FOLD3(Z15, Z16, Z17)
	T3BW_HSUM(Z15, Y15)
	SUBL 12(CX), AX
	MOVL AX, (R12)(R9*1)
	ADDQ $4, DI
	DECQ R8
	JNZ  tile4row
	VZEROUPPER
	RET
