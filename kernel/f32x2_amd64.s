//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"
#include "f32_amd64.h"

// Two-head forms of the kernels of f32x4_amd64.s (grouped-query attention
// with two query heads per kv head, or the last two of a group): each body
// is its four-head body with heads 2 and 3 taken out, so every head's
// score and sum is computed by the same instructions in the same order,
// bit-identical to dotsF32AVX2 and axpysF32AVX2 head by head (shared
// macros in f32_amd64.h).

// func dotsF32x2AVX512(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)
// dotsF32x4AVX512 for heads 0 and 1.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_dotsF32x2AVX512(PF) \
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
	JZ   x2done; \
	TESTQ R14, R14; \
	JZ   x2done; \
x2pos: \
	VPXORD Z16, Z16, Z16; \
	VPXORD Z17, Z17, Z17; \
	VPXORD Z18, Z18, Z18; \
	VPXORD Z19, Z19, Z19; \
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
	MOVQ R14, CX; \
x2chunk: \
	VMOVUPS (DX), Z0; \
	VMOVUPS 64(DX), Z1; \
	VFMADD231PS (SI), Z0, Z16; \
	VFMADD231PS 64(SI), Z1, Z17; \
	VFMADD231PS (R9), Z0, Z18; \
	VFMADD231PS 64(R9), Z1, Z19; \
	ADDQ $128, DX; \
	ADDQ $128, SI; \
	ADDQ $128, R9; \
	DECQ CX; \
	JNZ  x2chunk; \
	REDUCEZ(Z16, Y16, Z17, Y17, (DI)); \
	REDUCEZ(Z18, Y18, Z19, Y19, (DI)(R12*1)); \
	ADDQ $4, DI; \
	ADDQ R15, BX; \
	DECQ AX; \
	JNZ  x2pos; \
x2done: \
	VZEROUPPER; \
	RET

// func axpysF32x2AVX512(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)
// axpysF32x4AVX512 for heads 0 and 1.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_axpysF32x2AVX512(PF) \
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
	JZ   x2adone; \
	TESTQ R14, R14; \
	JLE  x2adone; \
x2aslice: \
	CMPQ R14, $64; \
	JB   x2ahalf; \
	VMOVUPS 0(DI), Z16; \
	VMOVUPS 64(DI), Z17; \
	VMOVUPS 128(DI), Z18; \
	VMOVUPS 192(DI), Z19; \
	VMOVUPS 0(DI)(R12*1), Z20; \
	VMOVUPS 64(DI)(R12*1), Z21; \
	VMOVUPS 128(DI)(R12*1), Z22; \
	VMOVUPS 192(DI)(R12*1), Z23; \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ AX, CX; \
x2awpos: \
	PF(0(DX)(R9*1)); \
	PF(64(DX)(R9*1)); \
	PF(128(DX)(R9*1)); \
	PF(192(DX)(R9*1)); \
	CMPQ BX, m+32(FP); \
	JNE  x2awpos1; \
	PF(256(DX)(R9*1)); \
	PF(320(DX)(R9*1)); \
	PF(384(DX)(R9*1)); \
	PF(448(DX)(R9*1)); \
x2awpos1: \
	VMOVUPS 0(DX), Z0; \
	VMOVUPS 64(DX), Z1; \
	VMOVUPS 128(DX), Z2; \
	VMOVUPS 192(DX), Z3; \
	VBROADCASTSS (SI), Z4; \
	VBROADCASTSS (SI)(R13*1), Z5; \
	VFMADD231PS Z0, Z4, Z16; \
	VFMADD231PS Z1, Z4, Z17; \
	VFMADD231PS Z2, Z4, Z18; \
	VFMADD231PS Z3, Z4, Z19; \
	VFMADD231PS Z0, Z5, Z20; \
	VFMADD231PS Z1, Z5, Z21; \
	VFMADD231PS Z2, Z5, Z22; \
	VFMADD231PS Z3, Z5, Z23; \
	ADDQ $4, SI; \
	ADDQ R15, DX; \
	DECQ CX; \
	JNZ  x2awpos; \
	VMOVUPS Z16, 0(DI); \
	VMOVUPS Z17, 64(DI); \
	VMOVUPS Z18, 128(DI); \
	VMOVUPS Z19, 192(DI); \
	VMOVUPS Z20, 0(DI)(R12*1); \
	VMOVUPS Z21, 64(DI)(R12*1); \
	VMOVUPS Z22, 128(DI)(R12*1); \
	VMOVUPS Z23, 192(DI)(R12*1); \
	ADDQ $256, DI; \
	ADDQ $256, BX; \
	SUBQ $64, R14; \
	JNZ  x2aslice; \
	JMP  x2adone; \
