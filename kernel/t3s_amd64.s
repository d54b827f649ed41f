//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"
#include "t3s_amd64.h"

// T3_S AVX-512 kernels (t3s_amd64.go; AVX-512 BW + VNNI + VBMI). Every one
// computes, for r < rows, dst[r] = Σ_j d[r][j]·x[j] − sumx with the digits
// d_i = ⌊c/3^i⌋ mod 3 of each 5-bit code c (docs/SEMANTICS.md §4c), so
// the result is Σ t·x. A row is chunks whole chunks of four groups (80
// bytes, 128 codes, 384 values) and a last chunk of tail groups (0–3).
//
// Decoding a whole chunk: the 64 nibble bytes give codes 0–63 (low
// nibbles) and 64–127 (high nibbles); the two 8-byte halves of the bit
// bytes are the masks of their bit 4, added in as 16 by a masked VPADDB.
// One VPERMB per value position maps 64 codes to their digits (tables
// t3sDigits, indexed by the low six bits of a byte; codes are below 32),
// and VPDPBUSD multiplies them (unsigned, ≤ 2) by the 64 activations of
// that position (signed), which are contiguous: value i of code j is
// column 128·i + j of the chunk. Each int32 lane adds at most 4·2·128 per
// chunk, so no lane overflows for rows below 2²¹ values.
//
// The last chunk of g < 4 groups holds 16·g nibble bytes and 4·g bit
// bytes; its loads are masked to 16·g lanes (no byte past the row is
// read: the two bit masks are the 2·g top bytes of the 8 bytes ending at
// 18·g and at 20·g), and its activations are at 32·g·i (+16·g for the
// high nibbles).

DATA t3sDigits<>+0(SB)/8, $0x0100020100020100
DATA t3sDigits<>+8(SB)/8, $0x0002010002010002
DATA t3sDigits<>+16(SB)/8, $0x0201000201000201
DATA t3sDigits<>+24(SB)/8, $0x0100020100020100
DATA t3sDigits<>+32(SB)/8, $0x0100020100020100
DATA t3sDigits<>+40(SB)/8, $0x0002010002010002
DATA t3sDigits<>+48(SB)/8, $0x0201000201000201
DATA t3sDigits<>+56(SB)/8, $0x0100020100020100
DATA t3sDigits<>+64(SB)/8, $0x0202010101000000
DATA t3sDigits<>+72(SB)/8, $0x0201010100000002
DATA t3sDigits<>+80(SB)/8, $0x0101010000000202
DATA t3sDigits<>+88(SB)/8, $0x0101000000020202
DATA t3sDigits<>+96(SB)/8, $0x0202010101000000
DATA t3sDigits<>+104(SB)/8, $0x0201010100000002
DATA t3sDigits<>+112(SB)/8, $0x0101010000000202
DATA t3sDigits<>+120(SB)/8, $0x0101000000020202
DATA t3sDigits<>+128(SB)/8, $0x0000000000000000
DATA t3sDigits<>+136(SB)/8, $0x0101010101010100
DATA t3sDigits<>+144(SB)/8, $0x0202020202020101
DATA t3sDigits<>+152(SB)/8, $0x0000000000020202
DATA t3sDigits<>+160(SB)/8, $0x0000000000000000
DATA t3sDigits<>+168(SB)/8, $0x0101010101010100
DATA t3sDigits<>+176(SB)/8, $0x0202020202020101
DATA t3sDigits<>+184(SB)/8, $0x0000000000020202
GLOBL t3sDigits<>(SB), RODATA|NOPTR, $192

// T3S_SETUP loads the constants and the last chunk's geometry: Z31 = 0x0f
// bytes, Z30 = 0x10 bytes, Z27–Z29 the digit tables; R14 = 16·g,
// R15 = 32·g, BX = 18·g − 8, R11 = 20·g − 8, K3 = the 16·g low lanes.
#define T3S_SETUP(tail) \
	MOVQ $0x0f0f0f0f0f0f0f0f, AX; \
	VPBROADCASTQ AX, Z31; \
	MOVQ $0x1010101010101010, AX; \
	VPBROADCASTQ AX, Z30; \
	VMOVDQU64 t3sDigits<>+0(SB), Z27; \
	VMOVDQU64 t3sDigits<>+64(SB), Z28; \
	VMOVDQU64 t3sDigits<>+128(SB), Z29; \
	T3S_TAIL_GEOMETRY(tail)

// T3S_CODES decodes the codes of the chunk at SI into Z0 (low nibbles)
// and Z1 (high nibbles): whole chunks.
#define T3S_CODES \
	VMOVDQU8 (SI), Z0; \
	KMOVQ 64(SI), K1; \
	KMOVQ 72(SI), K2; \
	VPSRLW $4, Z0, Z1; \
	VPANDD Z31, Z0, Z0; \
	VPANDD Z31, Z1, Z1; \
	VPADDB Z30, Z0, K1, Z0; \
	VPADDB Z30, Z1, K2, Z1

// T3S_TAIL_CODES is T3S_CODES for the last chunk of g groups (T3S_SETUP's
// registers; CX = 64 − 16·g).
#define T3S_TAIL_CODES \
	VMOVDQU8.Z (SI), K3, Z0; \
	MOVQ (SI)(BX*1), AX; \
	SHRXQ CX, AX, AX; \
	KMOVQ AX, K1; \
	MOVQ (SI)(R11*1), AX; \
	SHRXQ CX, AX, AX; \
	KMOVQ AX, K2; \
	VPSRLW $4, Z0, Z1; \
	VPANDD Z31, Z0, Z0; \
	VPANDD Z31, Z1, Z1; \
	VPADDB Z30, Z0, K1, Z0; \
	VPADDB Z30, Z1, K2, Z1

// T3S_HSUM adds the 16 int32 lanes of Z(acc) into AX (Z0/Z1 scratch).
#define T3S_HSUM(acc, yacc, unused) \
	VEXTRACTI64X4 $1, acc, Y1; \
	VPADDD Y1, yacc, Y0; \
	VEXTRACTI128 $1, Y0, X1; \
	VPADDD X1, X0, X0; \
	VPSHUFD $0x4e, X0, X1; \
	VPADDD X1, X0, X0; \
	VPSHUFD $0xb1, X0, X1; \
	VPADDD X1, X0, X0; \
	VMOVD X0, AX

// func t3sRowsAVX512(dst *int32, w *byte, x *int8, chunks int, tail int, rows int, sumx int)
//
// One token, two rows at a time, one from each half of the rows (row i
// at SI, row i + rows/2 at SI + R13), so that each activation vector is
// loaded once for both while the weights are read as two sequential
// streams; an odd last row goes alone. Six accumulators per row (Z6–Z11
// and Z16–Z21: digit i of the low codes, then of the high ones) take one
// VPDPBUSD each per chunk. Each stream is prefetched 8 KiB ahead with
// hint PF; the body is instantiated once per hint.
#define BODY_t3sRowsAVX512(PF) \
	MOVQ dst+0(FP), DI \
	MOVQ w+8(FP), SI \
	MOVQ x+16(FP), DX \
	MOVQ chunks+24(FP), R10 \
	MOVQ rows+40(FP), R8 \
	SHRQ $1, R8 \
	T3S_SETUP(tail+32(FP)) \
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
	T3S_CODES \
	VMOVDQU8 (SI)(R13*1), Z12 \
	KMOVQ 64(SI)(R13*1), K4 \
	KMOVQ 72(SI)(R13*1), K5 \
	VPSRLW $4, Z12, Z13 \
	VPANDD Z31, Z12, Z12 \
	VPANDD Z31, Z13, Z13 \
	VPADDB Z30, Z12, K4, Z12 \
	VPADDB Z30, Z13, K5, Z13 \
	VMOVDQU64 0(R12), Z5 \
	VPERMB Z27, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z6 \
	VPERMB Z27, Z12, Z3 \
	VPDPBUSD Z5, Z3, Z16 \
	VMOVDQU64 128(R12), Z5 \
	VPERMB Z28, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z7 \
	VPERMB Z28, Z12, Z3 \
	VPDPBUSD Z5, Z3, Z17 \
	VMOVDQU64 256(R12), Z5 \
	VPERMB Z29, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z8 \
	VPERMB Z29, Z12, Z3 \
	VPDPBUSD Z5, Z3, Z18 \
	VMOVDQU64 64(R12), Z5 \
	VPERMB Z27, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z9 \
	VPERMB Z27, Z13, Z3 \
	VPDPBUSD Z5, Z3, Z19 \
	VMOVDQU64 192(R12), Z5 \
	VPERMB Z28, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z10 \
	VPERMB Z28, Z13, Z3 \
	VPDPBUSD Z5, Z3, Z20 \
	VMOVDQU64 320(R12), Z5 \
	VPERMB Z29, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z11 \
	VPERMB Z29, Z13, Z3 \
	VPDPBUSD Z5, Z3, Z21 \
	ADDQ $80, SI \
	ADDQ $384, R12 \
	DECQ CX \
	JNZ  pchunk \
