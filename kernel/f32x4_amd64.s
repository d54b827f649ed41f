//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"
#include "f32_amd64.h"

// func dotsF32x4AVX512(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)
// For heads h < 4 and positions p < count: dst[h·dstStride + p] is
// dotsF32AVX2's sum for q + h·qStride against row p of m (n a multiple of
// 32), with the key row loaded once for the four heads. dotsF32AVX2's four
// 8-lane accumulators of a head are the halves of two 16-lane ones (a0|a1
// in Z16, a2|a3 in Z17 for head 0, Z18–Z19 head 1, …): the same FMAs lane
// by lane in half the instructions, and the same reduction, (a0+a1) +
// (a2+a3) and the horizontal sum (REDUCEZ).
// The body is instantiated once per software-prefetch hint PF.
#define BODY_dotsF32x4AVX512(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ dstStride+8(FP), R12; \
	SHLQ $2, R12; \
	MOVQ q+16(FP), R8; \
	MOVQ qStride+24(FP), R13; \
	SHLQ $2, R13; \
	MOVQ m+32(FP), BX; \
	MOVQ n+40(FP), R14; \
	SHRQ $5, R14; \
	MOVQ stride+48(FP), R15; \
	SHLQ $2, R15; \
	MOVQ count+56(FP), AX; \
	TESTQ AX, AX; \
	JZ   done; \
	TESTQ R14, R14; \
	JZ   done; \
pos: \
	VPXORD Z16, Z16, Z16; \
	VPXORD Z17, Z17, Z17; \
	VPXORD Z18, Z18, Z18; \
	VPXORD Z19, Z19, Z19; \
	VPXORD Z20, Z20, Z20; \
	VPXORD Z21, Z21, Z21; \
	VPXORD Z22, Z22, Z22; \
	VPXORD Z23, Z23, Z23; \
	MOVQ BX, DX; \
	MOVQ R15, CX; \
	IMULQ $ATTN_PF_ROWS, CX; \
	ADDQ BX, CX; \
	PF(0(CX)); \
	PF(64(CX)); \
	PF(128(CX)); \
	PF(192(CX)); \
	PF(256(CX)); \
	PF(320(CX)); \
	PF(384(CX)); \
	PF(448(CX)); \
	MOVQ R8, SI; \
	LEAQ (R8)(R13*1), R9; \
	LEAQ (R8)(R13*2), R10; \
	LEAQ (R9)(R13*2), R11; \
	MOVQ R14, CX; \
chunk: \
	VMOVUPS (DX), Z0; \
	VMOVUPS 64(DX), Z1; \
	VFMADD231PS (SI), Z0, Z16; \
	VFMADD231PS 64(SI), Z1, Z17; \
	VFMADD231PS (R9), Z0, Z18; \
	VFMADD231PS 64(R9), Z1, Z19; \
	VFMADD231PS (R10), Z0, Z20; \
	VFMADD231PS 64(R10), Z1, Z21; \
	VFMADD231PS (R11), Z0, Z22; \
	VFMADD231PS 64(R11), Z1, Z23; \
	ADDQ $128, DX; \
	ADDQ $128, SI; \
	ADDQ $128, R9; \
	ADDQ $128, R10; \
	ADDQ $128, R11; \
	DECQ CX; \
	JNZ  chunk; \
	REDUCEZ(Z16, Y16, Z17, Y17, (DI)); \
	REDUCEZ(Z18, Y18, Z19, Y19, (DI)(R12*1)); \
	REDUCEZ(Z20, Y20, Z21, Y21, (DI)(R12*2)); \
	LEAQ (DI)(R12*2), CX; \
	REDUCEZ(Z22, Y22, Z23, Y23, (CX)(R12*1)); \
	ADDQ $4, DI; \
	ADDQ R15, BX; \
	DECQ AX; \
	JNZ  pos; \
done: \
	VZEROUPPER; \
	RET

