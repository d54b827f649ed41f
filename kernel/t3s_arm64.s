//go:build arm64 && !purego

#include "textflag.h"

// T3_S kernels of the arm64 paths (t3s_arm64.go). Each is a tile of T
// tokens (T = 1, 2, 4) over rows T3_S rows of groups·20 bytes
// (k = 96·groups values) and writes, for r < rows and t < T,
//
//	dst[t·ldd + r] = Σ_j t[r][j]·x[t·k + j]
//
// exactly (int32 lanes add modulo 2³², as the reference's int32 sum does).
//
// Layout (t3s.go): a row is chunks of g = min(4, groups left) groups; a
// chunk of n = 32g codes at columns base … base+3n−1 holds h = 16g nibble
// bytes, then 2·g bytes of bit 4 of the low codes 0…h−1 and 2·g bytes of
// bit 4 of the high codes h…n−1. Block m < g of a chunk is nibble bytes
// 16m…16m+15 with bit bytes 2m, 2m+1 (low codes) and 2g+2m, 2g+2m+1 (high
// codes). Value i of low code 16m+l is column base + i·n + 16m + l, of
// high code h+16m+l column base + i·n + h + 16m + l; since n = 2h, the six
// 16-byte activation vectors of a block, in the order (lo, i=0), (hi, 0),
// (lo, 1), (hi, 1), (lo, 2), (hi, 2), lie h bytes apart from
// x + base + 16m: one post-incremented load each (R19 = h).
//
// Decoding a block (T3DECODE): low codes = nibble & 15, high codes =
// nibble >> 4; the four bit bytes, as one word duplicated into every lane,
// are spread to one byte per code by TBL (indices {0×8, 1×8} and
// {2×8, 3×8}), tested against {1, 2, 4, …, 128} ×2 by CMTST (0xFF where
// the code's bit 4 is set) and inserted as bit 4 with BIT under the mask
// 0x10. The whole codes c ∈ 0…31 index three 32-byte tables (TBL over two
// registers), t3sConst<> row i holding ⌊c/3^i⌋ mod 3 − 1 as int8 for all 32
// codes, so V0–V5 hold the block's values t ∈ {−1, 0, 1} directly: codes
// 27–31 decode exactly as in MatVecT3SRef and no correction term is needed.
//
// Multiply-accumulate: "neondot" SDOT into int32 lanes (two accumulators
// per token); "neon" SMLAL/SMLAL2 into int16 lanes, widened into int32 by
// SADALP once per chunk. |t·x| ≤ 128, and an int16 lane takes at most 12
// products per block (6 with separate low/high lane registers), 48 per
// chunk of ≤ 4 blocks: |Σ| ≤ 48·128 = 6144 < 2¹⁵.
//
// Registers:
//	R0 dst cursor (token 0), R6 = 4·ldd, R1 nibble bytes cursor, R2 x,
//	R4 groups, R5 rows left, R11 k, R12 3k; per row R7 = x + base (token
//	0) and R15 groups left; per chunk R16 = g, R19 = h, R20 = 2g, R8 bit
//	bytes cursor (low codes' two bytes; the high codes' are R20 further),
//	R9 = x + base + 16m, R21 blocks left; R10 activation cursor; R3, R13,
//	R22, R23 scratch.
//	V0–V5 values t of a block, V6–V7 activations, V8–V11 decoding, V12
//	and V13 bit spreading indices, V14 bit masks, V15 = 15, V16 = 0x10,
//	V17–V22 the three tables, V23–V30 accumulators.

// By register number: the Go assembler has no mnemonics for these.
// Encodings from the Arm ARM (as in neon_arm64.s, neondot_arm64.s and
// t5s_arm64.s).
#define SDOT(d, n, m) WORD $(0x4e809400 | ((m)<<16) | ((n)<<5) | (d))   // SDOT Vd.4S, Vn.16B, Vm.16B
#define SMLAL(d, n, m) WORD $(0x0e208000 | ((m)<<16) | ((n)<<5) | (d))  // SMLAL  Vd.8H, Vn.8B, Vm.8B
#define SMLAL2(d, n, m) WORD $(0x4e208000 | ((m)<<16) | ((n)<<5) | (d)) // SMLAL2 Vd.8H, Vn.16B, Vm.16B
#define SADALP_H(d, n) WORD $(0x4e606800 | ((n)<<5) | (d))              // SADALP Vd.4S, Vn.8H

