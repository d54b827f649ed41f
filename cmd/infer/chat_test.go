package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// synthLlama3 writes scripts/synth's tiny-llama3 checkpoint (tiny_a's
// layers, LLaMA 3's vocabulary and tokenizer) and converts it.
func synthLlama3(t *testing.T, dir string) string {
	t.Helper()
	ckpt := filepath.Join(dir, "ckpt")
	if out, err := exec.Command("go", "run", "../../scripts/synth", "--preset", "tiny-llama3", "--out", ckpt).CombinedOutput(); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	path := filepath.Join(dir, "tl3.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: ckpt, OutFile: path}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestChatTurnsEqualOneRun: a three-turn chat, each turn prefilled on top
// of the conversation's KV cache, gives (greedy) the same reply tokens as
// one run of the whole conversation's tokens from an empty cache; and the
// CLI's scripted chat (turns on stdin) prints those replies, the last one
// equal to a --prompt-ids run of the concatenated conversation. (Text
// through -p would re-tokenize the replies, which a random-weight model
// makes differently from how it generated them; the token sequence is the
// concatenated template.)
func TestChatTurnsEqualOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 74 MB model")
	}
	dir := t.TempDir()
	path := synthLlama3(t, dir)
	m, err := model.Open(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	tok, err := tokenizer.FromGGUF(m.File())
	if err != nil {
		t.Fatal(err)
	}
	const n, system = 6, "Answer briefly."
	turns := []string{"Hello there", "What is the capital of France?", "And of Italy?"}
	opts := model.GenerateOptions{MaxTokens: n, Stop: stopTokens(m, tok)}
	st, err := m.NewState(0)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := newChat(m, tok, st, opts, system)
	if err != nil {
		t.Fatal(err)
	}
	var replies [][]int
	var prefixes [][]int
	for _, u := range turns {
		var reply []int
		before := len(ch.seq)
		ids, _ := ch.turnTokens(u)
		prefixes = append(prefixes, append(append([]int(nil), ch.seq...), ids...))
		if _, err := ch.turn(context.Background(), u, func(id int) { reply = append(reply, id) }); err != nil {
			t.Fatal(err)
		}
		if len(ch.seq) != before+len(ids)+len(reply) {
			t.Fatalf("conversation grew by %d tokens, want %d", len(ch.seq)-before, len(ids)+len(reply))
		}
		replies = append(replies, reply)
	}
	// The concatenation is the chat format of the whole conversation.
	var msgs []tokenizer.Message
	msgs = append(msgs, tokenizer.Message{Role: "system", Content: system})
	for i, u := range turns[:2] {
		msgs = append(msgs, tokenizer.Message{Role: "user", Content: u}, tokenizer.Message{Role: "assistant", Content: "\x00" + strconv.Itoa(i)})
	}
	msgs = append(msgs, tokenizer.Message{Role: "user", Content: turns[2]})
	tmpl, err := tokenizer.FormatChat(msgs, "")
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	parts := strings.Split(tmpl, "\x00")
	for i, p := range parts {
		if i > 0 {
			want = append(want, replies[i-1]...)
			p = p[1:] // the reply's index digit
		}
		want = append(want, tok.Encode(p, i == 0)...)
	}
	if got := prefixes[2]; !slicesEqual(got, want) {
		t.Fatalf("conversation tokens\n%v\nare not the chat format of the whole conversation\n%v", got, want)
	}
	for i, prefix := range prefixes {
		var one []int
		o := opts
		o.OnToken = func(id int) bool { one = append(one, id); return true }
		s, err := m.NewState(0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Generate(context.Background(), s, prefix, o)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !slicesEqual(one, replies[i]) {
			t.Fatalf("turn %d: chat reply %v, one run of the %d-token conversation %v", i+1, replies[i], len(prefix), one)
		}
	}

	bin := filepath.Join(dir, "infer")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-m", path, "--chat", "--system", system, "--temp", "0", "-n", strconv.Itoa(n))
	cmd.Stdin = strings.NewReader(strings.Join(turns, "\n") + "\n")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripted chat: %v\n%s", err, stderr.String())
	}
	wantOut := tok.Decode(replies[0]) + "\n" + tok.Decode(replies[1]) + "\n" + tok.Decode(replies[2]) + "\n"
	if string(out) != wantOut {
		t.Fatalf("scripted chat printed %q, want %q", out, wantOut)
	}
	if c := strings.Count(stderr.String(), "tok/s | context"); c != 3 {
		t.Fatalf("want one end-of-reply line per turn, got %d:\n%s", c, stderr.String())
	}
	ids := make([]string, len(prefixes[2]))
	for i, id := range prefixes[2] {
		ids[i] = strconv.Itoa(id)
	}
	out, err = exec.Command(bin, "-m", path, "--prompt-ids", strings.Join(ids, ","), "--temp", "0", "-n", strconv.Itoa(n)).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != tok.Decode(replies[2])+"\n" {
		t.Fatalf("--prompt-ids run of the conversation printed %q, the chat's third reply was %q", out, tok.Decode(replies[2]))
	}
	// /exit ends the session; later lines are not read as turns.
	cmd = exec.Command(bin, "-m", path, "--chat", "--temp", "0", "-n", "2")
	cmd.Stdin = strings.NewReader("hi\n/exit\nnot a turn\n")
	stderr.Reset()
	cmd.Stderr = &stderr
	if _, err := cmd.Output(); err != nil || strings.Count(stderr.String(), "tok/s | context") != 1 {
		t.Fatalf("/exit: %v\n%s", err, stderr.String())
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
