//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"

// T3_S AVX2 kernels (t3s_avx2_amd64.go; AVX2 only, Y0–Y15, no EVEX).
// Every one computes, for r < rows, dst[r] = Σ_j d[r][j]·x[j] − sumx with
// the digits d_i = ⌊c/3^i⌋ mod 3 of each 5-bit code c (0–31, docs/
// SEMANTICS.md §4c), so that the result is Σ t·x. A row is full whole
// chunks of four groups (80 bytes, 128 codes, 384 values) and a last
// chunk of tail groups (0–3), walked contiguously from one row to the next.
//
// Decoding 32 codes. Their low four bits (a nibble, 0–15) index two
// 16-entry VPSHUFB tables, t3sA2Tab for codes 0–15 and 16–31, whose
// entries pack all three digits of the code: P(c) = d_0 + 4·d_1 + 16·d_2
// (every code 0–31 has its own entry, so 27–31 decode as the formula says).
// Bit 4 of each code picks between the two lookups with VPBLENDVB; its
// mask comes from the bit bytes: VPSHUFB replicates bit byte j/8 into
// lane j, VPAND with the pattern 1, 2, 4, …, 128 keeps bit j mod 8, and
// VPCMPEQB against the pattern makes it 0x00 or 0xff.
//
// A whole chunk is four such vectors: the low nibbles of nibble bytes
// 0–31 and 32–63 (codes 0–63), then their high nibbles (codes 64–127);
// value i of code j is at column 128·i + j of the chunk, so the 32
// activations of vector v and value i are contiguous at 128·i + 32·v. A
// last chunk of g < 4 groups goes in g unit steps of 16 nibble bytes: unit
// u holds codes 16·u … 16·u+15 (low nibbles, low lane) and 16·g+16·u …
// (high nibbles, high lane); the bit bytes are the 16 bytes ending the
// chunk (no byte past a row is read) indexed by the table t3sA2Tail of g
// and u, and the activations come from xt, where the Go side laid the
// last chunk's out as (u, i) blocks of 32 bytes: the 16 of the low lane,
// then the 16 of the high lane (t3sTailAVX2).

