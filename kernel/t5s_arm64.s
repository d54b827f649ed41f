//go:build arm64 && !purego

#include "textflag.h"

// T5_S kernels of the arm64 paths (t5s_arm64.go). Each computes, for
// r < rows, dst[r] = Σ_j c[r][j]·x[j] − sumx over blocks·160 values, with
// the codes c ∈ {0, 1, 2} of docs/SEMANTICS.md §4b. A block's 32 weight
// bytes are V0 (bytes 0..15) and V1 (16..31); digit i of byte q is
// (3·u_i) >> 8 with u_0 = q and u_{i+1} = 3·u_i mod 256 (two byte adds),
// found as [u_i > 85] + [u_i > 170]: CMHI gives −1 per true compare, so
// their sum is −c_i. The products −c·x are summed and negated at the end.
// The activations of the block, x[32i:32i+32] for digit i, are V11–V20.

// By register number: the Go assembler has no mnemonics for these.
// Encodings from the Arm ARM (neondot_arm64.s and neon_arm64.s use the
// same SDOT, SMLAL and SADALP forms).
#define CMHI(d, n, m) WORD $(0x6e203400 | ((m)<<16) | ((n)<<5) | (d))   // CMHI Vd.16B, Vn.16B, Vm.16B (unsigned >)
#define SDOT(d, n, m) WORD $(0x4e809400 | ((m)<<16) | ((n)<<5) | (d))   // SDOT Vd.4S, Vn.16B, Vm.16B
#define SMLAL(d, n, m) WORD $(0x0e208000 | ((m)<<16) | ((n)<<5) | (d))  // SMLAL  Vd.8H, Vn.8B, Vm.8B
#define SMLAL2(d, n, m) WORD $(0x4e208000 | ((m)<<16) | ((n)<<5) | (d)) // SMLAL2 Vd.8H, Vn.16B, Vm.16B
#define SADALP_H(d, n) WORD $(0x4e606800 | ((n)<<5) | (d))              // SADALP Vd.4S, Vn.8H

#define T5ZERO(v) VEOR v.B16, v.B16, v.B16

#define T5SETUP \
	MOVD	dst+0(FP), R0; \
	MOVD	w+8(FP), R1; \
	MOVD	x+16(FP), R2; \
	MOVD	blocks+24(FP), R4; \
	MOVD	rows+32(FP), R5; \
	MOVD	sumx+40(FP), R6; \
	VMOVI	$85, V8.B16; \
	VMOVI	$170, V9.B16

#define T5LOAD \
	VLD1.P	32(R1), [V0.B16, V1.B16]; \
	VLD1.P	64(R7), [V11.B16, V12.B16, V13.B16, V14.B16]; \
	VLD1.P	64(R7), [V15.B16, V16.B16, V17.B16, V18.B16]; \
	VLD1.P	32(R7), [V19.B16, V20.B16]

// T5DIGITS(i) puts −c_i of bytes 0..15 in V2 and of bytes 16..31 in V4.
#define T5DIGITS \
	CMHI(2, 0, 8); \
	CMHI(3, 0, 9); \
	CMHI(4, 1, 8); \
	CMHI(5, 1, 9); \
	VADD	V3.B16, V2.B16, V2.B16; \
	VADD	V5.B16, V4.B16, V4.B16

// T5NEXT triples u (mod 256).
#define T5NEXT \
	VADD	V0.B16, V0.B16, V3.B16; \
	VADD	V1.B16, V1.B16, V5.B16; \
	VADD	V3.B16, V0.B16, V0.B16; \
	VADD	V5.B16, V1.B16, V1.B16

// T5STORE writes −acc − sumx through R0.
#define T5STORE(acc) \
	VADDV	acc.S4, acc; \
	VMOV	acc.S[0], R3; \
	NEGW	R3, R3; \
	SUBW	R6, R3, R3; \
	MOVW.P	R3, 4(R0)

// func t5sRowsNEONDot(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)
//
// SDOT into two int32 accumulators (bytes 0..15 and 16..31).
TEXT ·t5sRowsNEONDot(SB), NOSPLIT, $0-48
	T5SETUP
	CBZ	R5, dotDone

dotRow:
	MOVD	R2, R7
	MOVD	R4, R15
	T5ZERO(V21)
	T5ZERO(V22)