x2ahalf: \
	VMOVUPS 0(DI), Z16; \
	VMOVUPS 64(DI), Z17; \
	VMOVUPS 0(DI)(R12*1), Z20; \
	VMOVUPS 64(DI)(R12*1), Z21; \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ AX, CX; \
x2ahpos: \
	PF(0(DX)(R9*1)); \
	PF(64(DX)(R9*1)); \
	CMPQ BX, m+32(FP); \
	JNE  x2ahpos1; \
	PF(128(DX)(R9*1)); \
	PF(192(DX)(R9*1)); \
	PF(256(DX)(R9*1)); \
	PF(320(DX)(R9*1)); \
	PF(384(DX)(R9*1)); \
	PF(448(DX)(R9*1)); \
x2ahpos1: \
	VMOVUPS 0(DX), Z0; \
	VMOVUPS 64(DX), Z1; \
	VBROADCASTSS (SI), Z4; \
	VBROADCASTSS (SI)(R13*1), Z5; \
	VFMADD231PS Z0, Z4, Z16; \
	VFMADD231PS Z1, Z4, Z17; \
	VFMADD231PS Z0, Z5, Z20; \
	VFMADD231PS Z1, Z5, Z21; \
	ADDQ $4, SI; \
	ADDQ R15, DX; \
	DECQ CX; \
	JNZ  x2ahpos; \
	VMOVUPS Z16, 0(DI); \
	VMOVUPS Z17, 64(DI); \
	VMOVUPS Z20, 0(DI)(R12*1); \
	VMOVUPS Z21, 64(DI)(R12*1); \
	ADDQ $128, DI; \
	ADDQ $128, BX; \
	SUBQ $32, R14; \
	JNZ  x2aslice; \
	JMP  x2adone; \
x2adone: \
	VZEROUPPER; \
	RET

// func dotsF32x2AVX2(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)
// dotsF32x4AVX2 for heads 0 and 1.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_dotsF32x2AVX2(PF) \
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
	JZ   x2done2; \
	TESTQ R14, R14; \
	JZ   x2done2; \
x2pos2: \
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
x2heads01: \
	DOTS2_CHUNK(SI, R9); \
	DECQ CX; \
	JNZ  x2heads01; \
	REDUCE(Y8, Y9, Y10, Y11, (DI)); \
	REDUCE(Y12, Y13, Y14, Y15, (DI)(R12*1)); \
	ADDQ $4, DI; \
	ADDQ R15, BX; \
	DECQ AX; \
	JNZ  x2pos2; \
x2done2: \
	VZEROUPPER; \
	RET

// func axpysF32x2AVX2(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)
// axpysF32x4AVX2 for heads 0 and 1.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_axpysF32x2AVX2(PF) \
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
	JZ   x2adone2; \
	TESTQ R14, R14; \
	JLE  x2adone2; \
x2ablock: \
	MOVQ $ATTN_PF_ROWS, R11; \
	CMPQ AX, R11; \
	CMOVQLT AX, R11; \
x2aslice: \
	CMPQ R14, $80; \
	JAE  x2awide; \
	CMPQ R14, $48; \
	JNE  x2anarrow; \
x2awide: \
	AXPYS_LOAD6(DI); \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ R11, CX; \
	CMPQ R14, n+40(FP); \
	JNE  x2aw01; \
x2aw01pf: \
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
	JNZ  x2aw01pf; \
	JMP  x2aw01done; \
