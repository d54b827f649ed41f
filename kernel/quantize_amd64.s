//go:build amd64 && !purego

#include "textflag.h"

// func maxAbsBitsAVX512(x *float32, n int) uint32
// n is a positive multiple of 64. Returns max over i of bits(x[i]) & 0x7fffffff.
TEXT ·maxAbsBitsAVX512(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	MOVL $0x7fffffff, AX
	VPBROADCASTD AX, Z31
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	SHRQ $6, CX

maxloop:
	VPANDD (SI), Z31, Z4
	VPANDD 64(SI), Z31, Z5
	VPANDD 128(SI), Z31, Z6
	VPANDD 192(SI), Z31, Z7
	VPMAXUD Z4, Z0, Z0
	VPMAXUD Z5, Z1, Z1
	VPMAXUD Z6, Z2, Z2
	VPMAXUD Z7, Z3, Z3
	ADDQ $256, SI
	DECQ CX
	JNZ  maxloop

	VPMAXUD Z1, Z0, Z0
	VPMAXUD Z3, Z2, Z2
	VPMAXUD Z2, Z0, Z0
	VEXTRACTI64X4 $1, Z0, Y1
	VPMAXUD Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPMAXUD X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPMAXUD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPMAXUD X1, X0, X0
	VMOVD X0, AX
	MOVL AX, ret+16(FP)
	VZEROUPPER
	RET

// func quantizeScaledAVX512(dst *int8, x *float32, n int, a float32) int32
// n is a positive multiple of 64. dst[i] = int8(roundHalfEven(x[i]·a)) (the
// conversion rounds by MXCSR, which Go keeps at round-to-nearest-even);
// returns Σ dst[i]. The caller guarantees |x[i]·a| ≤ 127·(1+2⁻²⁰).
TEXT ·quantizeScaledAVX512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS a+24(FP), Z31
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	SHRQ $6, CX

qloop:
	VMULPS (SI), Z31, Z0
	VMULPS 64(SI), Z31, Z1
	VMULPS 128(SI), Z31, Z2
	VMULPS 192(SI), Z31, Z3
	VCVTPS2DQ Z0, Z0
	VCVTPS2DQ Z1, Z1
	VCVTPS2DQ Z2, Z2
	VCVTPS2DQ Z3, Z3
	VPMOVSDB Z0, (DI)
	VPMOVSDB Z1, 16(DI)
	VPMOVSDB Z2, 32(DI)
	VPMOVSDB Z3, 48(DI)
	VPADDD Z0, Z8, Z8
	VPADDD Z1, Z9, Z9
	VPADDD Z2, Z8, Z8
	VPADDD Z3, Z9, Z9
	ADDQ $256, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  qloop

	VPADDD Z9, Z8, Z8
	VEXTRACTI64X4 $1, Z8, Y9
	VPADDD Y9, Y8, Y8
	VEXTRACTI128 $1, Y8, X9
	VPADDD X9, X8, X8
	VPSHUFD $0x4e, X8, X9
	VPADDD X9, X8, X8
	VPSHUFD $0xb1, X8, X9
	VPADDD X9, X8, X8
	VMOVD X8, AX
	MOVL AX, ret+32(FP)
	VZEROUPPER
	RET