// t3sConst<>: the value tables of codes 0…31 for i = 0, 1, 2 (bytes 0–95,
// int8 −1 = 0xff), the bit spreading indices {0×8, 1×8} and {2×8, 3×8}
// (96–127) and the bit masks {1, 2, …, 128} ×2 (128–143).
DATA	t3sConst<>+0(SB)/8, $0x00ff0100ff0100ff // t_0 of codes 0–7
DATA	t3sConst<>+8(SB)/8, $0xff0100ff0100ff01 // t_0 of codes 8–15
DATA	t3sConst<>+16(SB)/8, $0x0100ff0100ff0100 // t_0 of codes 16–23
DATA	t3sConst<>+24(SB)/8, $0x00ff0100ff0100ff // t_0 of codes 24–31
DATA	t3sConst<>+32(SB)/8, $0x0101000000ffffff // t_1 of codes 0–7
DATA	t3sConst<>+40(SB)/8, $0x01000000ffffff01 // t_1 of codes 8–15
DATA	t3sConst<>+48(SB)/8, $0x000000ffffff0101 // t_1 of codes 16–23
DATA	t3sConst<>+56(SB)/8, $0x0000ffffff010101 // t_1 of codes 24–31
DATA	t3sConst<>+64(SB)/8, $0xffffffffffffffff // t_2 of codes 0–7
DATA	t3sConst<>+72(SB)/8, $0x00000000000000ff // t_2 of codes 8–15
DATA	t3sConst<>+80(SB)/8, $0x0101010101010000 // t_2 of codes 16–23
DATA	t3sConst<>+88(SB)/8, $0xffffffffff010101 // t_2 of codes 24–31
DATA	t3sConst<>+96(SB)/8, $0x0000000000000000
DATA	t3sConst<>+104(SB)/8, $0x0101010101010101
DATA	t3sConst<>+112(SB)/8, $0x0202020202020202
DATA	t3sConst<>+120(SB)/8, $0x0303030303030303
DATA	t3sConst<>+128(SB)/8, $0x8040201008040201
DATA	t3sConst<>+136(SB)/8, $0x8040201008040201
GLOBL	t3sConst<>(SB), RODATA|NOPTR, $144

#define T3ZERO(v) VEOR v.B16, v.B16, v.B16

#define T3SETUP \
	MOVD	dst+0(FP), R0; \
	MOVD	ldd+8(FP), R6; \
	LSL	$2, R6, R6; \
	MOVD	w+16(FP), R1; \
	MOVD	x+24(FP), R2; \
	MOVD	k+32(FP), R11; \
	MOVD	groups+40(FP), R4; \
	MOVD	rows+48(FP), R5; \
	ADD	R11<<1, R11, R12; \
	MOVD	$t3sConst<>(SB), R3; \
	VLD1.P	64(R3), [V17.B16, V18.B16, V19.B16, V20.B16]; \
	VLD1.P	32(R3), [V21.B16, V22.B16]; \
	VLD1	(R3), [V12.B16, V13.B16, V14.B16]; \
	VMOVI	$15, V15.B16; \
	VMOVI	$16, V16.B16

// T3CHUNK starts a chunk: g = min(4, groups left), h, 2g, the bit bytes
// cursor, the block activations and the block count.
#define T3CHUNK \
	MOVD	$4, R16; \
	CMP	$4, R15; \
	CSEL	LT, R15, R16, R16; \
	LSL	$4, R16, R19; \
	LSL	$1, R16, R20; \
	ADD	R19, R1, R8; \
	MOVD	R7, R9; \
	MOVD	R16, R21

// T3ENDCHUNK moves to the next chunk (its bytes start 2g past the bit
// cursor, its columns 3n = 6h further) and sets Z when the row is done.
#define T3ENDCHUNK \
	ADD	R20, R8, R1; \
	ADD	R19<<2, R7, R7; \
	ADD	R19<<1, R7, R7; \
	SUBS	R16, R15, R15

// T3DECODE decodes block m of the chunk into V0–V5: the values t_i of the
// low codes (V0, V2, V4 for i = 0, 1, 2) and of the high codes (V1, V3,
// V5). It advances R1 by 16 and R8 by 2.
#define T3DECODE \
	VLD1.P	16(R1), [V8.B16]; \
	MOVHU	(R8)(R20), R23; \
	MOVHU.P	2(R8), R22; \
	ORR	R23<<16, R22, R22; \
	VDUP	R22, V9.S4; \
	VAND	V15.B16, V8.B16, V10.B16; \
	VUSHR	$4, V8.B16, V11.B16; \
	VTBL	V12.B16, [V9.B16], V8.B16; \
	VTBL	V13.B16, [V9.B16], V9.B16; \
	VCMTST	V14.B16, V8.B16, V8.B16; \
	VCMTST	V14.B16, V9.B16, V9.B16; \
	VBIT	V16.B16, V8.B16, V10.B16; \
	VBIT	V16.B16, V9.B16, V11.B16; \
	VTBL	V10.B16, [V17.B16, V18.B16], V0.B16; \
	VTBL	V11.B16, [V17.B16, V18.B16], V1.B16; \
	VTBL	V10.B16, [V19.B16, V20.B16], V2.B16; \
	VTBL	V11.B16, [V19.B16, V20.B16], V3.B16; \
	VTBL	V10.B16, [V21.B16, V22.B16], V4.B16; \
	VTBL	V11.B16, [V21.B16, V22.B16], V5.B16

// T3MAC multiplies the block's values by one token's activations at xp
// (x + base + 16m of that token) into the int16 lanes h0 (bytes 0–7 of
// each vector) and h1 (bytes 8–15; h1 may be h0).
#define T3MAC(xp, h0, h1) \
	VLD1.P	(xp)(R19), [V6.B16]; \
	VLD1.P	(xp)(R19), [V7.B16]; \
	SMLAL(h0, 0, 6); \
	SMLAL2(h1, 0, 6); \
	SMLAL(h0, 1, 7); \
	SMLAL2(h1, 1, 7); \
	VLD1.P	(xp)(R19), [V6.B16]; \
	VLD1.P	(xp)(R19), [V7.B16]; \
	SMLAL(h0, 2, 6); \
	SMLAL2(h1, 2, 6); \
	SMLAL(h0, 3, 7); \
	SMLAL2(h1, 3, 7); \
	VLD1.P	(xp)(R19), [V6.B16]; \
	VLD1	(xp), [V7.B16]; \
	SMLAL(h0, 4, 6); \
	SMLAL2(h1, 4, 6); \
	SMLAL(h0, 5, 7); \
	SMLAL2(h1, 5, 7)

// T3DOT is T3MAC by SDOT into the int32 lanes s0 and s1.
#define T3DOT(xp, s0, s1) \
	VLD1.P	(xp)(R19), [V6.B16]; \
	VLD1.P	(xp)(R19), [V7.B16]; \
	SDOT(s0, 0, 6); \
	SDOT(s1, 1, 7); \
	VLD1.P	(xp)(R19), [V6.B16]; \
	VLD1.P	(xp)(R19), [V7.B16]; \
	SDOT(s0, 2, 6); \
	SDOT(s1, 3, 7); \
	VLD1.P	(xp)(R19), [V6.B16]; \
	VLD1	(xp), [V7.B16]; \
	SDOT(s0, 4, 6); \
	SDOT(s1, 5, 7)

// T3STORE writes the sum of acc's lanes through dp.
#define T3STORE(acc, dp) \
	VADDV	acc.S4, acc; \
	VMOV	acc.S[0], R3; \
	MOVW	R3, (dp)

// func t3sTileNEONDot1(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)
//
// SDOT into V27+t and V23+t for token t.
TEXT ·t3sTileNEONDot1(SB), NOSPLIT, $0-56
	T3SETUP
	CBZ	R5, done

row:
	MOVD	R2, R7
	MOVD	R4, R15
	T3ZERO(V27)
	T3ZERO(V23)

chunk:
	T3CHUNK

block:
	T3DECODE
	MOVD	R9, R10
	T3DOT(R10, 27, 23)
	ADD	$16, R9, R9
	SUBS	$1, R21, R21
	BNE	block

	T3ENDCHUNK
	BNE	chunk

	MOVD	R0, R13
	VADD	V23.S4, V27.S4, V27.S4
	T3STORE(V27, R13)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	row

done:
	RET

// func t3sTileNEONDot2(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)
//
// SDOT into V27+t and V23+t for token t.
TEXT ·t3sTileNEONDot2(SB), NOSPLIT, $0-56
	T3SETUP
	CBZ	R5, done

row:
	MOVD	R2, R7
	MOVD	R4, R15
	T3ZERO(V27)
	T3ZERO(V28)
	T3ZERO(V23)
	T3ZERO(V24)

chunk:
	T3CHUNK

block:
	T3DECODE
	MOVD	R9, R10
	T3DOT(R10, 27, 23)
	ADD	R11, R9, R10
	T3DOT(R10, 28, 24)
	ADD	$16, R9, R9
	SUBS	$1, R21, R21
	BNE	block

	T3ENDCHUNK
	BNE	chunk

	MOVD	R0, R13
	VADD	V23.S4, V27.S4, V27.S4
	T3STORE(V27, R13)
	ADD	R6, R13, R13
	VADD	V24.S4, V28.S4, V28.S4
	T3STORE(V28, R13)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	row

done:
	RET

// func t3sTileNEONDot4(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)
//
// SDOT into V27+t and V23+t for token t.
TEXT ·t3sTileNEONDot4(SB), NOSPLIT, $0-56
	T3SETUP
	CBZ	R5, done

row:
	MOVD	R2, R7
	MOVD	R4, R15
	T3ZERO(V27)
	T3ZERO(V28)
	T3ZERO(V29)
	T3ZERO(V30)
	T3ZERO(V23)
	T3ZERO(V24)
	T3ZERO(V25)
	T3ZERO(V26)

chunk:
	T3CHUNK

