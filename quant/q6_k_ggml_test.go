package quant

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bitnet-go/bitnet/kernel"
)

// ggmlInput is 4096 blocks of four kinds: small Gaussians (embedding-like),
// Gaussians of magnitudes 1e-4..1e3, small integers (many ties and exact
// fits) and shifted exponentials.
func ggmlInput() []float32 {
	r := rand.New(rand.NewPCG(42, 1))
	x := make([]float32, 256*4096)
	for i := range x {
		switch i / 256 % 4 {
		case 0:
			x[i] = float32(r.NormFloat64() * 0.02)
		case 1:
			x[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(8)-4)))
		case 2:
			x[i] = float32(r.IntN(9) - 4)
		case 3:
			x[i] = float32(r.ExpFloat64() - 1)
		}
	}
	return x
}

// The digests are of what bitnet.cpp's libggml (its llama.cpp submodule,
// built by clang -O3 -march=native, the build that writes its files)
// produced from ggmlInput with quantize_row_q6_K_ref and
// quantize_row_q8_K_ref (block_q8_K bytes: d, qs, bsums), called from a C
// harness after ggml_init (testdata/ggml_q6k_harness.c). QuantizeQ6_K and kernel.QuantizeQ8_K write the
// same bytes, block for block; the fused multiply-adds of makeQxQuants
// (fma32) are needed for that: without them about 5% of the Q6_K blocks
// differ.
const (
	ggmlInputSHA = "c90929130927de6d509a6673ee17d04501152b201beda333aaa57e3eed8207a0"
	ggmlQ6_KSHA  = "e75dec79599ae7afcc175d096973ef3ab4eaed81d2bde646bc10de2df9f5b396"
	ggmlQ8_KSHA  = "588c8cbe9d60591130cb506df3f65a829c8f875f73913550c9bd0fac97e7863e"
)

func TestQuantizeQ6_KMatchesGGML(t *testing.T) {
	x := ggmlInput()
	raw := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	if got := sha256.Sum256(raw); hex.EncodeToString(got[:]) != ggmlInputSHA {
		t.Fatalf("the input is not the one ggml quantized (sha256 %x)", got)
	}
	q6 := make([]byte, Q6_KSize(len(x)))
	QuantizeQ6_K(q6, x)
	if got := sha256.Sum256(q6); hex.EncodeToString(got[:]) != ggmlQ6_KSHA {
		t.Errorf("Q6_K bytes differ from ggml's quantize_row_q6_K_ref (sha256 %x)", got)
	}
	q8 := kernel.NewQ8K(len(x))
	kernel.QuantizeQ8_K(q8, x)
	var blocks []byte
	for b := range q8.D {
		blocks = binary.LittleEndian.AppendUint32(blocks, math.Float32bits(q8.D[b]))
		for _, v := range q8.Q[256*b : 256*b+256] {
			blocks = append(blocks, byte(v))
		}
		for _, v := range q8.BSums[16*b : 16*b+16] {
			blocks = binary.LittleEndian.AppendUint16(blocks, uint16(v))
		}
	}
	if got := sha256.Sum256(blocks); hex.EncodeToString(got[:]) != ggmlQ8_KSHA {
		t.Errorf("Q8_K blocks differ from ggml's quantize_row_q8_K_ref (sha256 %x)", got)
	}
}
