//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"

// func matVecF16AVX2(dst *float32, w *uint16, x *float32, k, rows int)
// The body is instantiated once per software-prefetch hint PF.
#define BODY_matVecF16AVX2(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ w+8(FP), SI; \
	MOVQ x+16(FP), DX; \
	MOVQ k+24(FP), R8; \
	MOVQ rows+32(FP), R9; \
row: \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	MOVQ DX, BX; \
	MOVQ R8, CX; \
	SHRQ $5, CX; \
step: \
	PF(4096(SI)); \
	VCVTPH2PS (SI), Y4; \
	VCVTPH2PS 16(SI), Y5; \
	VCVTPH2PS 32(SI), Y6; \
	VCVTPH2PS 48(SI), Y7; \
	VFMADD231PS (BX), Y4, Y0; \
	VFMADD231PS 32(BX), Y5, Y1; \
	VFMADD231PS 64(BX), Y6, Y2; \
	VFMADD231PS 96(BX), Y7, Y3; \
	ADDQ $64, SI; \
	ADDQ $128, BX; \
	DECQ CX; \
	JNZ  step; \
	VADDPS Y1, Y0, Y0; \
	VADDPS Y3, Y2, Y2; \
	VADDPS Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS X1, X0, X0; \
	VHADDPS X0, X0, X0; \
	VHADDPS X0, X0, X0; \
	MOVSS X0, (DI); \
	ADDQ $4, DI; \
	DECQ R9; \
	JNZ  row; \
	VZEROUPPER; \
	RET

// func matVecF16AVX512(dst *float32, w *uint16, x *float32, k, rows int)
// k is a multiple of 64.
// The body is instantiated once per software-prefetch hint PF.
#define BODY_matVecF16AVX512(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ w+8(FP), SI; \
	MOVQ x+16(FP), DX; \
	MOVQ k+24(FP), R8; \
	MOVQ rows+32(FP), R9; \
row512: \
	VPXORD Z0, Z0, Z0; \
	VPXORD Z1, Z1, Z1; \
	VPXORD Z2, Z2, Z2; \
	VPXORD Z3, Z3, Z3; \
	MOVQ DX, BX; \
	MOVQ R8, CX; \
	SHRQ $6, CX; \
step512: \
	PF(4096(SI)); \
	PF(4160(SI)); \
	VCVTPH2PS (SI), Z4; \
	VCVTPH2PS 32(SI), Z5; \
	VCVTPH2PS 64(SI), Z6; \
	VCVTPH2PS 96(SI), Z7; \
	VFMADD231PS (BX), Z4, Z0; \
	VFMADD231PS 64(BX), Z5, Z1; \
	VFMADD231PS 128(BX), Z6, Z2; \
	VFMADD231PS 192(BX), Z7, Z3; \
	ADDQ $128, SI; \
	ADDQ $256, BX; \
	DECQ CX; \
	JNZ  step512; \
	VADDPS Z1, Z0, Z0; \
	VADDPS Z3, Z2, Z2; \
	VADDPS Z2, Z0, Z0; \
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

// func matVecF16AVX2NTA: matVecF16AVX2 with PF_NTA.
TEXT ·matVecF16AVX2NTA(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX2(PF_NTA)

// func matVecF16AVX2T0: matVecF16AVX2 with PF_T0.
TEXT ·matVecF16AVX2T0(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX2(PF_T0)

// func matVecF16AVX2T2: matVecF16AVX2 with PF_T2.
TEXT ·matVecF16AVX2T2(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX2(PF_T2)

// func matVecF16AVX2None: matVecF16AVX2 with PF_NONE.
TEXT ·matVecF16AVX2None(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX2(PF_NONE)

// func matVecF16AVX512NTA: matVecF16AVX512 with PF_NTA.
TEXT ·matVecF16AVX512NTA(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX512(PF_NTA)

// func matVecF16AVX512T0: matVecF16AVX512 with PF_T0.
TEXT ·matVecF16AVX512T0(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX512(PF_T0)

// func matVecF16AVX512T2: matVecF16AVX512 with PF_T2.
TEXT ·matVecF16AVX512T2(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX512(PF_T2)

// func matVecF16AVX512None: matVecF16AVX512 with PF_NONE.
TEXT ·matVecF16AVX512None(SB), NOSPLIT, $0-40
	BODY_matVecF16AVX512(PF_NONE)
