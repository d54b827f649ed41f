//go:build amd64 && !purego

#include "textflag.h"

// T5_S kernels (t5s_amd64.go). Every one computes, for r < rows,
// dst[r] = Σ_j c[r][j]·x[j] − sumx over blocks·160 values, with the codes
// c ∈ {0, 1, 2} of digit i of byte q taken as ((q·3^i mod 256)·3) >> 8
// (docs/SEMANTICS.md §4b). Rows are blocks·32 bytes apart.

DATA t5sBias<>+0(SB)/8, $0x8080808080808080
DATA t5sBias<>+8(SB)/8, $0x8080808080808080
GLOBL t5sBias<>(SB), RODATA|NOPTR, $16
DATA t5sLo<>+0(SB)/8, $0xd5d5d5d5d5d5d5d5
DATA t5sLo<>+8(SB)/8, $0xd5d5d5d5d5d5d5d5
GLOBL t5sLo<>(SB), RODATA|NOPTR, $16
DATA t5sHi<>+0(SB)/8, $0x2a2a2a2a2a2a2a2a
DATA t5sHi<>+8(SB)/8, $0x2a2a2a2a2a2a2a2a
GLOBL t5sHi<>(SB), RODATA|NOPTR, $16
DATA t5sOnes16<>+0(SB)/8, $0x0001000100010001
DATA t5sOnes16<>+8(SB)/8, $0x0001000100010001
GLOBL t5sOnes16<>(SB), RODATA|NOPTR, $16

// func t5sPermuteX(dst *int8, x *int8, blocks int)
//
// Lays x out for t5sRowsAVX512: for each pair of blocks and digit i, the
// 32 activations of digit i of the first block, then those of the second
// (zeros after an odd last block), 320 bytes per pair.
TEXT ·t5sPermuteX(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), BX
	MOVQ BX, CX
	SHRQ $1, CX
	JZ   permOdd

permPair:
	VMOVDQU 0(SI), Y0
	VMOVDQU 160(SI), Y1
	VMOVDQU Y0, 0(DI)
	VMOVDQU Y1, 32(DI)
	VMOVDQU 32(SI), Y0
	VMOVDQU 192(SI), Y1
	VMOVDQU Y0, 64(DI)
	VMOVDQU Y1, 96(DI)
	VMOVDQU 64(SI), Y0
	VMOVDQU 224(SI), Y1
	VMOVDQU Y0, 128(DI)
	VMOVDQU Y1, 160(DI)
	VMOVDQU 96(SI), Y0
	VMOVDQU 256(SI), Y1
	VMOVDQU Y0, 192(DI)
	VMOVDQU Y1, 224(DI)
	VMOVDQU 128(SI), Y0
	VMOVDQU 288(SI), Y1
	VMOVDQU Y0, 256(DI)
	VMOVDQU Y1, 288(DI)
	ADDQ $320, SI
	ADDQ $320, DI
	DECQ CX
	JNZ  permPair

permOdd:
	TESTQ $1, BX
	JZ   permDone
	VPXOR Y1, Y1, Y1
	VMOVDQU 0(SI), Y0
	VMOVDQU Y0, 0(DI)
	VMOVDQU Y1, 32(DI)
	VMOVDQU 32(SI), Y0
	VMOVDQU Y0, 64(DI)
	VMOVDQU Y1, 96(DI)
	VMOVDQU 64(SI), Y0
	VMOVDQU Y0, 128(DI)
	VMOVDQU Y1, 160(DI)
	VMOVDQU 96(SI), Y0
	VMOVDQU Y0, 192(DI)
	VMOVDQU Y1, 224(DI)
	VMOVDQU 128(SI), Y0
	VMOVDQU Y0, 256(DI)
	VMOVDQU Y1, 288(DI)

permDone:
	VZEROUPPER
	RET

