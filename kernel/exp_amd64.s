//go:build amd64 && !purego

#include "textflag.h"

// Constants of expShiftedAVX512 (float64): clamp bounds, log2(e), ln 2 in
// two parts (fdlibm's: n·ln2Hi is exact for |n| < 2^20), and the Taylor
// coefficients 1/k! for k = 13 down to 0.
DATA expc<>+0(SB)/8, $-150.0
DATA expc<>+8(SB)/8, $100.0
DATA expc<>+16(SB)/8, $0x3ff71547652b82fe // log2(e)
DATA expc<>+24(SB)/8, $0x3fe62e42fee00000 // ln2 hi
DATA expc<>+32(SB)/8, $0x3dea39ef35793c76 // ln2 lo
DATA expc<>+40(SB)/8, $0x3de6124613a86d09 // 1/13!
DATA expc<>+48(SB)/8, $0x3e21eed8eff8d898 // 1/12!
DATA expc<>+56(SB)/8, $0x3e5ae64567f544e4 // 1/11!
DATA expc<>+64(SB)/8, $0x3e927e4fb7789f5c // 1/10!
DATA expc<>+72(SB)/8, $0x3ec71de3a556c734 // 1/9!
DATA expc<>+80(SB)/8, $0x3efa01a01a01a01a // 1/8!
DATA expc<>+88(SB)/8, $0x3f2a01a01a01a01a // 1/7!
DATA expc<>+96(SB)/8, $0x3f56c16c16c16c17 // 1/6!
DATA expc<>+104(SB)/8, $0x3f81111111111111 // 1/5!
DATA expc<>+112(SB)/8, $0x3fa5555555555555 // 1/4!
DATA expc<>+120(SB)/8, $0x3fc5555555555555 // 1/3!
DATA expc<>+128(SB)/8, $0x3fe0000000000000 // 1/2!
DATA expc<>+136(SB)/8, $0x3ff0000000000000 // 1
GLOBL expc<>(SB), RODATA|NOPTR, $144

// func expShiftedAVX512(dst, x *float32, m float32, n int)
// dst[i] = float32(exp(float64(x[i] - m))) for i < n (a multiple of 8):
// x − m in float32, then in float64 n = round(t·log2 e), r = t − n·ln 2,
// exp(r) by its Taylor polynomial to degree 13 (error below 2^-60 for
// |r| ≤ ln2/2), times 2^n, rounded once to float32.
TEXT ·expShiftedAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	VBROADCASTSS m+16(FP), Y31
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JZ   done
	VBROADCASTSD expc<>+0(SB), Z30  // lower clamp
	VBROADCASTSD expc<>+8(SB), Z29  // upper clamp
	VBROADCASTSD expc<>+16(SB), Z28 // log2 e
	VBROADCASTSD expc<>+24(SB), Z27 // ln2 hi
	VBROADCASTSD expc<>+32(SB), Z26 // ln2 lo
	VBROADCASTSD expc<>+40(SB), Z25 // 1/13!
	VBROADCASTSD expc<>+48(SB), Z24
	VBROADCASTSD expc<>+56(SB), Z23
	VBROADCASTSD expc<>+64(SB), Z22
	VBROADCASTSD expc<>+72(SB), Z21
	VBROADCASTSD expc<>+80(SB), Z20
	VBROADCASTSD expc<>+88(SB), Z19
	VBROADCASTSD expc<>+96(SB), Z18
	VBROADCASTSD expc<>+104(SB), Z17
	VBROADCASTSD expc<>+112(SB), Z16
	VBROADCASTSD expc<>+120(SB), Z15
	VBROADCASTSD expc<>+128(SB), Z14
	VBROADCASTSD expc<>+136(SB), Z13 // 1

loop:
	VMOVUPS (SI), Y0
	VSUBPS Y31, Y0, Y0          // x − m in float32
	VCVTPS2PD Y0, Z0
	VMAXPD Z0, Z30, Z0          // NaN stays NaN (the second source wins)
	VMINPD Z0, Z29, Z0
	VMULPD Z28, Z0, Z1
	VRNDSCALEPD $0, Z1, Z1      // n, rounded to nearest even
	VMOVAPD Z0, Z2
	VFNMADD231PD Z27, Z1, Z2    // r = t − n·ln2hi
	VFNMADD231PD Z26, Z1, Z2    // r −= n·ln2lo
	VMOVAPD Z25, Z3
	VFMADD213PD Z24, Z2, Z3     // p = p·r + c
	VFMADD213PD Z23, Z2, Z3
	VFMADD213PD Z22, Z2, Z3
	VFMADD213PD Z21, Z2, Z3
	VFMADD213PD Z20, Z2, Z3
	VFMADD213PD Z19, Z2, Z3
	VFMADD213PD Z18, Z2, Z3
	VFMADD213PD Z17, Z2, Z3
	VFMADD213PD Z16, Z2, Z3
	VFMADD213PD Z15, Z2, Z3
	VFMADD213PD Z14, Z2, Z3
	VFMADD213PD Z13, Z2, Z3
	VFMADD213PD Z13, Z2, Z3     // 1 + r·(...)
	VCVTPD2QQ Z1, Z4            // n as int64 (exact: |n| ≤ 217)
	VPSLLQ $52, Z4, Z4
	VPADDQ Z4, Z3, Z3           // ·2^n in the exponent field
	VCVTPD2PS Z3, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET
