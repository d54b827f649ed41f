//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"

// func matVecQ8_0AVX2(dst *float32, w *byte, x *float32, k, rows int)
// The rows are split into four quarters (and at most three left over), and
// row r of each quarter goes with row r of the others: the four share each
// block's activation loads (Y10..Y13), each row sums into its own
// accumulator (Y8, Y9, Y14, Y15), and the weights are four sequential
// streams far apart (rows next to each other would interleave within pages,
// which the hardware prefetchers follow badly). Every row, grouped or left
// over, sums its blocks in the same order, so a row's result does not
// depend on the other rows of the call.
// The body is instantiated once per software-prefetch hint PF.

// Q8_0_AVX2_DOT leaves in Y0 the 8 partial sums of the block at wo(R) with
// the activations X0..X3 (registers or memory).
#define Q8_0_AVX2_DOT(R, wo, X0, X1, X2, X3) \
	VPMOVSXBD 2+wo(R), Y0; \
	VPMOVSXBD 10+wo(R), Y1; \
	VPMOVSXBD 18+wo(R), Y2; \
	VPMOVSXBD 26+wo(R), Y3; \
	VCVTDQ2PS Y0, Y0; \
	VCVTDQ2PS Y1, Y1; \
	VCVTDQ2PS Y2, Y2; \
	VCVTDQ2PS Y3, Y3; \
	VMULPS X0, Y0, Y0; \
	VFMADD231PS X1, Y1, Y0; \
	VMULPS X2, Y2, Y2; \
	VFMADD231PS X3, Y3, Y2; \
	VADDPS Y2, Y0, Y0

// Q8_0_AVX2_SCALE adds Y0 times the block's float16 scale at wo(R) to acc.
#define Q8_0_AVX2_SCALE(R, wo, acc) \
	MOVWLZX wo(R), AX; \
	VMOVD AX, X4; \
	VCVTPH2PS X4, X4; \
	VBROADCASTSS X4, Y4; \
	VFMADD231PS Y4, Y0, acc

// Q8_0_AVX2_STORE stores the sum of the 8 lanes of acc (Yacc/Xacc) at out.
#define Q8_0_AVX2_STORE(Yacc, Xacc, out) \
	VEXTRACTF128 $1, Yacc, X1; \
	VADDPS X1, Xacc, X0; \
	VHADDPS X0, X0, X0; \
	VHADDPS X0, X0, X0; \
	MOVSS X0, out

#define BODY_matVecQ8_0AVX2(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ w+8(FP), SI; \
	MOVQ x+16(FP), DX; \
	MOVQ k+24(FP), R8; \
	MOVQ rows+32(FP), R9; \
	SHRQ $5, R8; \
	IMUL3Q $34, R8, R10; \
	MOVQ R9, R13; \
	SHRQ $2, R13; \
	JZ   odd; \
	MOVQ R13, R12; \
	IMULQ R10, R12; \
	MOVQ R13, R14; \
	SHLQ $2, R13; \
rowquad: \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y14, Y14, Y14; \
	VXORPS Y15, Y15, Y15; \
	MOVQ DX, BX; \
	MOVQ R8, CX; \
	LEAQ (SI)(R12*1), R11; \
	LEAQ (SI)(R12*2), R10; \
	LEAQ (R11)(R12*2), R9; \
quadblock: \
	PF(8192(SI)); \
	PF(8192(R11)); \
	PF(8192(R10)); \
	PF(8192(R9)); \
	VMOVUPS (BX), Y10; \
	VMOVUPS 32(BX), Y11; \
	VMOVUPS 64(BX), Y12; \
	VMOVUPS 96(BX), Y13; \
	Q8_0_AVX2_DOT(SI, 0, Y10, Y11, Y12, Y13); \
	Q8_0_AVX2_SCALE(SI, 0, Y8); \
	Q8_0_AVX2_DOT(R11, 0, Y10, Y11, Y12, Y13); \
	Q8_0_AVX2_SCALE(R11, 0, Y9); \
	Q8_0_AVX2_DOT(R10, 0, Y10, Y11, Y12, Y13); \
	Q8_0_AVX2_SCALE(R10, 0, Y14); \
	Q8_0_AVX2_DOT(R9, 0, Y10, Y11, Y12, Y13); \
	Q8_0_AVX2_SCALE(R9, 0, Y15); \
	ADDQ $34, SI; \
	ADDQ $34, R11; \
	ADDQ $34, R10; \
	ADDQ $34, R9; \
	ADDQ $128, BX; \
	DECQ CX; \
	JNZ  quadblock; \
	Q8_0_AVX2_STORE(Y8, X8, (DI)); \
	Q8_0_AVX2_STORE(Y9, X9, (DI)(R13*1)); \
	Q8_0_AVX2_STORE(Y14, X14, (DI)(R13*2)); \
	LEAQ (R13)(R13*2), CX; \
	Q8_0_AVX2_STORE(Y15, X15, (DI)(CX*1)); \
	ADDQ $4, DI; \
	DECQ R14; \
	JNZ  rowquad; \
	LEAQ (R12)(R12*2), CX; \
	ADDQ CX, SI; \
	LEAQ (R13)(R13*2), CX; \
	ADDQ CX, DI; \
	MOVQ rows+32(FP), R9; \
	ANDQ $3, R9; \
odd: \
	TESTQ R9, R9; \
	JZ   done; \
oddrow: \
	VXORPS Y8, Y8, Y8; \
	MOVQ DX, BX; \
	MOVQ R8, CX; \
oddblock: \
	PF(8192(SI)); \
	Q8_0_AVX2_DOT(SI, 0, (BX), 32(BX), 64(BX), 96(BX)); \
	Q8_0_AVX2_SCALE(SI, 0, Y8); \
	ADDQ $34, SI; \
	ADDQ $128, BX; \
	DECQ CX; \
	JNZ  oddblock; \
	Q8_0_AVX2_STORE(Y8, X8, (DI)); \
	ADDQ $4, DI; \
	DECQ R9; \
	JNZ  oddrow; \
done: \
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
