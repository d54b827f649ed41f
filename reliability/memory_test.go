package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/internal/limits"
	"github.com/bitnet-go/bitnet/internal/sysmem"
	"github.com/bitnet-go/bitnet/model"
)

// TestHugeContextSmallFile: a few-MB file our convert writes from a
// plausible config (max_position_embeddings 2^20, 128 layers) claims a
// context whose KV cache is 64 GiB. A run is sized from what it needs
// (prompt + new tokens) and works; asking for the whole context is an
// error naming the bytes and -c when the memory is not there, never a
// fatal "out of memory".
func TestHugeContextSmallFile(t *testing.T) {
	dir := t.TempDir()
	cfg := map[string]any{
		"architectures": []string{"BitNetForCausalLM"}, "model_type": "bitnet", "hidden_act": "relu2",
		"hidden_size": 64, "intermediate_size": 64, "num_hidden_layers": 128, "num_attention_heads": 1,
		"num_key_value_heads": 1, "vocab_size": microVocab, "max_position_embeddings": limits.MaxContext,
		"rms_norm_eps": 1e-5, "rope_theta": 500000.0, "bos_token_id": 1, "eos_token_id": 2, "tie_word_embeddings": true,
	}
	config, _ := json.Marshal(cfg)
	writeFile(t, filepath.Join(dir, hf.ConfigFile), config)
	var buf bytes.Buffer
	must(t, hf.WriteSafetensors(&buf, microTensors(t, config), map[string]string{"format": "pt"}))
	writeFile(t, filepath.Join(dir, hf.SingleFile), buf.Bytes())
	out := filepath.Join(t.TempDir(), "huge-ctx.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Open(out, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	const kv = uint64(128 * 2 * 64 * 4 << 20) // 64 GiB
	s, err := m.NewState(m.ContextFor(0, 3, 8))
	if err != nil {
		t.Fatalf("a run of 3 + 8 tokens: %v", err)
	}
	st, err := m.Generate(context.Background(), s, []int{1, 5, 7}, model.GenerateOptions{MaxTokens: 8})
	s.Close()
	if err != nil || st.Generated == 0 {
		t.Fatalf("generate: %v, %d tokens", err, st.Generated)
	}
	if avail, ok := sysmem.Available(); !ok || avail >= kv {
		t.Skipf("%d bytes available: the whole context fits here", avail)
	}
	s, err = m.NewState(0)
	if err == nil {
		s.Close()
		t.Fatal("a 64 GiB KV cache was reserved")
	}
	for _, want := range []string{"1048576 tokens", "68719476736 bytes", "infer -c"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
