// Shared by the AVX-512 T3_S kernels (t3s_amd64.s, t3s_avx512bw_amd64.s).

// T3S_TAIL_GEOMETRY sets the registers that describe a row's last chunk of
// g = tail groups (0–3): R14 = 16·g (its nibble bytes and lanes), R15 =
// 32·g (its codes), BX = 18·g − 8 and R11 = 20·g − 8 (the 8 bytes ending
// at each half of its bit bytes), K3 = the 16·g low lanes; AX, CX scratch.
#define T3S_TAIL_GEOMETRY(tail) \
	MOVQ tail, R14; \
	SHLQ $4, R14; \
	LEAQ (R14)(R14*1), R15; \
	MOVQ R14, AX; \
	SHRQ $3, AX; \
	LEAQ -8(R14)(AX*1), BX; \
	LEAQ (BX)(AX*1), R11; \
	MOVQ $-1, AX; \
	MOVQ $64, CX; \
	SUBQ R14, CX; \
	SHRXQ CX, AX, AX; \
	TESTQ R14, R14; \
	CMOVQEQ R14, AX; \
	KMOVQ AX, K3
