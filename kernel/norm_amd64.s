//go:build amd64 && !purego

#include "textflag.h"

// norm_amd64.go: AVX-512 F (+DQ for the 256-bit extracts). n > 0.

// TAILMASK sets K1 to the low n mod 16 bits of CX (CX = n); BX scratch.
#define TAILMASK \
	MOVQ CX, BX; \
	ANDQ $15, BX; \
	MOVL $1, AX; \
	SHLXL BX, AX, AX; \
	DECL AX; \
	KMOVW AX, K1

// func sumF32AVX512(x *float32, n int) float32
TEXT ·sumF32AVX512(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VXORPS Z0, Z0, Z0
	MOVQ CX, DX
	SHRQ $4, DX
	JZ   sumtail
sumloop:
	VADDPS (SI), Z0, Z0
	ADDQ $64, SI
	DECQ DX
	JNZ  sumloop
sumtail:
	TESTQ $15, CX
	JZ   sumfold
	TAILMASK
	VMOVUPS.Z (SI), K1, Z1
	VADDPS Z1, Z0, Z0
sumfold:
	VEXTRACTF32X8 $1, Z0, Y1
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VPERMILPS $0x4e, X0, X1
	VADDPS X1, X0, X0
	VPERMILPS $0xb1, X0, X1
	VADDSS X1, X0, X0
	VMOVSS X0, ret+16(FP)
	VZEROUPPER
	RET

// func sumSquaresF64AVX512(x *float32, n int) float64
// Z4 holds partial sums 0–7, Z5 8–15.
TEXT ·sumSquaresF64AVX512(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VXORPD Z4, Z4, Z4
	VXORPD Z5, Z5, Z5
	MOVQ CX, DX
	SHRQ $4, DX
	JZ   sqtail
sqloop:
	VMOVUPS (SI), Z1
	VMULPS Z1, Z1, Z1
	VCVTPS2PD Y1, Z2
	VEXTRACTF32X8 $1, Z1, Y3
	VCVTPS2PD Y3, Z3
	VADDPD Z2, Z4, Z4
	VADDPD Z3, Z5, Z5
	ADDQ $64, SI
	DECQ DX
	JNZ  sqloop
sqtail:
	TESTQ $15, CX
	JZ   sqfold
	TAILMASK
	VMOVUPS.Z (SI), K1, Z1
	VMULPS Z1, Z1, Z1
	VCVTPS2PD Y1, Z2
	VEXTRACTF32X8 $1, Z1, Y3
	VCVTPS2PD Y3, Z3
	VADDPD Z2, Z4, Z4
	VADDPD Z3, Z5, Z5
sqfold:
	VADDPD Z5, Z4, Z4
	VEXTRACTF64X4 $1, Z4, Y5
	VADDPD Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPD X5, X4, X4
	VPERMILPD $1, X4, X5
	VADDSD X5, X4, X4
	VMOVSD X4, ret+16(FP)
	VZEROUPPER
	RET

// func scaleMulF32AVX512(dst, x, w *float32, r float32, n int)
TEXT ·scaleMulF32AVX512(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), R8
	VBROADCASTSS r+24(FP), Z0
	MOVQ n+32(FP), CX
	MOVQ CX, DX
	SHRQ $4, DX
	JZ   smtail
smloop:
	VMULPS (SI), Z0, Z1
	VMULPS (R8), Z1, Z1
	VMOVUPS Z1, (DI)
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, DI
	DECQ DX
	JNZ  smloop
smtail:
	TESTQ $15, CX
	JZ   smdone
	TAILMASK
	VMOVUPS.Z (SI), K1, Z1
	VMOVUPS.Z (R8), K1, Z2
	VMULPS Z1, Z0, Z1
	VMULPS Z2, Z1, Z1
	VMOVUPS Z1, K1, (DI)
smdone:
	VZEROUPPER
	RET

// func divF32AVX512(x *float32, s float32, n int)
TEXT ·divF32AVX512(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	VBROADCASTSS s+8(FP), Z0
	MOVQ n+16(FP), CX
	MOVQ CX, DX
	SHRQ $4, DX
	JZ   dvtail
dvloop:
	VMOVUPS (SI), Z1
	VDIVPS Z0, Z1, Z1
	VMOVUPS Z1, (SI)
	ADDQ $64, SI
	DECQ DX
	JNZ  dvloop
dvtail:
	TESTQ $15, CX
	JZ   dvdone
	TAILMASK
	VMOVUPS.Z (SI), K1, Z1
	VDIVPS Z0, Z1, Z1
	VMOVUPS Z1, K1, (SI)
dvdone:
	VZEROUPPER
	RET
