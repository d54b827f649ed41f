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
