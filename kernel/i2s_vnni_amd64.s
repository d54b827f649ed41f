//go:build amd64 && !purego

#include "textflag.h"
#include "prefetch_amd64.h"

// The I2_S mat-vec with AVX-VNNI (i2s_vnni_amd64.go): VEX-encoded VPDPBUSD
// on 256-bit registers, for CPUs with AVX2 and AVX-VNNI but no AVX-512
// (Intel client cores since Alder Lake). It computes, for r < rows,
// dst[r] = Σ_j c[r][j]·x[j] − sumx over k values (docs/SEMANTICS.md §4).
//
// Byte p of a 32-byte block holds the codes of values p, p+32, p+64 and
// p+96 in bits 7:6, 5:4, 3:2 and 1:0. The codes are only masked, never
// shifted: the masked bytes are 64·c, 16·c, 4·c and c, multiplied with
// the 32 activations of their value group into four accumulators per row
// whose int32 lanes hold 64, 16, 4 and 1 times their share of Σ c·x
// (every lane a multiple of its scale, so the arithmetic shifts at the end
// are exact). A lane of the 64·c accumulator gains at most 4·192·128 per
// block (code 3 included, which counts as 3, so t = 2 as on the other
// paths): below 2³¹ for k < 2²¹ (the caller's bound).
//
// Rows go two at a time, one from each half of the rows (row i at SI, row
// i + rows/2 at SI + R13), sharing each activation vector; an odd last row
// goes alone. Y0–Y3 and Y4–Y7 are the two rows' accumulators (scales 64,
// 16, 4, 1), Y8/Y9 their weight bytes, Y10–Y13 the masks, Y14 the
// activations, Y15 the masked bytes. Go's assembler encodes VPDPBUSD only
// as EVEX (AVX-512 VNNI), so VPDPBUSD Yacc += Y15 (u8) · Y14 (s8) is
// written out as its VEX bytes: C4 C2 05 50 /r, ModRM 0xC6 | acc<<3.

#define VNNI_Y0 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xc6
#define VNNI_Y1 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xce
#define VNNI_Y2 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xd6
#define VNNI_Y3 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xde
#define VNNI_Y4 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xe6
#define VNNI_Y5 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xee
#define VNNI_Y6 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xf6
#define VNNI_Y7 BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x50; BYTE $0xfe

DATA i2sVNNIMasks<>+0(SB)/8, $0xc0c0c0c0c0c0c0c0
DATA i2sVNNIMasks<>+8(SB)/8, $0x3030303030303030
DATA i2sVNNIMasks<>+16(SB)/8, $0x0c0c0c0c0c0c0c0c
DATA i2sVNNIMasks<>+24(SB)/8, $0x0303030303030303
GLOBL i2sVNNIMasks<>(SB), RODATA|NOPTR, $32

// I2S_VNNI_HSUM folds a row's four accumulators (scales 64, 16, 4, 1) into
// its Σ c·x in AX: a0>>6 + a1>>4 + a2>>2 + a3, then the eight lanes.
#define I2S_VNNI_HSUM(a0, a1, a2, a3, x3) \
	VPSRAD $6, a0, a0; \
	VPSRAD $4, a1, a1; \
	VPSRAD $2, a2, a2; \
	VPADDD a1, a0, a0; \
	VPADDD a3, a2, a2; \
	VPADDD a2, a0, a0; \
	VEXTRACTI128 $1, a0, X15; \
	VPADDD X15, x3, X15; \
	VPSHUFD $0x4e, X15, X14; \
	VPADDD X14, X15, X15; \
	VPSHUFD $0xb1, X15, X14; \
	VPADDD X14, X15, X15; \
	VMOVD X15, AX

// func i2sRowsVNNI(dst *int32, w *byte, x *int8, k int, rows int, sumx int)
#define BODY_i2sRowsVNNI(PF) \
	MOVQ dst+0(FP), DI \
	MOVQ w+8(FP), SI \
	MOVQ x+16(FP), DX \
	MOVQ k+24(FP), R10 \
	SHRQ $7, R10 \
	MOVQ rows+32(FP), R8 \
	SHRQ $1, R8 \
	VPBROADCASTQ i2sVNNIMasks<>+0(SB), Y10 \
	VPBROADCASTQ i2sVNNIMasks<>+8(SB), Y11 \
	VPBROADCASTQ i2sVNNIMasks<>+16(SB), Y12 \
	VPBROADCASTQ i2sVNNIMasks<>+24(SB), Y13 \
	MOVQ R10, R13 \
	SHLQ $5, R13 \
	IMULQ R8, R13 \
	MOVQ R8, R9 \
	MOVQ SI, AX \
	MOVQ $16, CX \
