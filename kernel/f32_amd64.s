//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"

// func dotsF32AVX2(dst, q, m *float32, n, stride, count int)
// dst[p] = Σ q[i]·m[p·stride+i] for p < count, i < n (a multiple of 32):
// four 8-lane accumulators over 32-value steps, then (a0+a1)+(a2+a3) and a
// horizontal sum. DotF32 is this with count 1.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_dotsF32AVX2(PF) \
	MOVQ dst+0(FP), R8; \
	MOVQ q+8(FP), R9; \
	MOVQ m+16(FP), DI; \
	MOVQ n+24(FP), R10; \
	MOVQ stride+32(FP), R11; \
	MOVQ count+40(FP), R12; \
	SHLQ $2, R11; \
	MOVQ R11, R13; \
	IMULQ $ATTN_PF_ROWS, R13; \
	SHRQ $5, R10; \
	TESTQ R12, R12; \
	JZ   dotsdone; \
dotspos: \
	MOVQ R9, SI; \
	MOVQ DI, DX; \
	PF((DI)(R13*1)); \
	PF(64(DI)(R13*1)); \
	PF(128(DI)(R13*1)); \
	PF(192(DI)(R13*1)); \
	PF(256(DI)(R13*1)); \
	PF(320(DI)(R13*1)); \
	PF(384(DI)(R13*1)); \
	PF(448(DI)(R13*1)); \
	MOVQ R10, CX; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
dotsloop: \
	VMOVUPS (SI), Y4; \
	VMOVUPS 32(SI), Y5; \
	VMOVUPS 64(SI), Y6; \
	VMOVUPS 96(SI), Y7; \
	VFMADD231PS (DX), Y4, Y0; \
	VFMADD231PS 32(DX), Y5, Y1; \
	VFMADD231PS 64(DX), Y6, Y2; \
	VFMADD231PS 96(DX), Y7, Y3; \
	ADDQ $128, SI; \
	ADDQ $128, DX; \
	DECQ CX; \
	JNZ  dotsloop; \
	VADDPS Y1, Y0, Y0; \
	VADDPS Y3, Y2, Y2; \
	VADDPS Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS X1, X0, X0; \
	VMOVSHDUP X0, X1; \
	VADDPS X1, X0, X0; \
	VMOVHLPS X0, X0, X1; \
	VADDSS X1, X0, X0; \
	VMOVSS X0, (R8); \
	ADDQ $4, R8; \
	ADDQ R11, DI; \
	DECQ R12; \
	JNZ  dotspos; \
dotsdone: \
	VZEROUPPER; \
	RET

// func axpysF32AVX2(dst, w, m *float32, n, stride, count int)
// dst[i] += w[p]·m[p·stride+i] for p = 0, 1, ... count−1 in turn, for
// i < n (a multiple of 32), one FMA per value and position, with each
// 32-value slice of dst held in registers across the positions. AxpyF32 is
// this with count 1. The first pass over the positions prefetches each
// row's first 512 bytes, which the later passes then find in L2.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_axpysF32AVX2(PF) \
	MOVQ dst+0(FP), R8; \
	MOVQ w+8(FP), R9; \
	MOVQ m+16(FP), R13; \
	MOVQ n+24(FP), R10; \
	MOVQ stride+32(FP), R11; \
	MOVQ count+40(FP), R12; \
	SHLQ $2, R11; \
	MOVQ R11, R14; \
	IMULQ $ATTN_PF_ROWS, R14; \
	SHRQ $5, R10; \
	TESTQ R12, R12; \
	JZ   axpysdone; \
	TESTQ R10, R10; \
	JZ   axpysdone; \
axpyschunk: \
	VMOVUPS (R8), Y0; \
	VMOVUPS 32(R8), Y1; \
	VMOVUPS 64(R8), Y2; \
	VMOVUPS 96(R8), Y3; \
	MOVQ R9, SI; \
	MOVQ R13, DX; \
	MOVQ R12, CX; \
axpyspos: \
	PF((DX)(R14*1)); \
	PF(64(DX)(R14*1)); \
	CMPQ R13, m+16(FP); \
	JNE  axpyspos1; \
	PF(128(DX)(R14*1)); \
	PF(192(DX)(R14*1)); \
	PF(256(DX)(R14*1)); \
	PF(320(DX)(R14*1)); \
	PF(384(DX)(R14*1)); \
	PF(448(DX)(R14*1)); \
axpyspos1: \
	VBROADCASTSS (SI), Y8; \
	VFMADD231PS (DX), Y8, Y0; \
	VFMADD231PS 32(DX), Y8, Y1; \
	VFMADD231PS 64(DX), Y8, Y2; \
	VFMADD231PS 96(DX), Y8, Y3; \
	ADDQ $4, SI; \
	ADDQ R11, DX; \
	DECQ CX; \
	JNZ  axpyspos; \
	VMOVUPS Y0, (R8); \
	VMOVUPS Y1, 32(R8); \
	VMOVUPS Y2, 64(R8); \
	VMOVUPS Y3, 96(R8); \
	ADDQ $128, R8; \
	ADDQ $128, R13; \
	DECQ R10; \
	JNZ  axpyschunk; \
axpysdone: \
	VZEROUPPER; \
	RET

// func dotsF32AVX2NTA: dotsF32AVX2 with PF_NTA.
TEXT ·dotsF32AVX2NTA(SB), NOSPLIT, $0-48
	BODY_dotsF32AVX2(PF_NTA)

// func dotsF32AVX2T0: dotsF32AVX2 with PF_T0.
TEXT ·dotsF32AVX2T0(SB), NOSPLIT, $0-48
	BODY_dotsF32AVX2(PF_T0)

// func dotsF32AVX2T2: dotsF32AVX2 with PF_T2.
TEXT ·dotsF32AVX2T2(SB), NOSPLIT, $0-48
	BODY_dotsF32AVX2(PF_T2)

// func dotsF32AVX2None: dotsF32AVX2 with PF_NONE.
TEXT ·dotsF32AVX2None(SB), NOSPLIT, $0-48
	BODY_dotsF32AVX2(PF_NONE)

// func axpysF32AVX2NTA: axpysF32AVX2 with PF_NTA.
TEXT ·axpysF32AVX2NTA(SB), NOSPLIT, $0-48
	BODY_axpysF32AVX2(PF_NTA)

// func axpysF32AVX2T0: axpysF32AVX2 with PF_T0.
TEXT ·axpysF32AVX2T0(SB), NOSPLIT, $0-48
	BODY_axpysF32AVX2(PF_T0)

// func axpysF32AVX2T2: axpysF32AVX2 with PF_T2.
TEXT ·axpysF32AVX2T2(SB), NOSPLIT, $0-48
	BODY_axpysF32AVX2(PF_T2)

// func axpysF32AVX2None: axpysF32AVX2 with PF_NONE.
TEXT ·axpysF32AVX2None(SB), NOSPLIT, $0-48
	BODY_axpysF32AVX2(PF_NONE)
