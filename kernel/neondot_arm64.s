//go:build arm64 && !purego

#include "textflag.h"

// The "neondot" path: SDOT (FEAT_DotProd) on the x86 I2_S layout
// (REFERENCE.md §4, package doc). See neon_arm64.go for the scheme.
//
// Decoding one 32-byte block (V0 = bytes 0..15, V1 = bytes 16..31) takes one
// instruction per code vector, because three of the four bit fields are
// multiplied by SDOT in place, masked but not shifted:
//
//	V2, V3 = w >> 6     codes of values   0..31, ×1   with x[  0: 32]
//	V4, V5 = w & 0x30   codes of values  32..63, ×16  with x[ 32: 64]
//	V6, V7 = w & 0x0c   codes of values  64..95, ×4   with x[ 64: 96]
//	V0, V1 = w & 0x03   codes of values 96..127, ×1   with x[ 96:128]
//
// A scaled code is at most 3·16 = 48, a valid int8, so SDOT gives 16·Σc·q and
// 4·Σc·q for the middle fields. Each token keeps accumulators per scale; a row
// ends with A + (C >> 4) + (B >> 2) − Σq, exact because C and B are exact
// multiples of 16 and 4 while |16·Σc·q| < 2³¹ (k ≤ neonMaxDotK).
//
// Registers: V0–V7 codes, V8–V10 masks, V11–V18 activations of one token's
// block, V19–V30 accumulators. GP: R0 and R23–R25 dst cursors, R1 weights,
// R2 and R10–R12 token bases, R7–R9 and R13 activation cursors, R14 blocks
// per row, R15 block counter, R5 row counter, R19–R22 Σq, R3 R4 R6 scratch.

// SDOT Vd.4S, Vn.16B, Vm.16B, by register number: the Go assembler has no
// mnemonic for it. Encoding 0x4e809400 | m<<16 | n<<5 | d (Arm ARM C7.2.272,
// checked against llvm-mc -mattr=+dotprod).
#define SDOT(d, n, m) WORD $(0x4e809400 | ((m)<<16) | ((n)<<5) | (d))

#define DECODE \
	VLD1.P	32(R1), [V0.B16, V1.B16]; \
	VUSHR	$6, V0.B16, V2.B16; \
	VUSHR	$6, V1.B16, V3.B16; \
	VAND	V8.B16, V0.B16, V4.B16; \
	VAND	V8.B16, V1.B16, V5.B16; \
	VAND	V9.B16, V0.B16, V6.B16; \
	VAND	V9.B16, V1.B16, V7.B16; \
	VAND	V10.B16, V0.B16, V0.B16; \
	VAND	V10.B16, V1.B16, V1.B16

// TOKEN multiplies the decoded block by one token's 128 activations at xr.
// a, b, g, h accumulate at scale 1; c, d at scale 16; e, f at scale 4.
#define TOKEN(xr, a, b, c, d, e, f, g, h) \
	VLD1.P	64(xr), [V11.B16, V12.B16, V13.B16, V14.B16]; \
	VLD1.P	64(xr), [V15.B16, V16.B16, V17.B16, V18.B16]; \
	SDOT(a, 2, 11); \
	SDOT(b, 3, 12); \
	SDOT(c, 4, 13); \
	SDOT(d, 5, 14); \
	SDOT(e, 6, 15); \
	SDOT(f, 7, 16); \
	SDOT(g, 0, 17); \
	SDOT(h, 1, 18)

// STORE writes A + (C >> 4) + (B >> 2) − sq through the cursor dp.
#define STORE(A, C, B, sq, dp) \
	VADDV	A.S4, A; \
	VADDV	C.S4, C; \
	VADDV	B.S4, B; \
	VMOV	A.S[0], R3; \
	VMOV	C.S[0], R4; \
	VMOV	B.S[0], R6; \
	ADDW	R4->4, R3, R3; \
	ADDW	R6->2, R3, R3; \
	SUBW	sq, R3, R3; \
	MOVW.P	R3, 4(dp)

#define ZERO(v) VEOR v.B16, v.B16, v.B16

// SETUP loads the arguments and the masks, and points R10–R12 and R23–R25 at
// tokens 1–3 (harmless for smaller tiles: nothing is read through them).
#define SETUP \
	MOVD	dst+0(FP), R0; \
	MOVD	w+8(FP), R1; \
	MOVD	x+16(FP), R2; \
	MOVD	sumq+24(FP), R3; \
	MOVD	k+32(FP), R4; \
	MOVD	rows+40(FP), R5; \
	MOVD	stride+48(FP), R6; \
	LSR	$7, R4, R14; \
	ADD	R4, R2, R10; \
	ADD	R4, R10, R11; \
	ADD	R4, R11, R12; \
	LSL	$2, R6, R6; \
	ADD	R6, R0, R23; \
	ADD	R6, R23, R24; \
	ADD	R6, R24, R25; \
	VMOVI	$0x30, V8.B16; \
	VMOVI	$0x0c, V9.B16; \
	VMOVI	$0x03, V10.B16

// func sdotTile1(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·sdotTile1(SB), NOSPLIT, $0-56
	SETUP
	MOVW	(R3), R19

row:
	MOVD	R2, R7
	MOVD	R14, R15
	ZERO(V19); ZERO(V20); ZERO(V21); ZERO(V22)
	ZERO(V23); ZERO(V24); ZERO(V25); ZERO(V26)

block:
	DECODE
	TOKEN(R7, 19, 20, 21, 22, 23, 24, 25, 26)
	SUBS	$1, R15, R15
	BNE	block

	VADD	V20.S4, V19.S4, V19.S4
	VADD	V26.S4, V25.S4, V25.S4
	VADD	V25.S4, V19.S4, V19.S4
	VADD	V22.S4, V21.S4, V21.S4
	VADD	V24.S4, V23.S4, V23.S4
	STORE(V19, V21, V23, R19, R0)
	SUBS	$1, R5, R5
	BNE	row
	RET

// func sdotTile2(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·sdotTile2(SB), NOSPLIT, $0-56
	SETUP
	MOVW	(R3), R19
	MOVW	4(R3), R20

row:
	MOVD	R2, R7
	MOVD	R10, R8
	MOVD	R14, R15
	ZERO(V19); ZERO(V20); ZERO(V21); ZERO(V22)
	ZERO(V23); ZERO(V24); ZERO(V25); ZERO(V26)

block:
	DECODE
	TOKEN(R7, 19, 20, 21, 21, 22, 22, 19, 20)
	TOKEN(R8, 23, 24, 25, 25, 26, 26, 23, 24)
	SUBS	$1, R15, R15
	BNE	block

	VADD	V20.S4, V19.S4, V19.S4
	VADD	V24.S4, V23.S4, V23.S4
	STORE(V19, V21, V22, R19, R0)
	STORE(V23, V25, V26, R20, R23)
	SUBS	$1, R5, R5
	BNE	row
	RET

// func sdotTile3(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·sdotTile3(SB), NOSPLIT, $0-56
	SETUP
	MOVW	(R3), R19
	MOVW	4(R3), R20
	MOVW	8(R3), R21

row:
	MOVD	R2, R7
	MOVD	R10, R8
	MOVD	R11, R9
	MOVD	R14, R15
	ZERO(V19); ZERO(V20); ZERO(V21); ZERO(V22)
	ZERO(V23); ZERO(V24); ZERO(V25); ZERO(V26)
	ZERO(V27); ZERO(V28); ZERO(V29); ZERO(V30)

block:
	DECODE
	TOKEN(R7, 19, 20, 21, 21, 22, 22, 19, 20)
	TOKEN(R8, 23, 24, 25, 25, 26, 26, 23, 24)
	TOKEN(R9, 27, 28, 29, 29, 30, 30, 27, 28)
	SUBS	$1, R15, R15
	BNE	block

	VADD	V20.S4, V19.S4, V19.S4
	VADD	V24.S4, V23.S4, V23.S4
	VADD	V28.S4, V27.S4, V27.S4
	STORE(V19, V21, V22, R19, R0)
	STORE(V23, V25, V26, R20, R23)
	STORE(V27, V29, V30, R21, R24)
	SUBS	$1, R5, R5
	BNE	row
	RET

// func sdotTile4(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·sdotTile4(SB), NOSPLIT, $0-56
	SETUP
	MOVW	(R3), R19
	MOVW	4(R3), R20
	MOVW	8(R3), R21
	MOVW	12(R3), R22

row:
	MOVD	R2, R7
	MOVD	R10, R8
	MOVD	R11, R9
	MOVD	R12, R13
	MOVD	R14, R15
	ZERO(V19); ZERO(V20); ZERO(V21); ZERO(V22)
	ZERO(V23); ZERO(V24); ZERO(V25); ZERO(V26)
	ZERO(V27); ZERO(V28); ZERO(V29); ZERO(V30)

block:
	DECODE
	TOKEN(R7, 19, 19, 20, 20, 21, 21, 19, 19)
	TOKEN(R8, 22, 22, 23, 23, 24, 24, 22, 22)
	TOKEN(R9, 25, 25, 26, 26, 27, 27, 25, 25)
	TOKEN(R13, 28, 28, 29, 29, 30, 30, 28, 28)
	SUBS	$1, R15, R15
	BNE	block

	STORE(V19, V20, V21, R19, R0)
	STORE(V22, V23, V24, R20, R23)
	STORE(V25, V26, V27, R21, R24)
	STORE(V28, V29, V30, R22, R25)
	SUBS	$1, R5, R5
	BNE	row
	RET
