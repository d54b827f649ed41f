package gguf

import (
	"fmt"
	"math/bits"
	"strconv"
)

// Type is a ggml tensor type id as stored in a GGUF tensor info. The ids are
// those of bitnet.cpp's ggml fork (docs/SEMANTICS.md §5), which agrees with
// upstream llama.cpp up to 35 and assigns 36..39 to its own types.
type Type uint32

// Tensor types. Ids 4 and 5 (Q4_2, Q4_3) were removed from ggml long ago and
// are unknown here.
const (
	TypeF32      Type = 0
	TypeF16      Type = 1
	TypeQ4_0     Type = 2
	TypeQ4_1     Type = 3
	TypeQ5_0     Type = 6
	TypeQ5_1     Type = 7
	TypeQ8_0     Type = 8
	TypeQ8_1     Type = 9
	TypeQ2_K     Type = 10
	TypeQ3_K     Type = 11
	TypeQ4_K     Type = 12
	TypeQ5_K     Type = 13
	TypeQ6_K     Type = 14
	TypeQ8_K     Type = 15
	TypeIQ2_XXS  Type = 16
	TypeIQ2_XS   Type = 17
	TypeIQ3_XXS  Type = 18
	TypeIQ1_S    Type = 19
	TypeIQ4_NL   Type = 20
	TypeIQ3_S    Type = 21
	TypeIQ2_S    Type = 22
	TypeIQ4_XS   Type = 23
	TypeI8       Type = 24
	TypeI16      Type = 25
	TypeI32      Type = 26
	TypeI64      Type = 27
	TypeF64      Type = 28
	TypeIQ1_M    Type = 29
	TypeBF16     Type = 30
	TypeQ4_0_4_4 Type = 31
	TypeQ4_0_4_8 Type = 32
	TypeQ4_0_8_8 Type = 33
	TypeTQ1_0    Type = 34
	TypeTQ2_0    Type = 35

	// TypeI2_S is bitnet.cpp's packed ternary type (docs/SEMANTICS.md §4): n/4
	// bytes of 2-bit codes, then a float32 scale and padding, n/4 + 32 bytes
	// in all.
	TypeI2_S Type = 36
	// TypeI8_S, TypeTL1 and TypeTL2 are bitnet.cpp types whose byte size is
	// not known here: they have names but Size rejects them, so files holding
	// them do not parse.
	TypeI8_S Type = 37
	TypeTL1  Type = 38
	TypeTL2  Type = 39

	// TypeT5_S is this project's ternary type of five values per byte
	// (docs/SEMANTICS.md §4b): n/5 bytes of 32-byte blocks of 160 values,
	// then the float32 scale and padding as I2_S has them, n/5 + 32 bytes in
	// all. The id is far above every ggml fork's (upstream's and
	// bitnet.cpp's below 41, ik_llama.cpp's below 400), which therefore
	// reject the file as having an unknown type.
	TypeT5_S Type = 5005
	// TypeT3_S is this project's ternary type of three values per 5-bit
	// code (docs/SEMANTICS.md §4c): n/96 groups of 20 bytes, then the
	// float32 scale and padding as I2_S has them, n/96·20 + 32 bytes in
	// all. Its id, like T5_S's, is one no ggml fork uses.
	TypeT3_S Type = 5006
)

type typeTraits struct {
	name      string
	blockSize uint64 // elements per block; 0: size unknown
	typeSize  uint64 // bytes per block
}

var typeTable = map[Type]typeTraits{
	TypeF32:      {"F32", 1, 4},
	TypeF16:      {"F16", 1, 2},
	TypeQ4_0:     {"Q4_0", 32, 18},
	TypeQ4_1:     {"Q4_1", 32, 20},
	TypeQ5_0:     {"Q5_0", 32, 22},
	TypeQ5_1:     {"Q5_1", 32, 24},
	TypeQ8_0:     {"Q8_0", 32, 34},
	TypeQ8_1:     {"Q8_1", 32, 36},
	TypeQ2_K:     {"Q2_K", 256, 84},
	TypeQ3_K:     {"Q3_K", 256, 110},
	TypeQ4_K:     {"Q4_K", 256, 144},
	TypeQ5_K:     {"Q5_K", 256, 176},
	TypeQ6_K:     {"Q6_K", 256, 210},
	TypeQ8_K:     {"Q8_K", 256, 292},
	TypeIQ2_XXS:  {"IQ2_XXS", 256, 66},
	TypeIQ2_XS:   {"IQ2_XS", 256, 74},
	TypeIQ3_XXS:  {"IQ3_XXS", 256, 98},
	TypeIQ1_S:    {"IQ1_S", 256, 50},
	TypeIQ4_NL:   {"IQ4_NL", 32, 18},
	TypeIQ3_S:    {"IQ3_S", 256, 110},
	TypeIQ2_S:    {"IQ2_S", 256, 82},
	TypeIQ4_XS:   {"IQ4_XS", 256, 136},
	TypeI8:       {"I8", 1, 1},
	TypeI16:      {"I16", 1, 2},
	TypeI32:      {"I32", 1, 4},
	TypeI64:      {"I64", 1, 8},
	TypeF64:      {"F64", 1, 8},
	TypeIQ1_M:    {"IQ1_M", 256, 56},
	TypeBF16:     {"BF16", 1, 2},
	TypeQ4_0_4_4: {"Q4_0_4_4", 32, 18},
	TypeQ4_0_4_8: {"Q4_0_4_8", 32, 18},
	TypeQ4_0_8_8: {"Q4_0_8_8", 32, 18},
	TypeTQ1_0:    {"TQ1_0", 256, 54},
	TypeTQ2_0:    {"TQ2_0", 256, 66},
	TypeI2_S:     {"I2_S", 4, 1}, // special-cased in Size
	TypeI8_S:     {"I8_S", 0, 0},
	TypeTL1:      {"TL1", 0, 0},
	TypeTL2:      {"TL2", 0, 0},
	TypeT5_S:     {"T5_S", 160, 32}, // special-cased in Size
	TypeT3_S:     {"T3_S", 96, 20},  // special-cased in Size
}

