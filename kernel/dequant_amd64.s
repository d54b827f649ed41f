//go:build amd64 && !purego

#include "textflag.h"

// The BitLinear epilogues of dequant.go over n/8 (AVX2) or n/16 (AVX-512)
// vectors; the caller runs the rest in Go. Per lane: VCVTDQ2PS (round half
// to even under Go's MXCSR, as Go's conversion), VDIVPS by a, VMULPS by the
// weight scale: the scalar operations, one IEEE rounding each. VMAXPS takes
// the gate as its second source, so a NaN gate stays NaN (Go's max); for a
// gate of −0 it keeps −0 where max gives +0, and r·r is +0 either way.
//
// Each body is written once and instantiated for Y (8 lanes: SHIFT 3, STEP
// 32 bytes) and Z registers (16 lanes: SHIFT 4, STEP 64).

// STORE or ADD_DST finishes a lane vector v of dequantized values.
#define STORE(v)
#define ADD_DST(v) VADDPS (DI), v, v

// func dequant…(dst *float32, acc *int32, n int, a, m float32)
#define BODY_DEQUANT(V0, V1, V2, SHIFT, STEP, FINISH) \
	MOVQ dst+0(FP), DI; \
	MOVQ acc+8(FP), SI; \
	MOVQ n+16(FP), CX; \
	VBROADCASTSS a+24(FP), V1; \
	VBROADCASTSS m+28(FP), V2; \
	SHRQ $SHIFT, CX; \
	JZ   done; \
loop: \
	VCVTDQ2PS (SI), V0; \
	VDIVPS V1, V0, V0; \
	VMULPS V2, V0, V0; \
	FINISH(V0); \
	VMOVUPS V0, (DI); \
	ADDQ $STEP, SI; \
	ADDQ $STEP, DI; \
	DECQ CX; \
	JNZ  loop; \
done: \
	VZEROUPPER; \
	RET

// func dequantReluSqr…(dst *float32, gate, up *int32, n int, a, mg, mu float32)
#define BODY_RELUSQR(V0, V1, V2, V3, V4, V7, SHIFT, STEP) \
	MOVQ dst+0(FP), DI; \
	MOVQ gate+8(FP), SI; \
	MOVQ up+16(FP), DX; \
	MOVQ n+24(FP), CX; \
	VBROADCASTSS a+32(FP), V1; \
	VBROADCASTSS mg+36(FP), V2; \
	VBROADCASTSS mu+40(FP), V4; \
	VXORPS V7, V7, V7; \
	SHRQ $SHIFT, CX; \
	JZ   done; \
loop: \
	VCVTDQ2PS (SI), V0; \
	VDIVPS V1, V0, V0; \
	VMULPS V2, V0, V0; \
	VMAXPS V0, V7, V0; \
	VMULPS V0, V0, V0; \
	VCVTDQ2PS (DX), V3; \
	VDIVPS V1, V3, V3; \
	VMULPS V4, V3, V3; \
	VMULPS V3, V0, V0; \
	VMOVUPS V0, (DI); \
	ADDQ $STEP, SI; \
	ADDQ $STEP, DX; \
	ADDQ $STEP, DI; \
	DECQ CX; \
	JNZ  loop; \
done: \
	VZEROUPPER; \
	RET

// func dequantAVX2(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAVX2(SB), NOSPLIT, $0-32
	BODY_DEQUANT(Y0, Y1, Y2, 3, 32, STORE)

// func dequantAddAVX2(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAddAVX2(SB), NOSPLIT, $0-32
	BODY_DEQUANT(Y0, Y1, Y2, 3, 32, ADD_DST)

// func dequantReluSqrAVX2(dst *float32, gate, up *int32, n int, a, mg, mu float32)
TEXT ·dequantReluSqrAVX2(SB), NOSPLIT, $0-44
	BODY_RELUSQR(Y0, Y1, Y2, Y3, Y4, Y7, 3, 32)

// func dequantAVX512(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAVX512(SB), NOSPLIT, $0-32
	BODY_DEQUANT(Z0, Z1, Z2, 4, 64, STORE)

// func dequantAddAVX512(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAddAVX512(SB), NOSPLIT, $0-32
	BODY_DEQUANT(Z0, Z1, Z2, 4, 64, ADD_DST)

// func dequantReluSqrAVX512(dst *float32, gate, up *int32, n int, a, mg, mu float32)
TEXT ·dequantReluSqrAVX512(SB), NOSPLIT, $0-44
	BODY_RELUSQR(Z0, Z1, Z2, Z3, Z4, Z7, 4, 64)