dotBlock:
	T5LOAD

	T5DIGITS
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	T5NEXT
	T5DIGITS
	SDOT(21, 2, 13)
	SDOT(22, 4, 14)
	T5NEXT
	T5DIGITS
	SDOT(21, 2, 15)
	SDOT(22, 4, 16)
	T5NEXT
	T5DIGITS
	SDOT(21, 2, 17)
	SDOT(22, 4, 18)
	T5NEXT
	T5DIGITS
	SDOT(21, 2, 19)
	SDOT(22, 4, 20)
	SUBS	$1, R15, R15
	BNE	dotBlock

	VADD	V22.S4, V21.S4, V21.S4
	T5STORE(V21)
	SUBS	$1, R5, R5
	BNE	dotRow

dotDone:
	RET

// func t5sRowsNEON(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)
//
// SMLAL/SMLAL2 into int16 lanes V23, V24 (ten products of at most 2·128
// per lane per block), widened into V21 with SADALP once per block.
TEXT ·t5sRowsNEON(SB), NOSPLIT, $0-48
	T5SETUP
	CBZ	R5, mlDone

mlRow:
	MOVD	R2, R7
	MOVD	R4, R15
	T5ZERO(V21)

mlBlock:
	T5LOAD
	T5ZERO(V23)
	T5ZERO(V24)

	T5DIGITS
	SMLAL(23, 2, 11)
	SMLAL2(24, 2, 11)
	SMLAL(23, 4, 12)
	SMLAL2(24, 4, 12)
	T5NEXT
	T5DIGITS
	SMLAL(23, 2, 13)
	SMLAL2(24, 2, 13)
	SMLAL(23, 4, 14)
	SMLAL2(24, 4, 14)
	T5NEXT
	T5DIGITS
	SMLAL(23, 2, 15)
	SMLAL2(24, 2, 15)
	SMLAL(23, 4, 16)
	SMLAL2(24, 4, 16)
	T5NEXT
	T5DIGITS
	SMLAL(23, 2, 17)
	SMLAL2(24, 2, 17)
	SMLAL(23, 4, 18)
	SMLAL2(24, 4, 18)
	T5NEXT
	T5DIGITS
	SMLAL(23, 2, 19)
	SMLAL2(24, 2, 19)
	SMLAL(23, 4, 20)
	SMLAL2(24, 4, 20)
	SADALP_H(21, 23)
	SADALP_H(21, 24)
	SUBS	$1, R15, R15
	BNE	mlBlock

	T5STORE(V21)
	SUBS	$1, R5, R5
	BNE	mlRow

mlDone:
	RET

// func t5sTileNEONDot<T>/t5sTileNEON<T>(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)
//
// Tiles of one row × T tokens (T = 2 or 4) for MatMat: each block's −c
// digits are formed once and multiplied with every token's activations
// (token t's k values at x + t·k, R7–R10 walking them 32 bytes per digit),
// by SDOT into two int32 registers per token (V21 + 2t, V22 + 2t), or by
// SMLAL/SMLAL2 into int16 lanes (V13 + 2t, V14 + 2t: ten products per lane
// per block) widened into V21 + t once per block.
// dst[t·ldd + r] = −Σ (−c)·x_t − sums[t].

// func t5sTileNEONDotT2(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)
TEXT ·t5sTileNEONDotT2(SB), NOSPLIT, $0-64
	MOVD	dst+0(FP), R0
	MOVD	ldd+8(FP), R6
	LSL	$2, R6, R6
	MOVD	w+16(FP), R1
	MOVD	x+24(FP), R2
	MOVD	k+32(FP), R11
	MOVD	blocks+40(FP), R4
	MOVD	rows+48(FP), R5
	MOVD	sums+56(FP), R12
	VMOVI	$85, V8.B16
	VMOVI	$170, V9.B16
	CBZ	R5, d2Done

d2Row:
	MOVD	R2, R7
	ADD	R11, R7, R8
	ADD	R11, R8, R9
	ADD	R11, R9, R10
	MOVD	R4, R15
	T5ZERO(V21)
	T5ZERO(V22)
	T5ZERO(V23)
	T5ZERO(V24)