// func axpysF32x4AVX512(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)
// For heads h < 4: dst[h·dstStride + i] += w[h·wStride + p]·m[p·stride + i]
// for p = 0 … count−1 in turn and i < n (a multiple of 32): each value
// takes axpysF32AVX2's FMAs in the same order (FMAs are lane by lane, so
// the register width does not change them), with each value row loaded
// once for the four heads and each head's dst slice held in 16-lane
// registers: slices of 64 values (Z16–Z31), a last one of 32 if n is an
// odd multiple of 32. The first pass over the positions prefetches each
// row's whole 512 bytes, which the later passes find in L2.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_axpysF32x4AVX512(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ dstStride+8(FP), R12; \
	SHLQ $2, R12; \
	MOVQ w+16(FP), R8; \
	MOVQ wStride+24(FP), R13; \
	SHLQ $2, R13; \
	MOVQ m+32(FP), BX; \
	MOVQ n+40(FP), R14; \
	MOVQ stride+48(FP), R15; \
	SHLQ $2, R15; \
	MOVQ R15, R9; \
	IMULQ $ATTN_PF_ROWS, R9; \
	MOVQ count+56(FP), AX; \
	TESTQ AX, AX; \
	JZ   adone; \
	TESTQ R14, R14; \
	JLE  adone; \
	LEAQ (R13)(R13*2), R11; \
	LEAQ (R12)(R12*2), R10; \
aslice: \
	CMPQ R14, $64; \
	JB   ahalf; \
	VMOVUPS 0(DI), Z16; \
	VMOVUPS 64(DI), Z17; \
	VMOVUPS 128(DI), Z18; \
	VMOVUPS 192(DI), Z19; \
	VMOVUPS 0(DI)(R12*1), Z20; \
	VMOVUPS 64(DI)(R12*1), Z21; \
	VMOVUPS 128(DI)(R12*1), Z22; \
	VMOVUPS 192(DI)(R12*1), Z23; \
	VMOVUPS 0(DI)(R12*2), Z24; \
	VMOVUPS 64(DI)(R12*2), Z25; \
	VMOVUPS 128(DI)(R12*2), Z26; \
	VMOVUPS 192(DI)(R12*2), Z27; \
	VMOVUPS 0(DI)(R10*1), Z28; \
	VMOVUPS 64(DI)(R10*1), Z29; \
	VMOVUPS 128(DI)(R10*1), Z30; \
	VMOVUPS 192(DI)(R10*1), Z31; \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ AX, CX; \
awpos: \
	PF(0(DX)(R9*1)); \
	PF(64(DX)(R9*1)); \
	PF(128(DX)(R9*1)); \
	PF(192(DX)(R9*1)); \
	CMPQ BX, m+32(FP); \
	JNE  awpos1; \
	PF(256(DX)(R9*1)); \
	PF(320(DX)(R9*1)); \
	PF(384(DX)(R9*1)); \
	PF(448(DX)(R9*1)); \
awpos1: \
	VMOVUPS 0(DX), Z0; \
	VMOVUPS 64(DX), Z1; \
	VMOVUPS 128(DX), Z2; \
	VMOVUPS 192(DX), Z3; \
	VBROADCASTSS (SI), Z4; \
	VBROADCASTSS (SI)(R13*1), Z5; \
	VBROADCASTSS (SI)(R13*2), Z6; \
	VBROADCASTSS (SI)(R11*1), Z7; \
	VFMADD231PS Z0, Z4, Z16; \
	VFMADD231PS Z1, Z4, Z17; \
	VFMADD231PS Z2, Z4, Z18; \
	VFMADD231PS Z3, Z4, Z19; \
	VFMADD231PS Z0, Z5, Z20; \
	VFMADD231PS Z1, Z5, Z21; \
	VFMADD231PS Z2, Z5, Z22; \
	VFMADD231PS Z3, Z5, Z23; \
	VFMADD231PS Z0, Z6, Z24; \
	VFMADD231PS Z1, Z6, Z25; \
	VFMADD231PS Z2, Z6, Z26; \
	VFMADD231PS Z3, Z6, Z27; \
	VFMADD231PS Z0, Z7, Z28; \
	VFMADD231PS Z1, Z7, Z29; \
	VFMADD231PS Z2, Z7, Z30; \
	VFMADD231PS Z3, Z7, Z31; \
	ADDQ $4, SI; \
	ADDQ R15, DX; \
	DECQ CX; \
	JNZ  awpos; \
	VMOVUPS Z16, 0(DI); \
	VMOVUPS Z17, 64(DI); \
	VMOVUPS Z18, 128(DI); \
	VMOVUPS Z19, 192(DI); \
	VMOVUPS Z20, 0(DI)(R12*1); \
	VMOVUPS Z21, 64(DI)(R12*1); \
	VMOVUPS Z22, 128(DI)(R12*1); \
	VMOVUPS Z23, 192(DI)(R12*1); \
	VMOVUPS Z24, 0(DI)(R12*2); \
	VMOVUPS Z25, 64(DI)(R12*2); \
	VMOVUPS Z26, 128(DI)(R12*2); \
	VMOVUPS Z27, 192(DI)(R12*2); \
	VMOVUPS Z28, 0(DI)(R10*1); \
	VMOVUPS Z29, 64(DI)(R10*1); \
	VMOVUPS Z30, 128(DI)(R10*1); \
	VMOVUPS Z31, 192(DI)(R10*1); \
	ADDQ $256, DI; \
	ADDQ $256, BX; \
	SUBQ $64, R14; \
	JNZ  aslice; \
	JMP  adone; \
