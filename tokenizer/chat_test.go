package tokenizer

import "testing"

func TestFormatChat(t *testing.T) {
	got, err := FormatChat([]Message{{"system", "Be brief."}, {"user", "Hi"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "System: Be brief.<|eot_id|>User: Hi<|eot_id|>Assistant: "; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	llama3 := "{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n{{ m.content }}<|eot_id|>{% endfor %}"
	if _, err := FormatChat([]Message{{"user", "Hi"}}, llama3); err == nil {
		t.Fatal("LLaMA 3 template accepted as BitNet's")
	}
}