DATA t3sA2Tab<>+0(SB)/8, $0x0908060504020100
DATA t3sA2Tab<>+8(SB)/8, $0x181615141211100a
DATA t3sA2Tab<>+16(SB)/8, $0x2625242221201a19
DATA t3sA2Tab<>+24(SB)/8, $0x05040201002a2928
GLOBL t3sA2Tab<>(SB), RODATA|NOPTR, $32
DATA t3sA2Nib<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA t3sA2Nib<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA t3sA2Nib<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA t3sA2Nib<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL t3sA2Nib<>(SB), RODATA|NOPTR, $32
DATA t3sA2Pat<>+0(SB)/8, $0x8040201008040201
DATA t3sA2Pat<>+8(SB)/8, $0x8040201008040201
DATA t3sA2Pat<>+16(SB)/8, $0x8040201008040201
DATA t3sA2Pat<>+24(SB)/8, $0x8040201008040201
GLOBL t3sA2Pat<>(SB), RODATA|NOPTR, $32
DATA t3sA2M03<>+0(SB)/8, $0x0303030303030303
DATA t3sA2M03<>+8(SB)/8, $0x0303030303030303
DATA t3sA2M03<>+16(SB)/8, $0x0303030303030303
DATA t3sA2M03<>+24(SB)/8, $0x0303030303030303
GLOBL t3sA2M03<>(SB), RODATA|NOPTR, $32
DATA t3sA2M0C<>+0(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA t3sA2M0C<>+8(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA t3sA2M0C<>+16(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA t3sA2M0C<>+24(SB)/8, $0x0c0c0c0c0c0c0c0c
GLOBL t3sA2M0C<>(SB), RODATA|NOPTR, $32
DATA t3sA2M30<>+0(SB)/8, $0x3030303030303030
DATA t3sA2M30<>+8(SB)/8, $0x3030303030303030
DATA t3sA2M30<>+16(SB)/8, $0x3030303030303030
DATA t3sA2M30<>+24(SB)/8, $0x3030303030303030
GLOBL t3sA2M30<>(SB), RODATA|NOPTR, $32
DATA t3sA2W16<>+0(SB)/8, $0x0010001000100010
DATA t3sA2W16<>+8(SB)/8, $0x0010001000100010
DATA t3sA2W16<>+16(SB)/8, $0x0010001000100010
DATA t3sA2W16<>+24(SB)/8, $0x0010001000100010
GLOBL t3sA2W16<>(SB), RODATA|NOPTR, $32
DATA t3sA2W4<>+0(SB)/8, $0x0004000400040004
DATA t3sA2W4<>+8(SB)/8, $0x0004000400040004
DATA t3sA2W4<>+16(SB)/8, $0x0004000400040004
DATA t3sA2W4<>+24(SB)/8, $0x0004000400040004
GLOBL t3sA2W4<>(SB), RODATA|NOPTR, $32
DATA t3sA2W1<>+0(SB)/8, $0x0001000100010001
DATA t3sA2W1<>+8(SB)/8, $0x0001000100010001
DATA t3sA2W1<>+16(SB)/8, $0x0001000100010001
DATA t3sA2W1<>+24(SB)/8, $0x0001000100010001
GLOBL t3sA2W1<>(SB), RODATA|NOPTR, $32
// t3sA2Idx: for vector v of a whole chunk, lane l holds code 32·v + l,
// whose bit is in bit byte 4·v + l/8 (both lanes see all 16 bit bytes).
DATA t3sA2Idx<>+0(SB)/8, $0x0000000000000000
DATA t3sA2Idx<>+8(SB)/8, $0x0101010101010101
DATA t3sA2Idx<>+16(SB)/8, $0x0202020202020202
DATA t3sA2Idx<>+24(SB)/8, $0x0303030303030303
DATA t3sA2Idx<>+32(SB)/8, $0x0404040404040404
DATA t3sA2Idx<>+40(SB)/8, $0x0505050505050505
DATA t3sA2Idx<>+48(SB)/8, $0x0606060606060606
DATA t3sA2Idx<>+56(SB)/8, $0x0707070707070707
DATA t3sA2Idx<>+64(SB)/8, $0x0808080808080808
DATA t3sA2Idx<>+72(SB)/8, $0x0909090909090909
DATA t3sA2Idx<>+80(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA t3sA2Idx<>+88(SB)/8, $0x0b0b0b0b0b0b0b0b
DATA t3sA2Idx<>+96(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA t3sA2Idx<>+104(SB)/8, $0x0d0d0d0d0d0d0d0d
DATA t3sA2Idx<>+112(SB)/8, $0x0e0e0e0e0e0e0e0e
DATA t3sA2Idx<>+120(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL t3sA2Idx<>(SB), RODATA|NOPTR, $128
// t3sA2Tail: for a last chunk of g groups and its unit u, at
// (3·(g−1) + u)·32: the position of each lane's bit byte within the 16
// bytes ending the chunk (bit byte b is at 16 − 4·g + b).
DATA t3sA2Tail<>+0(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA t3sA2Tail<>+8(SB)/8, $0x0d0d0d0d0d0d0d0d
DATA t3sA2Tail<>+16(SB)/8, $0x0e0e0e0e0e0e0e0e
DATA t3sA2Tail<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA t3sA2Tail<>+32(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+40(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+48(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+56(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+64(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+72(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+80(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+88(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+96(SB)/8, $0x0808080808080808
DATA t3sA2Tail<>+104(SB)/8, $0x0909090909090909
DATA t3sA2Tail<>+112(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA t3sA2Tail<>+120(SB)/8, $0x0d0d0d0d0d0d0d0d
DATA t3sA2Tail<>+128(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA t3sA2Tail<>+136(SB)/8, $0x0b0b0b0b0b0b0b0b
DATA t3sA2Tail<>+144(SB)/8, $0x0e0e0e0e0e0e0e0e
DATA t3sA2Tail<>+152(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA t3sA2Tail<>+160(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+168(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+176(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+184(SB)/8, $0x8080808080808080
DATA t3sA2Tail<>+192(SB)/8, $0x0404040404040404
DATA t3sA2Tail<>+200(SB)/8, $0x0505050505050505
DATA t3sA2Tail<>+208(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA t3sA2Tail<>+216(SB)/8, $0x0b0b0b0b0b0b0b0b
DATA t3sA2Tail<>+224(SB)/8, $0x0606060606060606
DATA t3sA2Tail<>+232(SB)/8, $0x0707070707070707
DATA t3sA2Tail<>+240(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA t3sA2Tail<>+248(SB)/8, $0x0d0d0d0d0d0d0d0d
DATA t3sA2Tail<>+256(SB)/8, $0x0808080808080808
DATA t3sA2Tail<>+264(SB)/8, $0x0909090909090909
DATA t3sA2Tail<>+272(SB)/8, $0x0e0e0e0e0e0e0e0e
DATA t3sA2Tail<>+280(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL t3sA2Tail<>(SB), RODATA|NOPTR, $288

// func t3sRowsAVX2(dst *int32, w *byte, x *int8, xt *int8, full int, tail int, rows int, sumx int)
//
// One token, one row at a time, 32 codes per vector. The digits are taken
// from P scaled: d_0 = P & 3, 4·d_1 = P & 12, 16·d_2 = P & 48, each
// multiplied by its value's 32 activations with VPMADDUBSW (unsigned
// digit × signed x into int16 pairs) into one int16 accumulator per value
// position (Y10, Y9, Y8). Bounds, per int16 lane and chunk of four vectors:
// a pair is at most 2·2·128 = 512 (d_0), 2·8·128 = 2048 (4·d_1) and
// 2·32·128 = 8192 (16·d_2) in magnitude, so no VPMADDUBSW saturates and
// the accumulators stay within 2048, 8192 and 4·8192 = 32768 (−32768 at
// worst, all x = −128: still an int16; at most 4·2·32·127 = 32512 above
// zero); a last chunk adds at most three vectors to zeroed accumulators.
// They are widened once per chunk with VPMADDWD by 16, 4 and 1 into the
// int32 lanes of Y11, which thus hold 16·Σ d·x: at most 3·2¹⁶ per lane
// and chunk, 512·k per lane over a row, below 2³¹ for k < 2²² (the Go
// side's bound). VPSRAD by 4 is then exact per lane before the lanes are
// summed (modulo 2³², as the reference's int32 sum).
// Registers: Y15, Y14 the two tables, Y13 0x0f bytes, Y12 the bit
// pattern, Y7 the chunk's bit bytes, Y6 and Y5 its nibble bytes, Y0 the
// nibbles, Y1 the bit-4 mask, Y2 P, Y3 and Y4 digits and products.
// The body is instantiated once per software-prefetch hint PF, which
// streams the weights 8 KiB ahead (one hint per 64 bytes).
#define BODY_t3sRowsAVX2(PF) \
	MOVQ dst+0(FP), DI; \
	MOVQ w+8(FP), SI; \
	MOVQ x+16(FP), DX; \
	MOVQ tail+40(FP), R10; \
	MOVQ rows+48(FP), R8; \
	TESTQ R8, R8; \
	JZ   t3rDone; \
	VBROADCASTI128 t3sA2Tab<>+0(SB), Y15; \
	VBROADCASTI128 t3sA2Tab<>+16(SB), Y14; \
	VMOVDQU t3sA2Nib<>(SB), Y13; \
	VMOVDQU t3sA2Pat<>(SB), Y12; \
	LEAQ (R10)(R10*4), R9; \
	SHLQ $2, R9; \
	SUBQ $16, R9; \
	LEAQ -1(R10), AX; \
	LEAQ (AX)(AX*2), AX; \
	SHLQ $5, AX; \
	LEAQ t3sA2Tail<>(SB), BX; \
	ADDQ AX, BX; \
t3rRow: \
	VPXOR Y11, Y11, Y11; \
	MOVQ DX, R12; \
	MOVQ full+32(FP), R14; \
	TESTQ R14, R14; \
	JZ   t3rTail; \
t3rChunk: \
	PF(8192(SI)); \
	PF(8256(SI)); \
	VBROADCASTI128 64(SI), Y7; \
	VMOVDQU 0(SI), Y6; \
	VMOVDQU 32(SI), Y5; \
	VPAND Y13, Y6, Y0; \
	VPSHUFB t3sA2Idx<>+0(SB), Y7, Y1; \
	VPAND Y12, Y1, Y1; \
	VPCMPEQB Y12, Y1, Y1; \
	VPSHUFB Y0, Y15, Y2; \
	VPSHUFB Y0, Y14, Y3; \
	VPBLENDVB Y1, Y3, Y2, Y2; \
	VPAND t3sA2M03<>(SB), Y2, Y3; \
	VPMADDUBSW 0(R12), Y3, Y10; \
	VPAND t3sA2M0C<>(SB), Y2, Y4; \
	VPMADDUBSW 128(R12), Y4, Y9; \
	VPAND t3sA2M30<>(SB), Y2, Y3; \
	VPMADDUBSW 256(R12), Y3, Y8; \
	VPAND Y13, Y5, Y0; \
	VPSHUFB t3sA2Idx<>+32(SB), Y7, Y1; \
	VPAND Y12, Y1, Y1; \
	VPCMPEQB Y12, Y1, Y1; \
	VPSHUFB Y0, Y15, Y2; \
	VPSHUFB Y0, Y14, Y3; \
	VPBLENDVB Y1, Y3, Y2, Y2; \
	VPAND t3sA2M03<>(SB), Y2, Y3; \
	VPMADDUBSW 32(R12), Y3, Y3; \
	VPADDW Y3, Y10, Y10; \
	VPAND t3sA2M0C<>(SB), Y2, Y4; \
	VPMADDUBSW 160(R12), Y4, Y4; \
	VPADDW Y4, Y9, Y9; \
	VPAND t3sA2M30<>(SB), Y2, Y3; \
	VPMADDUBSW 288(R12), Y3, Y3; \
	VPADDW Y3, Y8, Y8; \
	VPSRLW $4, Y6, Y0; \
	VPAND Y13, Y0, Y0; \
	VPSHUFB t3sA2Idx<>+64(SB), Y7, Y1; \
	VPAND Y12, Y1, Y1; \
	VPCMPEQB Y12, Y1, Y1; \
	VPSHUFB Y0, Y15, Y2; \
	VPSHUFB Y0, Y14, Y3; \
	VPBLENDVB Y1, Y3, Y2, Y2; \
	VPAND t3sA2M03<>(SB), Y2, Y3; \
	VPMADDUBSW 64(R12), Y3, Y3; \
	VPADDW Y3, Y10, Y10; \
	VPAND t3sA2M0C<>(SB), Y2, Y4; \
	VPMADDUBSW 192(R12), Y4, Y4; \
	VPADDW Y4, Y9, Y9; \
	VPAND t3sA2M30<>(SB), Y2, Y3; \
	VPMADDUBSW 320(R12), Y3, Y3; \
	VPADDW Y3, Y8, Y8; \
	VPSRLW $4, Y5, Y0; \
	VPAND Y13, Y0, Y0; \
	VPSHUFB t3sA2Idx<>+96(SB), Y7, Y1; \
	VPAND Y12, Y1, Y1; \
	VPCMPEQB Y12, Y1, Y1; \
	VPSHUFB Y0, Y15, Y2; \
	VPSHUFB Y0, Y14, Y3; \
	VPBLENDVB Y1, Y3, Y2, Y2; \
	VPAND t3sA2M03<>(SB), Y2, Y3; \
	VPMADDUBSW 96(R12), Y3, Y3; \
	VPADDW Y3, Y10, Y10; \
	VPAND t3sA2M0C<>(SB), Y2, Y4; \
	VPMADDUBSW 224(R12), Y4, Y4; \
	VPADDW Y4, Y9, Y9; \
	VPAND t3sA2M30<>(SB), Y2, Y3; \
	VPMADDUBSW 352(R12), Y3, Y3; \
	VPADDW Y3, Y8, Y8; \
	VPMADDWD t3sA2W16<>(SB), Y10, Y10; \
	VPMADDWD t3sA2W4<>(SB), Y9, Y9; \
	VPMADDWD t3sA2W1<>(SB), Y8, Y8; \
	VPADDD Y10, Y9, Y9; \
	VPADDD Y8, Y11, Y11; \
	VPADDD Y9, Y11, Y11; \
	ADDQ $80, SI; \
	ADDQ $384, R12; \
	DECQ R14; \
	JNZ  t3rChunk; \
t3rTail: \
	TESTQ R10, R10; \
	JZ   t3rFold; \
	VPXOR Y10, Y10, Y10; \
	VPXOR Y9, Y9, Y9; \
	VPXOR Y8, Y8, Y8; \
	VBROADCASTI128 (SI)(R9*1), Y7; \
	MOVQ BX, R11; \
	MOVQ xt+24(FP), R13; \
	MOVQ R10, R14; \
t3rUnit: \
	PF(8192(SI)); \
	VBROADCASTI128 (SI), Y6; \
	VPSRLW $4, Y6, Y5; \
	VPBLENDD $0xf0, Y5, Y6, Y6; \
	VPAND Y13, Y6, Y0; \
	VPSHUFB (R11), Y7, Y1; \
	VPAND Y12, Y1, Y1; \
	VPCMPEQB Y12, Y1, Y1; \
	VPSHUFB Y0, Y15, Y2; \
	VPSHUFB Y0, Y14, Y3; \
	VPBLENDVB Y1, Y3, Y2, Y2; \
	VPAND t3sA2M03<>(SB), Y2, Y3; \
	VPMADDUBSW 0(R13), Y3, Y3; \
	VPADDW Y3, Y10, Y10; \
	VPAND t3sA2M0C<>(SB), Y2, Y4; \
	VPMADDUBSW 32(R13), Y4, Y4; \
	VPADDW Y4, Y9, Y9; \
	VPAND t3sA2M30<>(SB), Y2, Y3; \
	VPMADDUBSW 64(R13), Y3, Y3; \
	VPADDW Y3, Y8, Y8; \
	ADDQ $16, SI; \
	ADDQ $96, R13; \
	ADDQ $32, R11; \
	DECQ R14; \
	JNZ  t3rUnit; \
	LEAQ (SI)(R10*4), SI; \
	VPMADDWD t3sA2W16<>(SB), Y10, Y10; \
	VPMADDWD t3sA2W4<>(SB), Y9, Y9; \
	VPMADDWD t3sA2W1<>(SB), Y8, Y8; \
	VPADDD Y10, Y9, Y9; \
	VPADDD Y8, Y11, Y11; \
	VPADDD Y9, Y11, Y11; \
t3rFold: \
	VPSRAD $4, Y11, Y11; \
	VEXTRACTI128 $1, Y11, X0; \
	VPADDD X0, X11, X0; \
	VPSHUFD $0x4e, X0, X1; \
	VPADDD X1, X0, X0; \
	VPSHUFD $0xb1, X0, X1; \
	VPADDD X1, X0, X0; \
	VMOVD X0, AX; \
	SUBL sumx+56(FP), AX; \
	MOVL AX, (DI); \
	ADDQ $4, DI; \
	DECQ R8; \
	JNZ  t3rRow; \
t3rDone: \
	VZEROUPPER; \
	RET

// func t3sRowsAVX2NTA: t3sRowsAVX2 with PF_NTA.
TEXT ·t3sRowsAVX2NTA(SB), NOSPLIT, $0-64
	BODY_t3sRowsAVX2(PF_NTA)

// func t3sRowsAVX2T0: t3sRowsAVX2 with PF_T0.
TEXT ·t3sRowsAVX2T0(SB), NOSPLIT, $0-64
	BODY_t3sRowsAVX2(PF_T0)

// func t3sRowsAVX2T2: t3sRowsAVX2 with PF_T2.
TEXT ·t3sRowsAVX2T2(SB), NOSPLIT, $0-64
	BODY_t3sRowsAVX2(PF_T2)

// func t3sRowsAVX2None: t3sRowsAVX2 with PF_NONE.
TEXT ·t3sRowsAVX2None(SB), NOSPLIT, $0-64
	BODY_t3sRowsAVX2(PF_NONE)

// func t3sTileAVX2T<T>(dst *int32, ldd int, w *byte, x *int8, xt *int8, k int, full int, tail int, rows int, sums *int32)
//
// Tiles of one row × T tokens (T = 2 or 4) for MatMat: each vector of 32
// codes is decoded once for the T tokens at x, k values apart (their last
// chunks laid out at xt, 288 bytes apart). The digits are taken unscaled
// from P (d_0 = P & 3, d_1 = P>>2 & 3, d_2 = P>>4 & 3; P < 64, so the word
// shifts move no bit of one byte into the low two bits of another), and
// each token has one int16 accumulator Y6+t: at most 3·4 = 12 pairs per
// chunk, each at most 2·2·128 = 512 in magnitude, so 6144. It is widened
// once per chunk by VPMADDWD with ones into the int32 lanes of Y10+t
// (12288 per lane and chunk, 32·k per lane over a row: no overflow for
// k < 2²²). dst[t·ldd + r] = Σ d·x_t − sums[t]. Registers: Y15, Y14 the
// tables, Y5 the chunk's bit bytes, Y0 the nibbles, Y1 the bit-4 mask, Y2
// P, Y3 a digit, Y4 a product; tokens 0–3 at x are at (R12), (R12)(AX*1),
// (R13), (R13)(AX*1) with AX = k, R13 = R12 + 2·k.

// func t3sTileAVX2T2(dst *int32, ldd int, w *byte, x *int8, xt *int8, k int, full int, tail int, rows int, sums *int32)
TEXT ·t3sTileAVX2T2(SB), NOSPLIT, $0-80
	MOVQ dst+0(FP), DI
	MOVQ w+16(FP), SI
	MOVQ x+24(FP), DX
	MOVQ k+40(FP), AX
	MOVQ tail+56(FP), R10
	MOVQ rows+64(FP), R8
	TESTQ R8, R8
	JZ   t3t2Done
	VBROADCASTI128 t3sA2Tab<>+0(SB), Y15
	VBROADCASTI128 t3sA2Tab<>+16(SB), Y14
	LEAQ (R10)(R10*4), R9
	SHLQ $2, R9
	SUBQ $16, R9
	LEAQ -1(R10), BX
	LEAQ (BX)(BX*2), BX
	SHLQ $5, BX
	LEAQ t3sA2Tail<>(SB), CX
	ADDQ CX, BX

t3t2Row:
	VPXOR Y10, Y10, Y10
	VPXOR Y11, Y11, Y11
	MOVQ DX, R12
	MOVQ full+48(FP), R14
	TESTQ R14, R14
	JZ   t3t2Tail

t3t2Chunk:
	VBROADCASTI128 64(SI), Y5
	VMOVDQU 0(SI), Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+0(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 0(R12), Y3, Y6
	VPMADDUBSW 0(R12)(AX*1), Y3, Y7
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 128(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 128(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 256(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 256(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VMOVDQU 32(SI), Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+32(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 32(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 32(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 160(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 160(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 288(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 288(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VMOVDQU 0(SI), Y0
	VPSRLW $4, Y0, Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+64(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 64(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 64(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 192(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 192(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 320(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 320(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VMOVDQU 32(SI), Y0
	VPSRLW $4, Y0, Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+96(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 96(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 96(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 224(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 224(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 352(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 352(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDWD t3sA2W1<>(SB), Y6, Y4
	VPADDD Y4, Y10, Y10
	VPMADDWD t3sA2W1<>(SB), Y7, Y4
	VPADDD Y4, Y11, Y11
	ADDQ $80, SI
	ADDQ $384, R12
	DECQ R14
	JNZ  t3t2Chunk

t3t2Tail:
	TESTQ R10, R10
	JZ   t3t2Fold
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7
	VBROADCASTI128 (SI)(R9*1), Y5
	MOVQ BX, R11
	MOVQ xt+32(FP), CX
	MOVQ R10, R14

t3t2Unit:
	VBROADCASTI128 (SI), Y0
	VPSRLW $4, Y0, Y1
	VPBLENDD $0xf0, Y1, Y0, Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB (R11), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 0(CX), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 288(CX), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 32(CX), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 320(CX), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 64(CX), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 352(CX), Y3, Y4
	VPADDW Y4, Y7, Y7
	ADDQ $16, SI
	ADDQ $96, CX
	ADDQ $32, R11
	DECQ R14
	JNZ  t3t2Unit
	LEAQ (SI)(R10*4), SI
	VPMADDWD t3sA2W1<>(SB), Y6, Y4
	VPADDD Y4, Y10, Y10
	VPMADDWD t3sA2W1<>(SB), Y7, Y4
	VPADDD Y4, Y11, Y11

t3t2Fold:
	MOVQ ldd+8(FP), R13
	SHLQ $2, R13
	MOVQ sums+72(FP), R12
	MOVQ DI, R11
	VEXTRACTI128 $1, Y10, X0
	VPADDD X0, X10, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, CX
	SUBL 0(R12), CX
	MOVL CX, (R11)
	ADDQ R13, R11
	VEXTRACTI128 $1, Y11, X0
	VPADDD X0, X11, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, CX
	SUBL 4(R12), CX
	MOVL CX, (R11)
	ADDQ $4, DI
	DECQ R8
	JNZ  t3t2Row

t3t2Done:
	VZEROUPPER
	RET

// func t3sTileAVX2T4(dst *int32, ldd int, w *byte, x *int8, xt *int8, k int, full int, tail int, rows int, sums *int32)
TEXT ·t3sTileAVX2T4(SB), NOSPLIT, $0-80
	MOVQ dst+0(FP), DI
	MOVQ w+16(FP), SI
	MOVQ x+24(FP), DX
	MOVQ k+40(FP), AX
	MOVQ tail+56(FP), R10
	MOVQ rows+64(FP), R8
	TESTQ R8, R8
	JZ   t3t4Done
	VBROADCASTI128 t3sA2Tab<>+0(SB), Y15
	VBROADCASTI128 t3sA2Tab<>+16(SB), Y14
	LEAQ (R10)(R10*4), R9
	SHLQ $2, R9
	SUBQ $16, R9
	LEAQ -1(R10), BX
	LEAQ (BX)(BX*2), BX
	SHLQ $5, BX
	LEAQ t3sA2Tail<>(SB), CX
	ADDQ CX, BX

t3t4Row:
	VPXOR Y10, Y10, Y10
	VPXOR Y11, Y11, Y11
	VPXOR Y12, Y12, Y12
	VPXOR Y13, Y13, Y13
	MOVQ DX, R12
	LEAQ (DX)(AX*2), R13
	MOVQ full+48(FP), R14
	TESTQ R14, R14
	JZ   t3t4Tail

t3t4Chunk:
	VBROADCASTI128 64(SI), Y5
	VMOVDQU 0(SI), Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+0(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 0(R12), Y3, Y6
	VPMADDUBSW 0(R12)(AX*1), Y3, Y7
	VPMADDUBSW 0(R13), Y3, Y8
	VPMADDUBSW 0(R13)(AX*1), Y3, Y9
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 128(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 128(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 128(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 128(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 256(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 256(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 256(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 256(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VMOVDQU 32(SI), Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+32(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 32(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 32(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 32(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 32(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 160(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 160(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 160(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 160(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 288(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 288(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 288(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 288(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VMOVDQU 0(SI), Y0
	VPSRLW $4, Y0, Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+64(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 64(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 64(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 64(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 64(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 192(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 192(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 192(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 192(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 320(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 320(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 320(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 320(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VMOVDQU 32(SI), Y0
	VPSRLW $4, Y0, Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB t3sA2Idx<>+96(SB), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 96(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 96(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 96(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 96(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 224(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 224(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 224(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 224(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 352(R12), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 352(R12)(AX*1), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 352(R13), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 352(R13)(AX*1), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPMADDWD t3sA2W1<>(SB), Y6, Y4
	VPADDD Y4, Y10, Y10
	VPMADDWD t3sA2W1<>(SB), Y7, Y4
	VPADDD Y4, Y11, Y11
	VPMADDWD t3sA2W1<>(SB), Y8, Y4
	VPADDD Y4, Y12, Y12
	VPMADDWD t3sA2W1<>(SB), Y9, Y4
	VPADDD Y4, Y13, Y13
	ADDQ $80, SI
	ADDQ $384, R12
	ADDQ $384, R13
	DECQ R14
	JNZ  t3t4Chunk

t3t4Tail:
	TESTQ R10, R10
	JZ   t3t4Fold
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7
	VPXOR Y8, Y8, Y8
	VPXOR Y9, Y9, Y9
	VBROADCASTI128 (SI)(R9*1), Y5
	MOVQ BX, R11
	MOVQ xt+32(FP), CX
	MOVQ R10, R14

t3t4Unit:
	VBROADCASTI128 (SI), Y0
	VPSRLW $4, Y0, Y1
	VPBLENDD $0xf0, Y1, Y0, Y0
	VPAND t3sA2Nib<>(SB), Y0, Y0
	VPSHUFB (R11), Y5, Y1
	VPAND t3sA2Pat<>(SB), Y1, Y1
	VPCMPEQB t3sA2Pat<>(SB), Y1, Y1
	VPSHUFB Y0, Y15, Y2
	VPSHUFB Y0, Y14, Y3
	VPBLENDVB Y1, Y3, Y2, Y2
	VPAND t3sA2M03<>(SB), Y2, Y3
	VPMADDUBSW 0(CX), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 288(CX), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 576(CX), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 864(CX), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $2, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 32(CX), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 320(CX), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 608(CX), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 896(CX), Y3, Y4
	VPADDW Y4, Y9, Y9
	VPSRLW $4, Y2, Y3
	VPAND t3sA2M03<>(SB), Y3, Y3
	VPMADDUBSW 64(CX), Y3, Y4
	VPADDW Y4, Y6, Y6
	VPMADDUBSW 352(CX), Y3, Y4
	VPADDW Y4, Y7, Y7
	VPMADDUBSW 640(CX), Y3, Y4
	VPADDW Y4, Y8, Y8
	VPMADDUBSW 928(CX), Y3, Y4
	VPADDW Y4, Y9, Y9
	ADDQ $16, SI
	ADDQ $96, CX
	ADDQ $32, R11
	DECQ R14
	JNZ  t3t4Unit
	LEAQ (SI)(R10*4), SI
	VPMADDWD t3sA2W1<>(SB), Y6, Y4
	VPADDD Y4, Y10, Y10
	VPMADDWD t3sA2W1<>(SB), Y7, Y4
	VPADDD Y4, Y11, Y11
	VPMADDWD t3sA2W1<>(SB), Y8, Y4
	VPADDD Y4, Y12, Y12
	VPMADDWD t3sA2W1<>(SB), Y9, Y4
	VPADDD Y4, Y13, Y13

t3t4Fold:
	MOVQ ldd+8(FP), R13
	SHLQ $2, R13
	MOVQ sums+72(FP), R12
	MOVQ DI, R11
	VEXTRACTI128 $1, Y10, X0
	VPADDD X0, X10, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, CX
	SUBL 0(R12), CX
	MOVL CX, (R11)
	ADDQ R13, R11
	VEXTRACTI128 $1, Y11, X0
	VPADDD X0, X11, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, CX
	SUBL 4(R12), CX
	MOVL CX, (R11)
	ADDQ R13, R11
	VEXTRACTI128 $1, Y12, X0
	VPADDD X0, X12, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, CX
	SUBL 8(R12), CX
	MOVL CX, (R11)
	ADDQ R13, R11
	VEXTRACTI128 $1, Y13, X0
	VPADDD X0, X13, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, CX
	SUBL 12(R12), CX
	MOVL CX, (R11)
	ADDQ $4, DI
	DECQ R8
	JNZ  t3t4Row

t3t4Done:
	VZEROUPPER
	RET