warm: \
	PF(0(AX)) \
	PF(64(AX)) \
	PF(128(AX)) \
	PF(192(AX)) \
	PF(256(AX)) \
	PF(320(AX)) \
	PF(384(AX)) \
	PF(448(AX)) \
	PF(0(AX)(R13*1)) \
	PF(64(AX)(R13*1)) \
	PF(128(AX)(R13*1)) \
	PF(192(AX)(R13*1)) \
	PF(256(AX)(R13*1)) \
	PF(320(AX)(R13*1)) \
	PF(384(AX)(R13*1)) \
	PF(448(AX)(R13*1)) \
	ADDQ $512, AX \
	DECQ CX \
	JNZ  warm \
pairs: \
	TESTQ R9, R9 \
	JZ   single \
	VPXOR Y0, Y0, Y0 \
	VPXOR Y1, Y1, Y1 \
	VPXOR Y2, Y2, Y2 \
	VPXOR Y3, Y3, Y3 \
	VPXOR Y4, Y4, Y4 \
	VPXOR Y5, Y5, Y5 \
	VPXOR Y6, Y6, Y6 \
	VPXOR Y7, Y7, Y7 \
	MOVQ DX, R12 \
	MOVQ R10, CX \
pblock: \
	PF(8192(SI)) \
	PF(8192(SI)(R13*1)) \
	VMOVDQU (SI), Y8 \
	VMOVDQU (SI)(R13*1), Y9 \
	VMOVDQU 0(R12), Y14 \
	VPAND Y10, Y8, Y15 \
	VNNI_Y0 \
	VPAND Y10, Y9, Y15 \
	VNNI_Y4 \
	VMOVDQU 32(R12), Y14 \
	VPAND Y11, Y8, Y15 \
	VNNI_Y1 \
	VPAND Y11, Y9, Y15 \
	VNNI_Y5 \
	VMOVDQU 64(R12), Y14 \
	VPAND Y12, Y8, Y15 \
	VNNI_Y2 \
	VPAND Y12, Y9, Y15 \
	VNNI_Y6 \
	VMOVDQU 96(R12), Y14 \
	VPAND Y13, Y8, Y15 \
	VNNI_Y3 \
	VPAND Y13, Y9, Y15 \
	VNNI_Y7 \
	ADDQ $32, SI \
	ADDQ $128, R12 \
	DECQ CX \
	JNZ  pblock \
	I2S_VNNI_HSUM(Y0, Y1, Y2, Y3, X0) \
	SUBL sumx+40(FP), AX \
	MOVL AX, (DI) \
	I2S_VNNI_HSUM(Y4, Y5, Y6, Y7, X4) \
	SUBL sumx+40(FP), AX \
	MOVL AX, (DI)(R8*4) \
	ADDQ $4, DI \
	DECQ R9 \
	JMP  pairs \
single: \
	MOVQ rows+32(FP), AX \
	TESTQ $1, AX \
	JZ   done \
	ADDQ R13, SI \
	LEAQ (DI)(R8*4), DI \
	VPXOR Y0, Y0, Y0 \
	VPXOR Y1, Y1, Y1 \
	VPXOR Y2, Y2, Y2 \
	VPXOR Y3, Y3, Y3 \
	MOVQ DX, R12 \
	MOVQ R10, CX \
sblock: \
	PF(8192(SI)) \
	VMOVDQU (SI), Y8 \
	VMOVDQU 0(R12), Y14 \
	VPAND Y10, Y8, Y15 \
	VNNI_Y0 \
	VMOVDQU 32(R12), Y14 \
	VPAND Y11, Y8, Y15 \
	VNNI_Y1 \
	VMOVDQU 64(R12), Y14 \
	VPAND Y12, Y8, Y15 \
	VNNI_Y2 \
	VMOVDQU 96(R12), Y14 \
	VPAND Y13, Y8, Y15 \
	VNNI_Y3 \
	ADDQ $32, SI \
	ADDQ $128, R12 \
	DECQ CX \
	JNZ  sblock \
	I2S_VNNI_HSUM(Y0, Y1, Y2, Y3, X0) \
	SUBL sumx+40(FP), AX \
	MOVL AX, (DI) \
done: \
	VZEROUPPER \
	RET

// func i2sRowsVNNINTA: i2sRowsVNNI with PF_NTA.
TEXT ·i2sRowsVNNINTA(SB), NOSPLIT, $0-48
	BODY_i2sRowsVNNI(PF_NTA)

// func i2sRowsVNNIT0: i2sRowsVNNI with PF_T0.
TEXT ·i2sRowsVNNIT0(SB), NOSPLIT, $0-48
	BODY_i2sRowsVNNI(PF_T0)

// func i2sRowsVNNIT2: i2sRowsVNNI with PF_T2.
TEXT ·i2sRowsVNNIT2(SB), NOSPLIT, $0-48
	BODY_i2sRowsVNNI(PF_T2)

// func i2sRowsVNNINone: i2sRowsVNNI with PF_NONE.
TEXT ·i2sRowsVNNINone(SB), NOSPLIT, $0-48
	BODY_i2sRowsVNNI(PF_NONE)
