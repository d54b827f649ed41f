//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"

// func matVecQ8_0AVX2(dst *float32, w *byte, x *float32, k, rows int)
// Two blocks per step, each into its own accumulator (Y8 even blocks, Y9
// odd ones), so that the latency of the accumulating FMA does not bound the
// stream; within a block one chain of FMAs over the four 8-value parts.
// The body is instantiated once per software-prefetch hint PF.
#define Q8_0_AVX2_BLOCK(wo, xo, acc) \
	VPMOVSXBD 2+wo(SI), Y0; \
	VPMOVSXBD 10+wo(SI), Y1; \
	VPMOVSXBD 18+wo(SI), Y2; \
	VPMOVSXBD 26+wo(SI), Y3; \
	VCVTDQ2PS Y0, Y0; \
	VCVTDQ2PS Y1, Y1; \
	VCVTDQ2PS Y2, Y2; \
	VCVTDQ2PS Y3, Y3; \
	VMULPS xo(BX), Y0, Y0; \
	VFMADD231PS 32+xo(BX), Y1, Y0; \
	VFMADD231PS 64+xo(BX), Y2, Y0; \
	VFMADD231PS 96+xo(BX), Y3, Y0; \
	VPBROADCASTW wo(SI), X4; \
	VCVTPH2PS X4, Y4; \
	VFMADD231PS Y4, Y0, acc

#define BODY_matVecQ8_0AVX2(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ w+8(FP), SI; \
	MOVQ x+16(FP), DX; \
	MOVQ k+24(FP), R8; \
	MOVQ rows+32(FP), R9; \
	SHRQ $5, R8; \
row: \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	MOVQ DX, BX; \
	MOVQ R8, CX; \
	CMPQ CX, $2; \
	JB   single; \
pair: \
	PF(8192(SI)); \
	PF(8256(SI)); \
	Q8_0_AVX2_BLOCK(0, 0, Y8); \
	Q8_0_AVX2_BLOCK(34, 128, Y9); \
	ADDQ $68, SI; \
	ADDQ $256, BX; \
	SUBQ $2, CX; \
	CMPQ CX, $2; \
	JAE  pair; \
single: \
	TESTQ CX, CX; \
	JZ   reduce; \
	PF(8192(SI)); \
	Q8_0_AVX2_BLOCK(0, 0, Y8); \
	ADDQ $34, SI; \
reduce: \
	VADDPS Y9, Y8, Y8; \
	VEXTRACTF128 $1, Y8, X1; \
	VADDPS X1, X8, X0; \
	VHADDPS X0, X0, X0; \
	VHADDPS X0, X0, X0; \
	MOVSS X0, (DI); \
	ADDQ $4, DI; \
	DECQ R9; \
	JNZ  row; \
	VZEROUPPER; \
	RET

// func matVecQ8_0AVX512(dst *float32, w *byte, x *float32, k, rows int)
// Two blocks (64 values) per step with 16-lane registers; k is a multiple
// of 64.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_matVecQ8_0AVX512(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ w+8(FP), SI; \
	MOVQ x+16(FP), DX; \
	MOVQ k+24(FP), R8; \
	MOVQ rows+32(FP), R9; \
	SHRQ $6, R8; \
row512: \
	VPXORD Z8, Z8, Z8; \
	VPXORD Z9, Z9, Z9; \
	MOVQ DX, BX; \
	MOVQ R8, CX; \
pair512: \
	PF(8192(SI)); \
	PF(8256(SI)); \
	VPMOVSXBD 2(SI), Z0; \
	VPMOVSXBD 18(SI), Z1; \
	VPMOVSXBD 36(SI), Z2; \
	VPMOVSXBD 52(SI), Z3; \
	VCVTDQ2PS Z0, Z0; \
	VCVTDQ2PS Z1, Z1; \
	VCVTDQ2PS Z2, Z2; \
	VCVTDQ2PS Z3, Z3; \
	VMULPS (BX), Z0, Z0; \
	VFMADD231PS 64(BX), Z1, Z0; \
	VMULPS 128(BX), Z2, Z2; \
	VFMADD231PS 192(BX), Z3, Z2; \
	VPBROADCASTW (SI), Y4; \
	VCVTPH2PS Y4, Z4; \
	VPBROADCASTW 34(SI), Y5; \
	VCVTPH2PS Y5, Z5; \
	VFMADD231PS Z4, Z0, Z8; \
	VFMADD231PS Z5, Z2, Z9; \
	ADDQ $68, SI; \
	ADDQ $256, BX; \
	DECQ CX; \
	JNZ  pair512; \
	VADDPS Z9, Z8, Z0; \
	VEXTRACTF64X4 $1, Z0, Y1; \
	VADDPS Y1, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS X1, X0, X0; \
	VHADDPS X0, X0, X0; \
	VHADDPS X0, X0, X0; \
	MOVSS X0, (DI); \
	ADDQ $4, DI; \
	DECQ R9; \
	JNZ  row512; \
	VZEROUPPER; \
	RET

// func matVecQ8_0AVX2NTA: matVecQ8_0AVX2 with PF_NTA.
TEXT ·matVecQ8_0AVX2NTA(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX2(PF_NTA)

// func matVecQ8_0AVX2T0: matVecQ8_0AVX2 with PF_T0.
TEXT ·matVecQ8_0AVX2T0(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX2(PF_T0)

// func matVecQ8_0AVX2T2: matVecQ8_0AVX2 with PF_T2.
TEXT ·matVecQ8_0AVX2T2(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX2(PF_T2)

// func matVecQ8_0AVX2None: matVecQ8_0AVX2 with PF_NONE.
TEXT ·matVecQ8_0AVX2None(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX2(PF_NONE)

// func matVecQ8_0AVX512NTA: matVecQ8_0AVX512 with PF_NTA.
TEXT ·matVecQ8_0AVX512NTA(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX512(PF_NTA)

// func matVecQ8_0AVX512T0: matVecQ8_0AVX512 with PF_T0.
TEXT ·matVecQ8_0AVX512T0(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX512(PF_T0)

// func matVecQ8_0AVX512T2: matVecQ8_0AVX512 with PF_T2.
TEXT ·matVecQ8_0AVX512T2(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX512(PF_T2)

// func matVecQ8_0AVX512None: matVecQ8_0AVX512 with PF_NONE.
TEXT ·matVecQ8_0AVX512None(SB), NOSPLIT, $0-40
	BODY_matVecQ8_0AVX512(PF_NONE)
