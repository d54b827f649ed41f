package hf

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTokenizerFiles(t *testing.T) {
	dir := t.TempDir()
	if b, ok, err := ReadTokenizerJSON(dir); b != nil || ok || err != nil {
		t.Errorf("absent tokenizer.json: %v %v %v", b, ok, err)
	}
	if s, ok, err := ReadTokenizerConfig(dir); ok || err != nil || s.ChatTemplate != "" {
		t.Errorf("absent tokenizer_config.json: %+v %v %v", s, ok, err)
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(TokenizerFile, `{"model":{}}`)
	if b, ok, err := ReadTokenizerJSON(dir); string(b) != `{"model":{}}` || !ok || err != nil {
		t.Errorf("tokenizer.json: %q %v %v", b, ok, err)
	}

	write("chat_template.jinja", "JINJA")
	s, ok, err := ReadTokenizerConfig(dir)
	if !ok || err != nil || s.ChatTemplate != "JINJA" || s.AddBOSToken != nil {
		t.Errorf("jinja only: %+v %v %v", s, ok, err)
	}

	write(TokenizerConfig, `{"add_bos_token": true, "bos_token": {"content": "<|begin_of_text|>"}, "eos_token": "<|eot_id|>",
		"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]}`)
	s, ok, err = ReadTokenizerConfig(dir)
	if !ok || err != nil || s.ChatTemplate != "D" || s.AddBOSToken == nil || !*s.AddBOSToken ||
		s.BOSToken != "<|begin_of_text|>" || s.EOSToken != "<|eot_id|>" {
		t.Errorf("list template: %+v %v %v", s, ok, err)
	}

	for _, tc := range []struct{ json, want string }{
		{`{"chat_template": "S"}`, "S"},
		{`{"chat_template": [{"name": "a", "template": "A"}, {"name": "b", "template": "B"}]}`, "A"},
		{`{"chat_template": null}`, ""},
		{`{}`, ""},
	} {
		s, err := ParseTokenizerConfig([]byte(tc.json))
		if err != nil || s.ChatTemplate != tc.want {
			t.Errorf("%s: %+v %v", tc.json, s, err)
		}
	}
	for _, bad := range []string{`{"chat_template": 5}`, `{"chat_template": [1]}`, `[`} {
		if _, err := ParseTokenizerConfig([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}

	write(TokenizerConfig, `{"add_bos_token": false}`)
	os.Remove(filepath.Join(dir, "chat_template.jinja"))
	write("chat_template.json", `{"chat_template": "FROM_JSON"}`)
	s, ok, err = ReadTokenizerConfig(dir)
	if !ok || err != nil || s.ChatTemplate != "FROM_JSON" || s.AddBOSToken == nil || *s.AddBOSToken {
		t.Errorf("chat_template.json: %+v %v %v", s, ok, err)
	}
}
