//go:build amd64 && !purego

#include "textflag.h"

// func readAVX2(p unsafe.Pointer, n int) uint64
// Reads n bytes (a multiple of 64) with 32-byte loads into four
// independent accumulators.
TEXT ·readAVX2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	SHRQ $6, CX
	JZ   done
loop:
	VPADDQ (SI), Y0, Y0
	VPADDQ 32(SI), Y1, Y1
	ADDQ $64, SI
	DECQ CX
	JNZ  loop
done:
	VPADDQ Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDQ X1, X0, X0
	VPEXTRQ $1, X0, AX
	MOVQ X0, BX
	ADDQ BX, AX
	VZEROUPPER
	MOVQ AX, ret+16(FP)
	RET