ptail: \
	TESTQ R14, R14 \
	JZ   psum \
	MOVQ $64, CX \
	SUBQ R14, CX \
	T3S_TAIL_CODES \
	VMOVDQU8.Z (SI)(R13*1), K3, Z12 \
	LEAQ (SI)(R13*1), AX \
	MOVQ (AX)(BX*1), AX \
	SHRXQ CX, AX, AX \
	KMOVQ AX, K4 \
	LEAQ (SI)(R13*1), AX \
	MOVQ (AX)(R11*1), AX \
	SHRXQ CX, AX, AX \
	KMOVQ AX, K5 \
	VPSRLW $4, Z12, Z13 \
	VPANDD Z31, Z12, Z12 \
	VPANDD Z31, Z13, Z13 \
	VPADDB Z30, Z12, K4, Z12 \
	VPADDB Z30, Z13, K5, Z13 \
	VMOVDQU8.Z (R12), K3, Z5 \
	VPERMB Z27, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z6 \
	VPERMB Z27, Z12, Z3 \
	VPDPBUSD Z5, Z3, Z16 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VPERMB Z28, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z7 \
	VPERMB Z28, Z12, Z3 \
	VPDPBUSD Z5, Z3, Z17 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z5 \
	VPERMB Z29, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z8 \
	VPERMB Z29, Z12, Z3 \
	VPDPBUSD Z5, Z3, Z18 \
	ADDQ R14, R12 \
	VMOVDQU8.Z (R12), K3, Z5 \
	VPERMB Z27, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z9 \
	VPERMB Z27, Z13, Z3 \
	VPDPBUSD Z5, Z3, Z19 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VPERMB Z28, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z10 \
	VPERMB Z28, Z13, Z3 \
	VPDPBUSD Z5, Z3, Z20 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z5 \
	VPERMB Z29, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z11 \
	VPERMB Z29, Z13, Z3 \
	VPDPBUSD Z5, Z3, Z21 \
	MOVQ R14, AX \
	SHRQ $2, AX \
	ADDQ R14, AX \
	ADDQ AX, SI \
psum: \
	VPADDD Z7, Z6, Z6 \
	VPADDD Z9, Z8, Z8 \
	VPADDD Z11, Z10, Z10 \
	VPADDD Z8, Z6, Z6 \
	VPADDD Z10, Z6, Z6 \
	T3S_HSUM(Z6, Y6, X0) \
	SUBL sumx+48(FP), AX \
	MOVL AX, (DI) \
	VPADDD Z17, Z16, Z16 \
	VPADDD Z19, Z18, Z18 \
	VPADDD Z21, Z20, Z20 \
	VPADDD Z18, Z16, Z16 \
	VPADDD Z20, Z16, Z16 \
	T3S_HSUM(Z16, Y16, X0) \
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
	T3S_CODES \
	VPERMB Z27, Z0, Z2 \
	VPDPBUSD 0(R12), Z2, Z6 \
	VPERMB Z28, Z0, Z3 \
	VPDPBUSD 128(R12), Z3, Z7 \
	VPERMB Z29, Z0, Z4 \
	VPDPBUSD 256(R12), Z4, Z8 \
	VPERMB Z27, Z1, Z12 \
	VPDPBUSD 64(R12), Z12, Z9 \
	VPERMB Z28, Z1, Z13 \
	VPDPBUSD 192(R12), Z13, Z10 \
	VPERMB Z29, Z1, Z14 \
	VPDPBUSD 320(R12), Z14, Z11 \
	ADDQ $80, SI \
	ADDQ $384, R12 \
	DECQ CX \
	JNZ  schunk \
