package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const modulePath = "github.com/bitnet-go/bitnet"

// defaultTokenizer is the LLaMA 3 tokenizer.json the repository ships for
// its tokenizer tests, relative to the module root.
var defaultTokenizer = filepath.Join("tokenizer", "testdata", "tokenizer.json")

// findDefaultTokenizer looks for defaultTokenizer under the module root
// (found by walking up from the working directory), then relative to the
// working directory. It returns "" when there is none.
func findDefaultTokenizer() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; {
		if isModuleRoot(dir) {
			p := filepath.Join(dir, defaultTokenizer)
			if _, err := os.Stat(p); err == nil {
				return p
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if _, err := os.Stat(defaultTokenizer); err == nil {
		return defaultTokenizer
	}
	return ""
}

func isModuleRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == modulePath
		}
	}
	return false
}

// tokInfo is what the generator needs from a tokenizer.json.
type tokInfo struct {
	data     []byte
	bos, eos string // texts of the config's BOS and EOS ids ("" if unknown)
	eot      int    // id of <|eot_id|>, -1 if absent
	endTurn  string // what ends a chat turn: <|eot_id|>, else the EOS text
	size     int    // highest id + 1
}

// loadTokenizer reads o.Tokenizer, checks that its ids fit the vocabulary,
// and finds the special tokens. It returns nil when there is no tokenizer
// to copy.
func loadTokenizer(o Options, bos, eos int) (*tokInfo, error) {
	if o.Tokenizer == "" {
		return nil, nil
	}
	data, err := os.ReadFile(o.Tokenizer)
	if err != nil {
		if o.TokenizerOptional && errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(o.Log, "synth: no tokenizer at %s: writing none\n", o.Tokenizer)
			return nil, nil
		}
		return nil, err
	}
	var doc struct {
		Model struct {
			Vocab map[string]int `json:"vocab"`
		} `json:"model"`
		AddedTokens []struct {
			ID      int    `json:"id"`
			Content string `json:"content"`
		} `json:"added_tokens"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", o.Tokenizer, err)
	}
	text := make(map[int]string, len(doc.Model.Vocab)+len(doc.AddedTokens))
	for s, id := range doc.Model.Vocab {
		text[id] = s
	}
	t := &tokInfo{data: data, eot: -1}
	for _, a := range doc.AddedTokens {
		text[a.ID] = a.Content // added tokens take precedence
		if a.Content == "<|eot_id|>" {
			t.eot = a.ID
		}
	}
	for id := range text {
		t.size = max(t.size, id+1)
	}
	if t.size > o.Shape.Vocab {
		if o.TokenizerOptional {
			fmt.Fprintf(o.Log, "synth: the tokenizer's ids reach %d, past the vocabulary of %d: writing no tokenizer\n", t.size-1, o.Shape.Vocab)
			return nil, nil
		}
		return nil, fmt.Errorf("%s: token ids reach %d, past the vocabulary of %d (pass a matching --vocab)", o.Tokenizer, t.size-1, o.Shape.Vocab)
	}
	t.bos, t.eos = text[bos], text[eos]
	t.endTurn = t.eos
	if t.eot >= 0 {
		t.endTurn = "<|eot_id|>"
	}
	return t, nil
}

// chatTemplate renders BitNet 2B4T's chat format (docs/SEMANTICS.md §3):
// "Role: content<end of turn>" per message, then "Assistant: ". BOS comes
// from add_bos_token, not from the template.
func chatTemplate(endTurn string) string {
	return "{% for message in messages %}{{ message['role'] | capitalize }}: {{ message['content'] }}" +
		endTurn + "{% endfor %}Assistant: "
}

type tokenizerConfigDoc struct {
	AddBOSToken               bool     `json:"add_bos_token"`
	AddEOSToken               bool     `json:"add_eos_token"`
	BOSToken                  string   `json:"bos_token,omitempty"`
	ChatTemplate              string   `json:"chat_template"`
	CleanUpTokenizationSpaces bool     `json:"clean_up_tokenization_spaces"`
	EOSToken                  string   `json:"eos_token,omitempty"`
	ModelInputNames           []string `json:"model_input_names"`
	ModelMaxLength            int      `json:"model_max_length"`
	TokenizerClass            string   `json:"tokenizer_class"`
}

// config returns the tokenizer_config.json document.
func (t *tokInfo) config(ctx int) tokenizerConfigDoc {
	return tokenizerConfigDoc{
		AddBOSToken:               true,
		BOSToken:                  t.bos,
		ChatTemplate:              chatTemplate(t.endTurn),
		CleanUpTokenizationSpaces: true,
		EOSToken:                  t.endTurn,
		ModelInputNames:           []string{"input_ids", "attention_mask"},
		ModelMaxLength:            ctx,
		TokenizerClass:            "PreTrainedTokenizerFast",
	}
}
