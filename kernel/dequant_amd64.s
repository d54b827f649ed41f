//go:build amd64 && !purego

#include "textflag.h"

// The BitLinear epilogues of dequant.go over n/8 (AVX2) or n/16 (AVX-512)
// vectors; the caller runs the rest in Go. Per lane: VCVTDQ2PS (round half
// to even under Go's MXCSR, as Go's conversion), VDIVPS by a, VMULPS by the
// weight scale: the scalar operations, one IEEE rounding each. VMAXPS takes
// the gate as its second source, so a NaN gate stays NaN (Go's max); for a
// gate of −0 it keeps −0 where max gives +0, and r·r is +0 either way.

// func dequantAVX2(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ acc+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS a+24(FP), Y1
	VBROADCASTSS m+28(FP), Y2
	SHRQ $3, CX
	JZ   done
loop:
	VCVTDQ2PS (SI), Y0
	VDIVPS Y1, Y0, Y0
	VMULPS Y2, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func dequantAddAVX2(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAddAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ acc+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS a+24(FP), Y1
	VBROADCASTSS m+28(FP), Y2
	SHRQ $3, CX
	JZ   done
loop:
	VCVTDQ2PS (SI), Y0
	VDIVPS Y1, Y0, Y0
	VMULPS Y2, Y0, Y0
	VADDPS (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func dequantReluSqrAVX2(dst *float32, gate, up *int32, n int, a, mg, mu float32)
TEXT ·dequantReluSqrAVX2(SB), NOSPLIT, $0-44
	MOVQ dst+0(FP), DI
	MOVQ gate+8(FP), SI
	MOVQ up+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS a+32(FP), Y1
	VBROADCASTSS mg+36(FP), Y2
	VBROADCASTSS mu+40(FP), Y4
	VXORPS Y7, Y7, Y7
	SHRQ $3, CX
	JZ   done
loop:
	VCVTDQ2PS (SI), Y0
	VDIVPS Y1, Y0, Y0
	VMULPS Y2, Y0, Y0
	VMAXPS Y0, Y7, Y0
	VMULPS Y0, Y0, Y0
	VCVTDQ2PS (DX), Y3
	VDIVPS Y1, Y3, Y3
	VMULPS Y4, Y3, Y3
	VMULPS Y3, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func dequantAVX512(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ acc+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS a+24(FP), Z1
	VBROADCASTSS m+28(FP), Z2
	SHRQ $4, CX
	JZ   done
loop:
	VCVTDQ2PS (SI), Z0
	VDIVPS Z1, Z0, Z0
	VMULPS Z2, Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func dequantAddAVX512(dst *float32, acc *int32, n int, a, m float32)
TEXT ·dequantAddAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ acc+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS a+24(FP), Z1
	VBROADCASTSS m+28(FP), Z2
	SHRQ $4, CX
	JZ   done
loop:
	VCVTDQ2PS (SI), Z0
	VDIVPS Z1, Z0, Z0
	VMULPS Z2, Z0, Z0
	VADDPS (DI), Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func dequantReluSqrAVX512(dst *float32, gate, up *int32, n int, a, mg, mu float32)
TEXT ·dequantReluSqrAVX512(SB), NOSPLIT, $0-44
	MOVQ dst+0(FP), DI
	MOVQ gate+8(FP), SI
	MOVQ up+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS a+32(FP), Z1
	VBROADCASTSS mg+36(FP), Z2
	VBROADCASTSS mu+40(FP), Z4
	VXORPS Z7, Z7, Z7
	SHRQ $4, CX
	JZ   done
loop:
	VCVTDQ2PS (SI), Z0
	VDIVPS Z1, Z0, Z0
	VMULPS Z2, Z0, Z0
	VMAXPS Z0, Z7, Z0
	VMULPS Z0, Z0, Z0
	VCVTDQ2PS (DX), Z3
	VDIVPS Z1, Z3, Z3
	VMULPS Z4, Z3, Z3
	VMULPS Z3, Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET
