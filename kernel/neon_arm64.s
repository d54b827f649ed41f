//go:build arm64 && !purego

#include "textflag.h"

// The "neon" path: plain Advanced SIMD (ARMv8.0) on the x86 I2_S layout
// (REFERENCE.md §4, package doc). See neon_arm64.go for the scheme.
//
// One 32-byte block (V0 = bytes 0..15, V1 = bytes 16..31) decodes to unsigned
// codes c ∈ {0,1,2}:
//
//	V2, V3 = w >> 6         values   0..31, with x[  0: 32]
//	V4, V5 = (w >> 4) & 3   values  32..63, with x[ 32: 64]
//	V6, V7 = (w >> 2) & 3   values  64..95, with x[ 64: 96]
//	V0, V1 = w & 3          values 96..127, with x[ 96:128]
//
// SMULL/SMLAL(2) multiply codes by activations into int16 lanes, eight
// products per lane per block: |Σ| ≤ 8·3·128 = 3072, far from overflow even
// for the unused code 3. SADALP then widens the lanes into int32 accumulators
// once per block. A row ends with Σc·q − Σq = Σt·q.
//
// Registers: V0–V7 codes, V8 mask 3, V11–V18 activations of one token's block,
// V19–V22 int16 lanes (alternating pairs between tokens), V23–V26 int32
// accumulators. GP as in neondot_arm64.s.

// Widening multiplies and pairwise adds, by register number: the Go assembler
// has no mnemonics for them. Encodings from the Arm ARM, checked against
// llvm-mc.
#define SMULL(d, n, m) WORD $(0x0e20c000 | ((m)<<16) | ((n)<<5) | (d))  // SMULL  Vd.8H, Vn.8B, Vm.8B
#define SMULL2(d, n, m) WORD $(0x4e20c000 | ((m)<<16) | ((n)<<5) | (d)) // SMULL2 Vd.8H, Vn.16B, Vm.16B
#define SMLAL(d, n, m) WORD $(0x0e208000 | ((m)<<16) | ((n)<<5) | (d))  // SMLAL  Vd.8H, Vn.8B, Vm.8B
#define SMLAL2(d, n, m) WORD $(0x4e208000 | ((m)<<16) | ((n)<<5) | (d)) // SMLAL2 Vd.8H, Vn.16B, Vm.16B
#define SADALP_H(d, n) WORD $(0x4e606800 | ((n)<<5) | (d))              // SADALP Vd.4S, Vn.8H
#define SADDLP_B(d, n) WORD $(0x4e202800 | ((n)<<5) | (d))              // SADDLP Vd.8H, Vn.16B
#define SADALP_B(d, n) WORD $(0x4e206800 | ((n)<<5) | (d))              // SADALP Vd.8H, Vn.16B

#define DECODE \
	VLD1.P	32(R1), [V0.B16, V1.B16]; \
	VUSHR	$6, V0.B16, V2.B16; \
	VUSHR	$6, V1.B16, V3.B16; \
	VUSHR	$4, V0.B16, V4.B16; \
	VUSHR	$4, V1.B16, V5.B16; \
	VUSHR	$2, V0.B16, V6.B16; \
	VUSHR	$2, V1.B16, V7.B16; \
	VAND	V8.B16, V4.B16, V4.B16; \
	VAND	V8.B16, V5.B16, V5.B16; \
	VAND	V8.B16, V6.B16, V6.B16; \
	VAND	V8.B16, V7.B16, V7.B16; \
	VAND	V8.B16, V0.B16, V0.B16; \
	VAND	V8.B16, V1.B16, V1.B16

// TOKEN multiplies the decoded block by one token's 128 activations at xr,
// through int16 lanes h0, h1, into the int32 accumulator s.
#define TOKEN(xr, h0, h1, s) \
	VLD1.P	64(xr), [V11.B16, V12.B16, V13.B16, V14.B16]; \
	VLD1.P	64(xr), [V15.B16, V16.B16, V17.B16, V18.B16]; \
	SMULL(h0, 2, 11); \
	SMULL2(h1, 2, 11); \
	SMLAL(h0, 3, 12); \
	SMLAL2(h1, 3, 12); \
	SMLAL(h0, 4, 13); \
	SMLAL2(h1, 4, 13); \
	SMLAL(h0, 5, 14); \
	SMLAL2(h1, 5, 14); \
	SMLAL(h0, 6, 15); \
	SMLAL2(h1, 6, 15); \
	SMLAL(h0, 7, 16); \
	SMLAL2(h1, 7, 16); \
	SMLAL(h0, 0, 17); \
	SMLAL2(h1, 0, 17); \
	SMLAL(h0, 1, 18); \
	SMLAL2(h1, 1, 18); \
	SADALP_H(s, h0); \
	SADALP_H(s, h1)

// STORE writes acc − sq through the cursor dp.
#define STORE(acc, sq, dp) \
	VADDV	acc.S4, acc; \
	VMOV	acc.S[0], R3; \
	SUBW	sq, R3, R3; \
	MOVW.P	R3, 4(dp)

#define ZERO(v) VEOR v.B16, v.B16, v.B16

// SETUP loads the arguments and the mask, and points R10–R12 and R23–R25 at
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
	VMOVI	$3, V8.B16

// func smullTile1(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·smullTile1(SB), NOSPLIT, $0-56
	SETUP
	MOVW	(R3), R19

row:
	MOVD	R2, R7
	MOVD	R14, R15
	ZERO(V23)

block:
	DECODE
	TOKEN(R7, 19, 20, 23)
	SUBS	$1, R15, R15
	BNE	block

	STORE(V23, R19, R0)
	SUBS	$1, R5, R5
	BNE	row
	RET

// func smullTile2(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·smullTile2(SB), NOSPLIT, $0-56
	SETUP
	MOVW	(R3), R19
	MOVW	4(R3), R20

row:
	MOVD	R2, R7
	MOVD	R10, R8
	MOVD	R14, R15
	ZERO(V23); ZERO(V24)

block:
	DECODE
	TOKEN(R7, 19, 20, 23)
	TOKEN(R8, 21, 22, 24)
	SUBS	$1, R15, R15
	BNE	block

	STORE(V23, R19, R0)
	STORE(V24, R20, R23)
	SUBS	$1, R5, R5
	BNE	row
	RET

// func smullTile3(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·smullTile3(SB), NOSPLIT, $0-56
	SETUP
	MOVW	(R3), R19
	MOVW	4(R3), R20
	MOVW	8(R3), R21

row:
	MOVD	R2, R7
	MOVD	R10, R8
	MOVD	R11, R9
	MOVD	R14, R15
	ZERO(V23); ZERO(V24); ZERO(V25)

block:
	DECODE
	TOKEN(R7, 19, 20, 23)
	TOKEN(R8, 21, 22, 24)
	TOKEN(R9, 19, 20, 25)
	SUBS	$1, R15, R15
	BNE	block

	STORE(V23, R19, R0)
	STORE(V24, R20, R23)
	STORE(V25, R21, R24)
	SUBS	$1, R5, R5
	BNE	row
	RET

// func smullTile4(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)
TEXT ·smullTile4(SB), NOSPLIT, $0-56
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
	ZERO(V23); ZERO(V24); ZERO(V25); ZERO(V26)

block:
	DECODE
	TOKEN(R7, 19, 20, 23)
	TOKEN(R8, 21, 22, 24)
	TOKEN(R9, 19, 20, 25)
	TOKEN(R13, 21, 22, 26)
	SUBS	$1, R15, R15
	BNE	block

	STORE(V23, R19, R0)
	STORE(V24, R20, R23)
	STORE(V25, R21, R24)
	STORE(V26, R22, R25)
	SUBS	$1, R5, R5
	BNE	row
	RET

// func neonSumInt8(x *int8, n int) int32
//
// Σ x[0:n] for n a multiple of 64: pairwise widening adds, at most four int8
// values per int16 lane before widening again.
TEXT ·neonSumInt8(SB), NOSPLIT, $0-20
	MOVD	x+0(FP), R0
	MOVD	n+8(FP), R1
	LSR	$6, R1, R1
	ZERO(V4)
	ZERO(V5)
	CBZ	R1, done

loop:
	VLD1.P	64(R0), [V0.B16, V1.B16, V2.B16, V3.B16]
	SADDLP_B(6, 0)
	SADDLP_B(7, 2)
	SADALP_B(6, 1)
	SADALP_B(7, 3)
	SADALP_H(4, 6)
	SADALP_H(5, 7)
	SUBS	$1, R1, R1
	BNE	loop

done:
	VADD	V5.S4, V4.S4, V4.S4
	VADDV	V4.S4, V4
	VMOV	V4.S[0], R2
	MOVW	R2, ret+16(FP)
	RET
