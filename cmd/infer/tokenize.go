package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// loadTokenizer reads a tokenizer from a GGUF file or a tokenizer.json.
func loadTokenizer(path string) (*tokenizer.Tokenizer, error) {
	if strings.HasSuffix(path, ".json") {
		return tokenizer.FromJSONFile(path)
	}
	f, err := gguf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return tokenizer.FromGGUF(f)
}

func tokenize(c *cli.Context) error {
	if c.NArg() != 1 {
		return fmt.Errorf("want one TEXT argument, got %d", c.NArg())
	}
	tok, err := loadTokenizer(c.String("model"))
	if err != nil {
		return err
	}
	ids := tok.Encode(c.Args().First(), !c.Bool("no-bos"))
	if ids == nil {
		ids = []int{}
	}
	b, _ := json.Marshal(ids)
	fmt.Println(string(b))
	return nil
}

func detokenize(c *cli.Context) error {
	tok, err := loadTokenizer(c.String("model"))
	if err != nil {
		return err
	}
	var ids []int
	for _, a := range c.Args().Slice() {
		for _, f := range strings.FieldsFunc(a, func(r rune) bool { return r == ',' || r == ' ' || r == '[' || r == ']' }) {
			id, err := strconv.Atoi(f)
			if err != nil || id < 0 || id >= tok.VocabSize() {
				return fmt.Errorf("bad token id %q (vocabulary size %d)", f, tok.VocabSize())
			}
			ids = append(ids, id)
		}
	}
	fmt.Println(tok.Decode(ids))
	return nil
}