// i2sTrailer is the bytes after an I2_S tensor's packed codes: the float32
// scale and padding (docs/SEMANTICS.md §4, §5).
const i2sTrailer = 32

// String returns ggml's name for t ("F32", "Q8_0", "I2_S"), or "Type(N)" for
// an id not known here.
func (t Type) String() string {
	if tr, ok := typeTable[t]; ok {
		return tr.name
	}
	return "Type(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// Known reports whether t is a type id this package has a name for. A known
// type may still be unsizable (I8_S, TL1, TL2).
func (t Type) Known() bool {
	_, ok := typeTable[t]
	return ok
}

// BlockSize returns the number of elements in one block of t (1 for plain
// types, 4 for I2_S), or 0 if t's size is unknown.
func (t Type) BlockSize() uint64 { return typeTable[t].blockSize }

// Size returns the byte size of n elements of type t. For I2_S that is
// n/4 + 32 (docs/SEMANTICS.md §5), for T5_S n/5 + 32 (§4b, n a multiple of
// 160), for T3_S n/96·20 + 32 (§4c, n a multiple of 96); for every other type n/blockSize·typeSize. It fails if t is unknown
// or unsizable, if n is not a multiple of the block size, or if the result
// overflows uint64.
func (t Type) Size(n uint64) (uint64, error) {
	tr, ok := typeTable[t]
	if !ok {
		return 0, fmt.Errorf("unknown tensor type id %d", uint32(t))
	}
	if tr.blockSize == 0 {
		return 0, fmt.Errorf("tensor type %s (id %d) is unsupported: its byte size is unknown", tr.name, uint32(t))
	}
	if n%tr.blockSize != 0 {
		return 0, fmt.Errorf("tensor type %s: %d elements is not a multiple of the block size %d", tr.name, n, tr.blockSize)
	}
	hi, lo := bits.Mul64(n/tr.blockSize, tr.typeSize)
	if hi != 0 {
		return 0, fmt.Errorf("tensor type %s: byte size of %d elements overflows", tr.name, n)
	}
	if t == TypeI2_S || t == TypeT5_S || t == TypeT3_S {
		s, carry := bits.Add64(lo, i2sTrailer, 0)
		if carry != 0 {
			return 0, fmt.Errorf("tensor type %s: byte size of %d elements overflows", tr.name, n)
		}
		lo = s
	}
	return lo, nil
}

// elements returns the product of dims after checking the shape rules: 1 to
// MaxDims dimensions, each at least 1, product at most maxElements.
func elements(dims []uint64) (uint64, error) {
	if len(dims) == 0 || len(dims) > MaxDims {
		return 0, fmt.Errorf("%d dimensions, want 1 to %d", len(dims), MaxDims)
	}
	n := uint64(1)
	for i, d := range dims {
		if d == 0 {
			return 0, fmt.Errorf("dimension %d is 0", i)
		}
		hi, lo := bits.Mul64(n, d)
		if hi != 0 || lo > maxElements {
			return 0, fmt.Errorf("dimensions %v: element count overflows int64", dims)
		}
		n = lo
	}
	return n, nil
}

// dimsClass classifies an elements error: a zero dimension is invalid, an
// element count that overflows is too large.
func dimsClass(dims []uint64) error {
	for _, d := range dims {
		if d == 0 {
			return ErrInvalid
		}
	}
	return ErrTooLarge
}

// sizeClass classifies a Size error for n elements of t.
func sizeClass(t Type, n uint64) error {
	switch tr, ok := typeTable[t]; {
	case !ok || tr.blockSize == 0:
		return ErrUnknownType
	case n%tr.blockSize != 0:
		return ErrInvalid
	}
	return ErrTooLarge
}