ahalf: \
	VMOVUPS 0(DI), Z16; \
	VMOVUPS 64(DI), Z17; \
	VMOVUPS 0(DI)(R12*1), Z20; \
	VMOVUPS 64(DI)(R12*1), Z21; \
	VMOVUPS 0(DI)(R12*2), Z24; \
	VMOVUPS 64(DI)(R12*2), Z25; \
	VMOVUPS 0(DI)(R10*1), Z28; \
	VMOVUPS 64(DI)(R10*1), Z29; \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ AX, CX; \
ahpos: \
	PF(0(DX)(R9*1)); \
	PF(64(DX)(R9*1)); \
	CMPQ BX, m+32(FP); \
	JNE  ahpos1; \
	PF(128(DX)(R9*1)); \
	PF(192(DX)(R9*1)); \
	PF(256(DX)(R9*1)); \
	PF(320(DX)(R9*1)); \
	PF(384(DX)(R9*1)); \
	PF(448(DX)(R9*1)); \
ahpos1: \
	VMOVUPS 0(DX), Z0; \
	VMOVUPS 64(DX), Z1; \
	VBROADCASTSS (SI), Z4; \
	VBROADCASTSS (SI)(R13*1), Z5; \
	VBROADCASTSS (SI)(R13*2), Z6; \
	VBROADCASTSS (SI)(R11*1), Z7; \
	VFMADD231PS Z0, Z4, Z16; \
	VFMADD231PS Z1, Z4, Z17; \
	VFMADD231PS Z0, Z5, Z20; \
	VFMADD231PS Z1, Z5, Z21; \
	VFMADD231PS Z0, Z6, Z24; \
	VFMADD231PS Z1, Z6, Z25; \
	VFMADD231PS Z0, Z7, Z28; \
	VFMADD231PS Z1, Z7, Z29; \
	ADDQ $4, SI; \
	ADDQ R15, DX; \
	DECQ CX; \
	JNZ  ahpos; \
	VMOVUPS Z16, 0(DI); \
	VMOVUPS Z17, 64(DI); \
	VMOVUPS Z20, 0(DI)(R12*1); \
	VMOVUPS Z21, 64(DI)(R12*1); \
	VMOVUPS Z24, 0(DI)(R12*2); \
	VMOVUPS Z25, 64(DI)(R12*2); \
	VMOVUPS Z28, 0(DI)(R10*1); \
	VMOVUPS Z29, 64(DI)(R10*1); \
	ADDQ $128, DI; \
	ADDQ $128, BX; \
	SUBQ $32, R14; \
	JNZ  aslice; \
	JMP  adone; \
adone: \
	VZEROUPPER; \
	RET

// func dotsF32x4AVX2(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)
// dotsF32x4AVX512's contract with 16 vector registers: per position, two
// passes over the key row, each computing two heads with dotsF32AVX2's four
// accumulators (Y8–Y11, Y12–Y15) and reduction; the second pass finds the
// row in L1.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_dotsF32x4AVX2(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ dstStride+8(FP), R12; \
	SHLQ $2, R12; \
	MOVQ q+16(FP), R8; \
	MOVQ qStride+24(FP), R13; \
	SHLQ $2, R13; \
	MOVQ m+32(FP), BX; \
	MOVQ n+40(FP), R14; \
	SHRQ $5, R14; \
	MOVQ stride+48(FP), R15; \
	SHLQ $2, R15; \
	MOVQ count+56(FP), AX; \
	TESTQ AX, AX; \
	JZ   done2; \
	TESTQ R14, R14; \
	JZ   done2; \
pos2: \
	MOVQ R15, CX; \
	IMULQ $ATTN_PF_ROWS, CX; \
	ADDQ BX, CX; \
	PF((CX)); \
	PF(64(CX)); \
	PF(128(CX)); \
	PF(192(CX)); \
	PF(256(CX)); \
	PF(320(CX)); \
	PF(384(CX)); \
	PF(448(CX)); \
	ZERO8; \
	MOVQ BX, DX; \
	MOVQ R8, SI; \
	LEAQ (R8)(R13*1), R9; \
	MOVQ R14, CX; \
