package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// chat is an interactive conversation: each user turn is appended to the
// same sequence, so the KV cache holds the whole conversation and a turn
// only prefills its own tokens. The sequence is exactly the chat format of
// all messages so far (tokenizer.FormatChat): BOS, the system and first
// user turn, each reply, then per later turn <|eot_id|> closing the reply
// and "User: ...<|eot_id|>Assistant: ".
type chat struct {
	m      *model.Model
	tok    *tokenizer.Tokenizer
	st     *model.State
	opts   model.GenerateOptions
	tmpl   string
	system string
	addBOS bool
	eot    int
	// seq is every token fed so far plus the replies, for tests.
	seq []int
}

func newChat(m *model.Model, tok *tokenizer.Tokenizer, st *model.State, opts model.GenerateOptions, system string) (*chat, error) {
	tmpl, _ := m.File().String("tokenizer.chat_template")
	eot, ok := tok.TokenID("<|eot_id|>")
	if !ok {
		return nil, fmt.Errorf("--chat: the tokenizer has no <|eot_id|> token to end a turn")
	}
	addBOS := true
	if v, err := m.File().Bool("tokenizer.ggml.add_bos_token"); err == nil {
		addBOS = v
	}
	if _, err := tokenizer.FormatChat(nil, tmpl); err != nil {
		return nil, err
	}
	return &chat{m: m, tok: tok, st: st, opts: opts, tmpl: tmpl, system: system, addBOS: addBOS, eot: eot}, nil
}

// turnTokens are the tokens that add user's turn to the conversation.
func (ch *chat) turnTokens(user string) ([]int, error) {
	var msgs []tokenizer.Message
	first := ch.st.Pos() == 0
	if first && ch.system != "" {
		msgs = append(msgs, tokenizer.Message{Role: "system", Content: ch.system})
	}
	msgs = append(msgs, tokenizer.Message{Role: "user", Content: user})
	text, err := tokenizer.FormatChat(msgs, ch.tmpl)
	if err != nil {
		return nil, err
	}
	if first {
		return ch.tok.Encode(text, ch.addBOS), nil
	}
	return append([]int{ch.eot}, ch.tok.Encode(text, false)...), nil
}

// turn runs one user turn, streaming the reply's tokens to onToken.
func (ch *chat) turn(ctx context.Context, user string, onToken func(int)) (model.Stats, error) {
	ids, err := ch.turnTokens(user)
	if err != nil {
		return model.Stats{}, err
	}
	if ch.st.Pos()+len(ids) >= ch.st.Context() {
		return model.Stats{Stop: model.StopContext}, fmt.Errorf("the conversation is full: %d tokens of %d used, this turn needs %d more (start again, with a larger -c if the model allows)", ch.st.Pos(), ch.st.Context(), len(ids))
	}
	ch.seq = append(ch.seq, ids...)
	opts := ch.opts
	opts.OnToken = func(id int) bool {
		ch.seq = append(ch.seq, id)
		onToken(id)
		return true
	}
	return ch.m.Generate(ctx, ch.st, ids, opts)
}

// run reads one user turn per line from in until EOF (Ctrl-D) or "/exit",
// streaming replies to out and a line per reply to errOut. Ctrl-C stops
// the reply being generated; at the prompt it quits. With a terminal, a
// "> " prompt is shown.
func (ch *chat) run(in io.Reader, out, errOut io.Writer, terminal bool) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if terminal {
		fmt.Fprintln(errOut, "chat: one line per turn; Ctrl-C stops a reply, Ctrl-D or /exit quits")
	}
	for {
		if terminal {
			fmt.Fprint(errOut, "> ")
		}
		var line string
		select {
		case l, ok := <-lines:
			if !ok {
				return nil
			}
			line = strings.TrimSpace(l)
		case <-sig:
			fmt.Fprintln(errOut)
			return nil
		}
		if line == "/exit" || line == "/quit" {
			return nil
		}
		if line == "" {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			select {
			case <-sig:
				cancel()
			case <-done:
			}
		}()
		p := newPrinter(ch.tok, out)
		stats, err := ch.turn(ctx, line, p.token)
		close(done)
		cancel()
		p.flush()
		if err != nil && stats.Stop != model.StopCanceled {
			return err
		}
		fmt.Fprintf(errOut, "[%s | %d tokens, %.1f tok/s | context %d/%d]\n", stopNote(stats, ch.tok, ch.st), stats.Generated, stats.GenTPS(), ch.st.Pos(), ch.st.Context())
		if stats.Stop == model.StopContext {
			return fmt.Errorf("the conversation filled the context (%d tokens)", ch.st.Context())
		}
	}
}