stail: \
	TESTQ R14, R14 \
	JZ   ssum \
	MOVQ $64, CX \
	SUBQ R14, CX \
	T3S_TAIL_CODES \
	VMOVDQU8.Z (R12), K3, Z5 \
	VPERMB Z27, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z6 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VPERMB Z28, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z7 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z5 \
	VPERMB Z29, Z0, Z2 \
	VPDPBUSD Z5, Z2, Z8 \
	ADDQ R14, R12 \
	VMOVDQU8.Z (R12), K3, Z5 \
	VPERMB Z27, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z9 \
	VMOVDQU8.Z (R12)(R15*1), K3, Z5 \
	VPERMB Z28, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z10 \
	VMOVDQU8.Z (R12)(R15*2), K3, Z5 \
	VPERMB Z29, Z1, Z2 \
	VPDPBUSD Z5, Z2, Z11 \
ssum: \
	VPADDD Z7, Z6, Z6 \
	VPADDD Z9, Z8, Z8 \
	VPADDD Z11, Z10, Z10 \
	VPADDD Z8, Z6, Z6 \
	VPADDD Z10, Z6, Z6 \
	T3S_HSUM(Z6, Y6, X0) \
	SUBL sumx+48(FP), AX \
	MOVL AX, (DI) \
done: \
	VZEROUPPER \
	RET

// func t3sRowsAVX512NTA: t3sRowsAVX512 with PF_NTA.
TEXT ·t3sRowsAVX512NTA(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512(PF_NTA)

// func t3sRowsAVX512T0: t3sRowsAVX512 with PF_T0.
TEXT ·t3sRowsAVX512T0(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512(PF_T0)

// func t3sRowsAVX512T2: t3sRowsAVX512 with PF_T2.
TEXT ·t3sRowsAVX512T2(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512(PF_T2)

// func t3sRowsAVX512None: t3sRowsAVX512 with PF_NONE.
TEXT ·t3sRowsAVX512None(SB), NOSPLIT, $0-56
	BODY_t3sRowsAVX512(PF_NONE)

// func t3sTile4AVX512(dst *int32, ldd int, w *byte, x *int8, k int, chunks, tail, rows int, sums *int32)
//
// Four tokens (at x, x+k, x+2k, x+3k) per pass over the rows: each chunk
// is decoded once into six digit vectors (Z2–Z4 low codes, Z18–Z20 high
// codes) and multiplied with every token's activations; token t's digit i
// sums in Z(6+3t+i). R12 walks tokens 0–1, R9 tokens 2–3.
TEXT ·t3sTile4AVX512(SB), NOSPLIT, $0-72
	MOVQ dst+0(FP), DI
	MOVQ w+16(FP), SI
	MOVQ x+24(FP), DX
	MOVQ k+32(FP), R13
	MOVQ chunks+40(FP), R10
	MOVQ rows+56(FP), R8
	T3S_SETUP(tail+48(FP))
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
	T3S_CODES
	VPERMB Z27, Z0, Z2
	VPERMB Z28, Z0, Z3
	VPERMB Z29, Z0, Z4
	VPERMB Z27, Z1, Z18
	VPERMB Z28, Z1, Z19
	VPERMB Z29, Z1, Z20
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
	T3S_TAIL_CODES
	VPERMB Z27, Z0, Z2
	VPERMB Z28, Z0, Z3
	VPERMB Z29, Z0, Z4
	VPERMB Z27, Z1, Z18
	VPERMB Z28, Z1, Z19
	VPERMB Z29, Z1, Z20
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
	VPADDD Z7, Z6, Z6
	VPADDD Z8, Z6, Z6
	T3S_HSUM(Z6, Y6, X0)
	SUBL 0(CX), AX
	MOVL AX, (DI)
	VPADDD Z10, Z9, Z9
	VPADDD Z11, Z9, Z9
	T3S_HSUM(Z9, Y9, X0)
	SUBL 4(CX), AX
	MOVL AX, (DI)(R9*1)
	VPADDD Z13, Z12, Z12
	VPADDD Z14, Z12, Z12
	T3S_HSUM(Z12, Y12, X0)
	SUBL 8(CX), AX
	MOVL AX, (R12)
	VPADDD Z16, Z15, Z15
	VPADDD Z17, Z15, Z15
	T3S_HSUM(Z15, Y15, X0)
	SUBL 12(CX), AX
	MOVL AX, (R12)(R9*1)
	ADDQ $4, DI
	DECQ R8
	JNZ  tile4row
	VZEROUPPER
	RET