d2Block:
	VLD1.P	32(R1), [V0.B16, V1.B16]
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	SUBS	$1, R15, R15
	BNE	d2Block

	MOVD	R0, R19
	VADD	V22.S4, V21.S4, V21.S4
	VADDV	V21.S4, V21
	VMOV	V21.S[0], R3
	NEGW	R3, R3
	MOVW	0(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADD	V24.S4, V23.S4, V23.S4
	VADDV	V23.S4, V23
	VMOV	V23.S[0], R3
	NEGW	R3, R3
	MOVW	4(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	d2Row

d2Done:
	RET

// func t5sTileNEONT2(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)
TEXT ·t5sTileNEONT2(SB), NOSPLIT, $0-64
	MOVD	dst+0(FP), R0
	MOVD	ldd+8(FP), R6
	LSL	$2, R6, R6
	MOVD	w+16(FP), R1
	MOVD	x+24(FP), R2
	MOVD	k+32(FP), R11
	MOVD	blocks+40(FP), R4
	MOVD	rows+48(FP), R5
	MOVD	sums+56(FP), R12
	VMOVI	$85, V8.B16
	VMOVI	$170, V9.B16
	CBZ	R5, m2Done

m2Row:
	MOVD	R2, R7
	ADD	R11, R7, R8
	ADD	R11, R8, R9
	ADD	R11, R9, R10
	MOVD	R4, R15
	T5ZERO(V21)
	T5ZERO(V22)

m2Block:
	VLD1.P	32(R1), [V0.B16, V1.B16]
	T5ZERO(V13)
	T5ZERO(V14)
	T5ZERO(V15)
	T5ZERO(V16)
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	SADALP_H(21, 13)
	SADALP_H(21, 14)
	SADALP_H(22, 15)
	SADALP_H(22, 16)
	SUBS	$1, R15, R15
	BNE	m2Block

	MOVD	R0, R19
	VADDV	V21.S4, V21
	VMOV	V21.S[0], R3
	NEGW	R3, R3
	MOVW	0(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADDV	V22.S4, V22
	VMOV	V22.S[0], R3
	NEGW	R3, R3
	MOVW	4(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	m2Row

m2Done:
	RET

// func t5sTileNEONDotT4(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)
TEXT ·t5sTileNEONDotT4(SB), NOSPLIT, $0-64
	MOVD	dst+0(FP), R0
	MOVD	ldd+8(FP), R6
	LSL	$2, R6, R6
	MOVD	w+16(FP), R1
	MOVD	x+24(FP), R2
	MOVD	k+32(FP), R11
	MOVD	blocks+40(FP), R4
	MOVD	rows+48(FP), R5
	MOVD	sums+56(FP), R12
	VMOVI	$85, V8.B16
	VMOVI	$170, V9.B16
	CBZ	R5, d4Done

d4Row:
	MOVD	R2, R7
	ADD	R11, R7, R8
	ADD	R11, R8, R9
	ADD	R11, R9, R10
	MOVD	R4, R15
	T5ZERO(V21)
	T5ZERO(V22)
	T5ZERO(V23)
	T5ZERO(V24)
	T5ZERO(V25)
	T5ZERO(V26)
	T5ZERO(V27)
	T5ZERO(V28)

d4Block:
	VLD1.P	32(R1), [V0.B16, V1.B16]
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SDOT(25, 2, 11)
	SDOT(26, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SDOT(27, 2, 11)
	SDOT(28, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SDOT(25, 2, 11)
	SDOT(26, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SDOT(27, 2, 11)
	SDOT(28, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SDOT(25, 2, 11)
	SDOT(26, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SDOT(27, 2, 11)
	SDOT(28, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SDOT(25, 2, 11)
	SDOT(26, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SDOT(27, 2, 11)
	SDOT(28, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SDOT(21, 2, 11)
	SDOT(22, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SDOT(23, 2, 11)
	SDOT(24, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SDOT(25, 2, 11)
	SDOT(26, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SDOT(27, 2, 11)
	SDOT(28, 4, 12)
	SUBS	$1, R15, R15
	BNE	d4Block

	MOVD	R0, R19
	VADD	V22.S4, V21.S4, V21.S4
	VADDV	V21.S4, V21
	VMOV	V21.S[0], R3
	NEGW	R3, R3
	MOVW	0(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADD	V24.S4, V23.S4, V23.S4
	VADDV	V23.S4, V23
	VMOV	V23.S[0], R3
	NEGW	R3, R3
	MOVW	4(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADD	V26.S4, V25.S4, V25.S4
	VADDV	V25.S4, V25
	VMOV	V25.S[0], R3
	NEGW	R3, R3
	MOVW	8(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADD	V28.S4, V27.S4, V27.S4
	VADDV	V27.S4, V27
	VMOV	V27.S[0], R3
	NEGW	R3, R3
	MOVW	12(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	d4Row

d4Done:
	RET

// func t5sTileNEONT4(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)
TEXT ·t5sTileNEONT4(SB), NOSPLIT, $0-64
	MOVD	dst+0(FP), R0
	MOVD	ldd+8(FP), R6
	LSL	$2, R6, R6
	MOVD	w+16(FP), R1
	MOVD	x+24(FP), R2
	MOVD	k+32(FP), R11
	MOVD	blocks+40(FP), R4
	MOVD	rows+48(FP), R5
	MOVD	sums+56(FP), R12
	VMOVI	$85, V8.B16
	VMOVI	$170, V9.B16
	CBZ	R5, m4Done

m4Row:
	MOVD	R2, R7
	ADD	R11, R7, R8
	ADD	R11, R8, R9
	ADD	R11, R9, R10
	MOVD	R4, R15
	T5ZERO(V21)
	T5ZERO(V22)
	T5ZERO(V23)
	T5ZERO(V24)

m4Block:
	VLD1.P	32(R1), [V0.B16, V1.B16]
	T5ZERO(V13)
	T5ZERO(V14)
	T5ZERO(V15)
	T5ZERO(V16)
	T5ZERO(V17)
	T5ZERO(V18)
	T5ZERO(V19)
	T5ZERO(V20)
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SMLAL(17, 2, 11)
	SMLAL2(18, 2, 11)
	SMLAL(17, 4, 12)
	SMLAL2(18, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SMLAL(19, 2, 11)
	SMLAL2(20, 2, 11)
	SMLAL(19, 4, 12)
	SMLAL2(20, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SMLAL(17, 2, 11)
	SMLAL2(18, 2, 11)
	SMLAL(17, 4, 12)
	SMLAL2(18, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SMLAL(19, 2, 11)
	SMLAL2(20, 2, 11)
	SMLAL(19, 4, 12)
	SMLAL2(20, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SMLAL(17, 2, 11)
	SMLAL2(18, 2, 11)
	SMLAL(17, 4, 12)
	SMLAL2(18, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SMLAL(19, 2, 11)
	SMLAL2(20, 2, 11)
	SMLAL(19, 4, 12)
	SMLAL2(20, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SMLAL(17, 2, 11)
	SMLAL2(18, 2, 11)
	SMLAL(17, 4, 12)
	SMLAL2(18, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SMLAL(19, 2, 11)
	SMLAL2(20, 2, 11)
	SMLAL(19, 4, 12)
	SMLAL2(20, 4, 12)
	T5NEXT
	T5DIGITS
	VLD1.P	32(R7), [V11.B16, V12.B16]
	SMLAL(13, 2, 11)
	SMLAL2(14, 2, 11)
	SMLAL(13, 4, 12)
	SMLAL2(14, 4, 12)
	VLD1.P	32(R8), [V11.B16, V12.B16]
	SMLAL(15, 2, 11)
	SMLAL2(16, 2, 11)
	SMLAL(15, 4, 12)
	SMLAL2(16, 4, 12)
	VLD1.P	32(R9), [V11.B16, V12.B16]
	SMLAL(17, 2, 11)
	SMLAL2(18, 2, 11)
	SMLAL(17, 4, 12)
	SMLAL2(18, 4, 12)
	VLD1.P	32(R10), [V11.B16, V12.B16]
	SMLAL(19, 2, 11)
	SMLAL2(20, 2, 11)
	SMLAL(19, 4, 12)
	SMLAL2(20, 4, 12)
	SADALP_H(21, 13)
	SADALP_H(21, 14)
	SADALP_H(22, 15)
	SADALP_H(22, 16)
	SADALP_H(23, 17)
	SADALP_H(23, 18)
	SADALP_H(24, 19)
	SADALP_H(24, 20)
	SUBS	$1, R15, R15
	BNE	m4Block

	MOVD	R0, R19
	VADDV	V21.S4, V21
	VMOV	V21.S[0], R3
	NEGW	R3, R3
	MOVW	0(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADDV	V22.S4, V22
	VMOV	V22.S[0], R3
	NEGW	R3, R3
	MOVW	4(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADDV	V23.S4, V23
	VMOV	V23.S[0], R3
	NEGW	R3, R3
	MOVW	8(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	R6, R19, R19
	VADDV	V24.S4, V24
	VMOV	V24.S[0], R3
	NEGW	R3, R3
	MOVW	12(R12), R20
	SUBW	R20, R3, R3
	MOVW	R3, (R19)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	m4Row

m4Done:
	RET