heads01: \
	DOTS2_CHUNK(SI, R9); \
	DECQ CX; \
	JNZ  heads01; \
	REDUCE(Y8, Y9, Y10, Y11, (DI)); \
	REDUCE(Y12, Y13, Y14, Y15, (DI)(R12*1)); \
	ZERO8; \
	MOVQ BX, DX; \
	LEAQ (R8)(R13*2), SI; \
	LEAQ (SI)(R13*1), R9; \
	MOVQ R14, CX; \
heads23: \
	DOTS2_CHUNK(SI, R9); \
	DECQ CX; \
	JNZ  heads23; \
	LEAQ (DI)(R12*2), CX; \
	REDUCE(Y8, Y9, Y10, Y11, (CX)); \
	REDUCE(Y12, Y13, Y14, Y15, (CX)(R12*1)); \
	ADDQ $4, DI; \
	ADDQ R15, BX; \
	DECQ AX; \
	JNZ  pos2; \
done2: \
	VZEROUPPER; \
	RET

// func axpysF32x4AVX2(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)
// axpysF32x4AVX512's contract with 16 vector registers. Positions go in
// blocks of ATTN_PF_ROWS rows, which stay in L1 while every pass of the
// block re-reads them. Within a block, dst goes in slices of 48 values (the
// last 32 or 64 in slices of 32), each slice in two passes over the block's
// rows for two heads, their dst slices held in Y0–Y5 and Y6–Y11 so that 12
// independent FMA chains hide the FMA latency, with the value rows as
// memory operands; each value still takes its FMAs position by position in
// order, as in axpysF32AVX2. The first pass of a block prefetches the whole
// 512 bytes of the next block's rows, so that memory streams while the
// block's other passes compute.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_axpysF32x4AVX2(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ dstStride+8(FP), R12; \
	SHLQ $2, R12; \
	MOVQ w+16(FP), R8; \
	MOVQ wStride+24(FP), R13; \
	SHLQ $2, R13; \
	MOVQ m+32(FP), BX; \
	MOVQ n+40(FP), R14; \
	MOVQ stride+48(FP), R15; \
	SHLQ $2, R15; \
	MOVQ R15, R9; \
	IMULQ $ATTN_PF_ROWS, R9; \
	MOVQ count+56(FP), AX; \
	TESTQ AX, AX; \
	JZ   adone2; \
	TESTQ R14, R14; \
	JLE  adone2; \
ablock: \
	MOVQ $ATTN_PF_ROWS, R11; \
	CMPQ AX, R11; \
	CMOVQLT AX, R11; \
aslice: \
	CMPQ R14, $80; \
	JAE  awide; \
	CMPQ R14, $48; \
	JNE  anarrow; \
awide: \
	AXPYS_LOAD6(DI); \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ R11, CX; \
	CMPQ R14, n+40(FP); \
	JNE  aw01; \
aw01pf: \
	PF(0(DX)(R9*1)); \
	PF(64(DX)(R9*1)); \
	PF(128(DX)(R9*1)); \
	PF(192(DX)(R9*1)); \
	PF(256(DX)(R9*1)); \
	PF(320(DX)(R9*1)); \
	PF(384(DX)(R9*1)); \
	PF(448(DX)(R9*1)); \
	AXPYS_POS6; \
	DECQ CX; \
	JNZ  aw01pf; \
	JMP  aw01done; \
aw01: \
	AXPYS_POS6; \
	DECQ CX; \
	JNZ  aw01; \
aw01done: \
	AXPYS_STORE6(DI); \
	LEAQ (DI)(R12*2), R10; \
	AXPYS_LOAD6(R10); \
	LEAQ (R8)(R13*2), SI; \
	MOVQ BX, DX; \
	MOVQ R11, CX; \
aw23: \
	AXPYS_POS6; \
	DECQ CX; \
	JNZ  aw23; \
	AXPYS_STORE6(R10); \
	ADDQ $192, DI; \
	ADDQ $192, BX; \
	SUBQ $48, R14; \
	JNZ  aslice; \
	JMP  anext; \
anarrow: \
	AXPYS_LOAD4(DI); \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ R11, CX; \
	CMPQ R14, n+40(FP); \
	JNE  an01; \
