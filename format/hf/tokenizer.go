package hf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// ReadTokenizerJSON returns the raw bytes of dir/tokenizer.json (at most
// MaxTokenizerSize) and true, or nil and false when there is none.
func ReadTokenizerJSON(dir string) ([]byte, bool, error) {
	b, err := readCapped(filepath.Join(dir, TokenizerFile), MaxTokenizerSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// TokenizerSettings is what this project needs from tokenizer_config.json.
type TokenizerSettings struct {
	// ChatTemplate is the Jinja chat template: tokenizer_config.json's
	// chat_template (a string, or a list of {name, template} from which
	// "default", else the first, is taken), else chat_template.jinja, else
	// chat_template.json's chat_template. Empty when none has one.
	ChatTemplate string
	// AddBOSToken is add_bos_token, nil when absent.
	AddBOSToken *bool
	// AddEOSToken is add_eos_token, nil when absent.
	AddEOSToken *bool
	// BOSToken and EOSToken are bos_token / eos_token (a string or an
	// added-token object's content), empty when absent.
	BOSToken, EOSToken string
}

// ReadTokenizerConfig reads dir/tokenizer_config.json and the newer
// stand-alone chat template files (chat_template.jinja, chat_template.json).
// ok is false when none of them exists.
func ReadTokenizerConfig(dir string) (settings *TokenizerSettings, ok bool, err error) {
	s := &TokenizerSettings{}
	b, err := readCapped(filepath.Join(dir, TokenizerConfig), MaxTokenizerConfigSize)
	switch {
	case err == nil:
		if s, err = ParseTokenizerConfig(b); err != nil {
			return nil, false, fmt.Errorf("%s: %w", filepath.Join(dir, TokenizerConfig), err)
		}
		ok = true
	case !errors.Is(err, fs.ErrNotExist):
		return nil, false, err
	}
	if s.ChatTemplate == "" {
		b, err := readCapped(filepath.Join(dir, "chat_template.jinja"), MaxTokenizerConfigSize)
		switch {
		case err == nil:
			s.ChatTemplate, ok = string(b), true
		case !errors.Is(err, fs.ErrNotExist):
			return nil, false, err
		}
	}
	if s.ChatTemplate == "" {
		path := filepath.Join(dir, "chat_template.json")
		b, err := readCapped(path, MaxTokenizerConfigSize)
		switch {
		case err == nil:
			var doc struct {
				ChatTemplate json.RawMessage `json:"chat_template"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				return nil, false, fmt.Errorf("%s: %w", path, err)
			}
			if s.ChatTemplate, err = chatTemplate(doc.ChatTemplate); err != nil {
				return nil, false, fmt.Errorf("%s: %w", path, err)
			}
			ok = true
		case !errors.Is(err, fs.ErrNotExist):
			return nil, false, err
		}
	}
	return s, ok, nil
}

// ParseTokenizerConfig parses a tokenizer_config.json.
func ParseTokenizerConfig(data []byte) (*TokenizerSettings, error) {
	if len(data) > MaxTokenizerConfigSize {
		return nil, fmt.Errorf("%d bytes exceeds the cap of %d", len(data), MaxTokenizerConfigSize)
	}
	var doc struct {
		ChatTemplate json.RawMessage `json:"chat_template"`
		AddBOSToken  *bool           `json:"add_bos_token"`
		AddEOSToken  *bool           `json:"add_eos_token"`
		BOSToken     json.RawMessage `json:"bos_token"`
		EOSToken     json.RawMessage `json:"eos_token"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	s := &TokenizerSettings{AddBOSToken: doc.AddBOSToken, AddEOSToken: doc.AddEOSToken}
	var err error
	if s.ChatTemplate, err = chatTemplate(doc.ChatTemplate); err != nil {
		return nil, err
	}
	s.BOSToken = tokenContent(doc.BOSToken)
	s.EOSToken = tokenContent(doc.EOSToken)
	return s, nil
}

// chatTemplate decodes a chat_template value: absent or null, a string, or
// a list of {name, template}.
func chatTemplate(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || isNull(raw) {
		return "", nil
	}
	if raw[0] == '[' {
		var list []struct {
			Name     string `json:"name"`
			Template string `json:"template"`
		}
		if err := json.Unmarshal(raw, &list); err != nil {
			return "", errors.New("chat_template must be a string or a list of {name, template}")
		}
		for _, t := range list {
			if t.Name == "default" {
				return t.Template, nil
			}
		}
		if len(list) > 0 {
			return list[0].Template, nil
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errors.New("chat_template must be a string or a list of {name, template}")
	}
	return s, nil
}

// tokenContent decodes a special-token value: a string or an AddedToken
// object {"content": ...}; anything else yields "".
func tokenContent(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Content string `json:"content"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Content
	}
	return ""
}