block:
	T3DECODE
	MOVD	R9, R10
	T3DOT(R10, 27, 23)
	ADD	R11, R9, R10
	T3DOT(R10, 28, 24)
	ADD	R11<<1, R9, R10
	T3DOT(R10, 29, 25)
	ADD	R12, R9, R10
	T3DOT(R10, 30, 26)
	ADD	$16, R9, R9
	SUBS	$1, R21, R21
	BNE	block

	T3ENDCHUNK
	BNE	chunk

	MOVD	R0, R13
	VADD	V23.S4, V27.S4, V27.S4
	T3STORE(V27, R13)
	ADD	R6, R13, R13
	VADD	V24.S4, V28.S4, V28.S4
	T3STORE(V28, R13)
	ADD	R6, R13, R13
	VADD	V25.S4, V29.S4, V29.S4
	T3STORE(V29, R13)
	ADD	R6, R13, R13
	VADD	V26.S4, V30.S4, V30.S4
	T3STORE(V30, R13)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	row

done:
	RET

// func t3sTileNEON1(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)
//
// SMLAL/SMLAL2 into two int16 registers per token (V23+2t, V24+2t: 6
// products per lane per block), widened into V27+t once per chunk.
TEXT ·t3sTileNEON1(SB), NOSPLIT, $0-56
	T3SETUP
	CBZ	R5, done

row:
	MOVD	R2, R7
	MOVD	R4, R15
	T3ZERO(V27)

chunk:
	T3CHUNK
	T3ZERO(V23)
	T3ZERO(V24)

block:
	T3DECODE
	MOVD	R9, R10
	T3MAC(R10, 23, 24)
	ADD	$16, R9, R9
	SUBS	$1, R21, R21
	BNE	block

	SADALP_H(27, 23)
	SADALP_H(27, 24)
	T3ENDCHUNK
	BNE	chunk

	MOVD	R0, R13
	T3STORE(V27, R13)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	row

done:
	RET

// func t3sTileNEON2(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)
//
// SMLAL/SMLAL2 into two int16 registers per token (V23+2t, V24+2t: 6
// products per lane per block), widened into V27+t once per chunk.
TEXT ·t3sTileNEON2(SB), NOSPLIT, $0-56
	T3SETUP
	CBZ	R5, done

row:
	MOVD	R2, R7
	MOVD	R4, R15
	T3ZERO(V27)
	T3ZERO(V28)

chunk:
	T3CHUNK
	T3ZERO(V23)
	T3ZERO(V24)
	T3ZERO(V25)
	T3ZERO(V26)

block:
	T3DECODE
	MOVD	R9, R10
	T3MAC(R10, 23, 24)
	ADD	R11, R9, R10
	T3MAC(R10, 25, 26)
	ADD	$16, R9, R9
	SUBS	$1, R21, R21
	BNE	block

	SADALP_H(27, 23)
	SADALP_H(27, 24)
	SADALP_H(28, 25)
	SADALP_H(28, 26)
	T3ENDCHUNK
	BNE	chunk

	MOVD	R0, R13
	T3STORE(V27, R13)
	ADD	R6, R13, R13
	T3STORE(V28, R13)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	row

done:
	RET

// func t3sTileNEON4(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)
//
// SMLAL/SMLAL2 into one int16 register per token (V23+t: 12 products
// per lane per block), widened into V27+t once per chunk.
TEXT ·t3sTileNEON4(SB), NOSPLIT, $0-56
	T3SETUP
	CBZ	R5, done

row:
	MOVD	R2, R7
	MOVD	R4, R15
	T3ZERO(V27)
	T3ZERO(V28)
	T3ZERO(V29)
	T3ZERO(V30)

chunk:
	T3CHUNK
	T3ZERO(V23)
	T3ZERO(V24)
	T3ZERO(V25)
	T3ZERO(V26)

block:
	T3DECODE
	MOVD	R9, R10
	T3MAC(R10, 23, 23)
	ADD	R11, R9, R10
	T3MAC(R10, 24, 24)
	ADD	R11<<1, R9, R10
	T3MAC(R10, 25, 25)
	ADD	R12, R9, R10
	T3MAC(R10, 26, 26)
	ADD	$16, R9, R9
	SUBS	$1, R21, R21
	BNE	block

	SADALP_H(27, 23)
	SADALP_H(28, 24)
	SADALP_H(29, 25)
	SADALP_H(30, 26)
	T3ENDCHUNK
	BNE	chunk

	MOVD	R0, R13
	T3STORE(V27, R13)
	ADD	R6, R13, R13
	T3STORE(V28, R13)
	ADD	R6, R13, R13
	T3STORE(V29, R13)
	ADD	R6, R13, R13
	T3STORE(V30, R13)
	ADD	$4, R0, R0
	SUBS	$1, R5, R5
	BNE	row

done:
	RET