an01pf: \
	PF(0(DX)(R9*1)); \
	PF(64(DX)(R9*1)); \
	PF(128(DX)(R9*1)); \
	PF(192(DX)(R9*1)); \
	PF(256(DX)(R9*1)); \
	PF(320(DX)(R9*1)); \
	PF(384(DX)(R9*1)); \
	PF(448(DX)(R9*1)); \
	AXPYS_POS4; \
	DECQ CX; \
	JNZ  an01pf; \
	JMP  an01done; \
an01: \
	AXPYS_POS4; \
	DECQ CX; \
	JNZ  an01; \
an01done: \
	AXPYS_STORE4(DI); \
	LEAQ (DI)(R12*2), R10; \
	AXPYS_LOAD4(R10); \
	LEAQ (R8)(R13*2), SI; \
	MOVQ BX, DX; \
	MOVQ R11, CX; \
an23: \
	AXPYS_POS4; \
	DECQ CX; \
	JNZ  an23; \
	AXPYS_STORE4(R10); \
	ADDQ $128, DI; \
	ADDQ $128, BX; \
	SUBQ $32, R14; \
	JNZ  aslice; \
	JMP  anext; \
anext: \
	MOVQ dst+0(FP), DI; \
	MOVQ n+40(FP), R14; \
	MOVQ R14, CX; \
	SHLQ $2, CX; \
	SUBQ CX, BX; \
	MOVQ R11, CX; \
	IMULQ R15, CX; \
	ADDQ CX, BX; \
	LEAQ (R8)(R11*4), R8; \
	SUBQ R11, AX; \
	JNZ  ablock; \
adone2: \
	VZEROUPPER; \
	RET

// func dotsF32x4AVX512NTA: dotsF32x4AVX512 with PF_NTA.
TEXT ·dotsF32x4AVX512NTA(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX512(PF_NTA)

// func dotsF32x4AVX512T0: dotsF32x4AVX512 with PF_T0.
TEXT ·dotsF32x4AVX512T0(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX512(PF_T0)

// func dotsF32x4AVX512T2: dotsF32x4AVX512 with PF_T2.
TEXT ·dotsF32x4AVX512T2(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX512(PF_T2)

// func dotsF32x4AVX512None: dotsF32x4AVX512 with PF_NONE.
TEXT ·dotsF32x4AVX512None(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX512(PF_NONE)

// func axpysF32x4AVX512NTA: axpysF32x4AVX512 with PF_NTA.
TEXT ·axpysF32x4AVX512NTA(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX512(PF_NTA)

// func axpysF32x4AVX512T0: axpysF32x4AVX512 with PF_T0.
TEXT ·axpysF32x4AVX512T0(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX512(PF_T0)

// func axpysF32x4AVX512T2: axpysF32x4AVX512 with PF_T2.
TEXT ·axpysF32x4AVX512T2(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX512(PF_T2)

// func axpysF32x4AVX512None: axpysF32x4AVX512 with PF_NONE.
TEXT ·axpysF32x4AVX512None(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX512(PF_NONE)

// func dotsF32x4AVX2NTA: dotsF32x4AVX2 with PF_NTA.
TEXT ·dotsF32x4AVX2NTA(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX2(PF_NTA)

// func dotsF32x4AVX2T0: dotsF32x4AVX2 with PF_T0.
TEXT ·dotsF32x4AVX2T0(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX2(PF_T0)

// func dotsF32x4AVX2T2: dotsF32x4AVX2 with PF_T2.
TEXT ·dotsF32x4AVX2T2(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX2(PF_T2)

// func dotsF32x4AVX2None: dotsF32x4AVX2 with PF_NONE.
TEXT ·dotsF32x4AVX2None(SB), NOSPLIT, $0-64
	BODY_dotsF32x4AVX2(PF_NONE)

// func axpysF32x4AVX2NTA: axpysF32x4AVX2 with PF_NTA.
TEXT ·axpysF32x4AVX2NTA(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX2(PF_NTA)

// func axpysF32x4AVX2T0: axpysF32x4AVX2 with PF_T0.
TEXT ·axpysF32x4AVX2T0(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX2(PF_T0)

// func axpysF32x4AVX2T2: axpysF32x4AVX2 with PF_T2.
TEXT ·axpysF32x4AVX2T2(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX2(PF_T2)

// func axpysF32x4AVX2None: axpysF32x4AVX2 with PF_NONE.
TEXT ·axpysF32x4AVX2None(SB), NOSPLIT, $0-64
	BODY_axpysF32x4AVX2(PF_NONE)