// func t5sRowsAVX512(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)
//
// x is laid out by t5sPermuteX. Two blocks (64 weight bytes) per step.
// With u_0 = q and u_{i+1} = 3·u_i mod 256, digit i is
// c_i = (3·u_i − u_{i+1})/256, so Σ c·x = (3·Σ u_i·x_i − Σ u_{i+1}·x_i)/256:
// two VPDPBUSD (unsigned u, signed x) per digit, summed in A and B (one
// register per digit, so that the digits' products do not wait on one
// another). Per int32 lane, 3A − B is 256 times that lane's Σ c·x, exact
// modulo 2^32; the arithmetic shift by 8 recovers it while |Σ c·x| < 2^23
// per lane, which holds for blocks·160 ≤ 2^18 (the caller's bound). A
// trailing odd block loads 32 weight bytes (the upper 32 of the register
// are zero) against the zeros t5sPermuteX put there.
TEXT ·t5sRowsAVX512(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ blocks+24(FP), BX
	MOVQ rows+32(FP), R8
	MOVQ sumx+40(FP), R9
	TESTQ R8, R8
	JZ   done512

row512:
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	MOVQ DX, R12
	MOVQ BX, R14
	SHRQ $1, R14
	JZ   odd512

pair512:
	PREFETCHT0 512(SI)
	VMOVDQU8 (SI), Z2
	VMOVDQU64 0(R12), Z3
	VPDPBUSD Z3, Z2, Z6
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z11
	VMOVDQU64 64(R12), Z3
	VPDPBUSD Z3, Z2, Z7
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z12
	VMOVDQU64 128(R12), Z3
	VPDPBUSD Z3, Z2, Z8
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z13
	VMOVDQU64 192(R12), Z3
	VPDPBUSD Z3, Z2, Z9
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z14
	VMOVDQU64 256(R12), Z3
	VPDPBUSD Z3, Z2, Z10
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z15
	ADDQ $64, SI
	ADDQ $320, R12
	DECQ R14
	JNZ  pair512

odd512:
	TESTQ $1, BX
	JZ   fold512
	VMOVDQU (SI), Y2
	VMOVDQU64 0(R12), Z3
	VPDPBUSD Z3, Z2, Z6
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z11
	VMOVDQU64 64(R12), Z3
	VPDPBUSD Z3, Z2, Z7
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z12
	VMOVDQU64 128(R12), Z3
	VPDPBUSD Z3, Z2, Z8
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z13
	VMOVDQU64 192(R12), Z3
	VPDPBUSD Z3, Z2, Z9
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z14
	VMOVDQU64 256(R12), Z3
	VPDPBUSD Z3, Z2, Z10
	VPADDB Z2, Z2, Z4
	VPADDB Z4, Z2, Z2
	VPDPBUSD Z3, Z2, Z15
	ADDQ $32, SI

fold512:
	VPADDD Z6, Z7, Z0
	VPADDD Z8, Z9, Z4
	VPADDD Z4, Z0, Z0
	VPADDD Z10, Z0, Z0
	VPADDD Z11, Z12, Z1
	VPADDD Z13, Z14, Z4
	VPADDD Z4, Z1, Z1
	VPADDD Z15, Z1, Z1
	VPADDD Z0, Z0, Z4
	VPADDD Z4, Z0, Z0
	VPSUBD Z1, Z0, Z0
	VPSRAD $8, Z0, Z0
	VEXTRACTI64X4 $1, Z0, Y4
	VPADDD Y4, Y0, Y0
	VEXTRACTI128 $1, Y0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0x4e, X0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0xb1, X0, X4
	VPADDD X4, X0, X0
	VMOVD X0, AX
	SUBL R9, AX
	MOVL AX, (DI)
	ADDQ $4, DI
	DECQ R8
	JNZ  row512

done512:
	VZEROUPPER
	RET

// func t5sRowsAVX2(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)
//
// One block (32 weight bytes) per step. The bytes are biased to
// s = q XOR 0x80 (= q − 128 mod 256); tripling keeps the bias, since
// 3·(u − 128) ≡ 3u − 128 (mod 256). Digit c = (3u) >> 8 is [u ≥ 86] +
// [u ≥ 171] = [s > −43] + [s > 42]: two signed compares give −c, VPABSB
// makes it c, and VPMADDUBSW multiplies it by x into int16 pairs (at most
// 2·2·128 per digit, 2560 per block), widened once per block.
TEXT ·t5sRowsAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ blocks+24(FP), BX
	MOVQ rows+32(FP), R8
	MOVQ sumx+40(FP), R9
	TESTQ R8, R8
	JZ   done2
	VBROADCASTI128 t5sBias<>(SB), Y15
	VBROADCASTI128 t5sLo<>(SB), Y14
	VBROADCASTI128 t5sHi<>(SB), Y13
	VBROADCASTI128 t5sOnes16<>(SB), Y12

row2:
	VPXOR Y0, Y0, Y0
	MOVQ DX, R12
	MOVQ BX, R14

block2:
	PREFETCHT0 512(SI)
	VPXOR (SI), Y15, Y2

	VPCMPGTB Y14, Y2, Y3
	VPCMPGTB Y13, Y2, Y4
	VPADDB Y4, Y3, Y3
	VPABSB Y3, Y3
	VPMADDUBSW 0(R12), Y3, Y5
	VPADDB Y2, Y2, Y4
	VPADDB Y4, Y2, Y2
	VPCMPGTB Y14, Y2, Y3
	VPCMPGTB Y13, Y2, Y4
	VPADDB Y4, Y3, Y3
	VPABSB Y3, Y3
	VPMADDUBSW 32(R12), Y3, Y3
	VPADDW Y3, Y5, Y5
	VPADDB Y2, Y2, Y4
	VPADDB Y4, Y2, Y2
	VPCMPGTB Y14, Y2, Y3
	VPCMPGTB Y13, Y2, Y4
	VPADDB Y4, Y3, Y3
	VPABSB Y3, Y3
	VPMADDUBSW 64(R12), Y3, Y3
	VPADDW Y3, Y5, Y5
	VPADDB Y2, Y2, Y4
	VPADDB Y4, Y2, Y2
	VPCMPGTB Y14, Y2, Y3
	VPCMPGTB Y13, Y2, Y4
	VPADDB Y4, Y3, Y3
	VPABSB Y3, Y3
	VPMADDUBSW 96(R12), Y3, Y3
	VPADDW Y3, Y5, Y5
	VPADDB Y2, Y2, Y4
	VPADDB Y4, Y2, Y2
	VPCMPGTB Y14, Y2, Y3
	VPCMPGTB Y13, Y2, Y4
	VPADDB Y4, Y3, Y3
	VPABSB Y3, Y3
	VPMADDUBSW 128(R12), Y3, Y3
	VPADDW Y3, Y5, Y5
	VPMADDWD Y12, Y5, Y5
	VPADDD Y5, Y0, Y0
	ADDQ $32, SI
	ADDQ $160, R12
	DECQ R14
	JNZ  block2

	VEXTRACTI128 $1, Y0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0x4e, X0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0xb1, X0, X4
	VPADDD X4, X0, X0
	VMOVD X0, AX
	SUBL R9, AX
	MOVL AX, (DI)
	ADDQ $4, DI
	DECQ R8
	JNZ  row2

done2:
	VZEROUPPER
	RET