x2aw01: \
	AXPYS_POS6; \
	DECQ CX; \
	JNZ  x2aw01; \
x2aw01done: \
	AXPYS_STORE6(DI); \
	ADDQ $192, DI; \
	ADDQ $192, BX; \
	SUBQ $48, R14; \
	JNZ  x2aslice; \
	JMP  x2anext; \
x2anarrow: \
	AXPYS_LOAD4(DI); \
	MOVQ R8, SI; \
	MOVQ BX, DX; \
	MOVQ R11, CX; \
	CMPQ R14, n+40(FP); \
	JNE  x2an01; \
x2an01pf: \
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
	JNZ  x2an01pf; \
	JMP  x2an01done; \
x2an01: \
	AXPYS_POS4; \
	DECQ CX; \
	JNZ  x2an01; \
x2an01done: \
	AXPYS_STORE4(DI); \
	ADDQ $128, DI; \
	ADDQ $128, BX; \
	SUBQ $32, R14; \
	JNZ  x2aslice; \
	JMP  x2anext; \
x2anext: \
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
	JNZ  x2ablock; \
x2adone2: \
	VZEROUPPER; \
	RET

// func dotsF32x2AVX512NTA: dotsF32x2AVX512 with PF_NTA.
TEXT ·dotsF32x2AVX512NTA(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX512(PF_NTA)

// func dotsF32x2AVX512T0: dotsF32x2AVX512 with PF_T0.
TEXT ·dotsF32x2AVX512T0(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX512(PF_T0)

// func dotsF32x2AVX512T2: dotsF32x2AVX512 with PF_T2.
TEXT ·dotsF32x2AVX512T2(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX512(PF_T2)

// func dotsF32x2AVX512None: dotsF32x2AVX512 with PF_NONE.
TEXT ·dotsF32x2AVX512None(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX512(PF_NONE)

// func axpysF32x2AVX512NTA: axpysF32x2AVX512 with PF_NTA.
TEXT ·axpysF32x2AVX512NTA(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX512(PF_NTA)

// func axpysF32x2AVX512T0: axpysF32x2AVX512 with PF_T0.
TEXT ·axpysF32x2AVX512T0(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX512(PF_T0)

// func axpysF32x2AVX512T2: axpysF32x2AVX512 with PF_T2.
TEXT ·axpysF32x2AVX512T2(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX512(PF_T2)

// func axpysF32x2AVX512None: axpysF32x2AVX512 with PF_NONE.
TEXT ·axpysF32x2AVX512None(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX512(PF_NONE)

// func dotsF32x2AVX2NTA: dotsF32x2AVX2 with PF_NTA.
TEXT ·dotsF32x2AVX2NTA(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX2(PF_NTA)

// func dotsF32x2AVX2T0: dotsF32x2AVX2 with PF_T0.
TEXT ·dotsF32x2AVX2T0(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX2(PF_T0)

// func dotsF32x2AVX2T2: dotsF32x2AVX2 with PF_T2.
TEXT ·dotsF32x2AVX2T2(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX2(PF_T2)

// func dotsF32x2AVX2None: dotsF32x2AVX2 with PF_NONE.
TEXT ·dotsF32x2AVX2None(SB), NOSPLIT, $0-64
	BODY_dotsF32x2AVX2(PF_NONE)

// func axpysF32x2AVX2NTA: axpysF32x2AVX2 with PF_NTA.
TEXT ·axpysF32x2AVX2NTA(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX2(PF_NTA)

// func axpysF32x2AVX2T0: axpysF32x2AVX2 with PF_T0.
TEXT ·axpysF32x2AVX2T0(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX2(PF_T0)

// func axpysF32x2AVX2T2: axpysF32x2AVX2 with PF_T2.
TEXT ·axpysF32x2AVX2T2(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX2(PF_T2)

// func axpysF32x2AVX2None: axpysF32x2AVX2 with PF_NONE.
TEXT ·axpysF32x2AVX2None(SB), NOSPLIT, $0-64
	BODY_axpysF32x2AVX2(PF_NONE)
