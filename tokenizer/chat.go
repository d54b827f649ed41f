package tokenizer

import (
	"fmt"
	"strings"
)

// Message is one chat turn.
type Message struct {
	Role    string // "system", "user", "assistant"
	Content string
}

// FormatChat renders messages with the BitNet b1.58 chat format
// (docs/SEMANTICS.md §3): "Role: content<|eot_id|>" per message, role names
// capitalized, then "Assistant: " to prompt the reply. BOS is not included:
// Encode adds it.
//
// template is the file's tokenizer.chat_template; "" or a template of the
// BitNet family is rendered as above, anything else is refused by name so
// a wrong prompt format never passes silently.
func FormatChat(messages []Message, template string) (string, error) {
	if template != "" && !IsBitNetTemplate(template) {
		return "", fmt.Errorf("unrecognized chat template (%.60q...): only the BitNet \"Role: content<|eot_id|>\" format is supported; pass a raw prompt without --chat", template)
	}
	var b strings.Builder
	for _, m := range messages {
		if m.Role == "" {
			return "", fmt.Errorf("chat message without a role")
		}
		b.WriteString(strings.ToUpper(m.Role[:1]) + m.Role[1:])
		b.WriteString(": ")
		b.WriteString(m.Content)
		b.WriteString("<|eot_id|>")
	}
	b.WriteString("Assistant: ")
	return b.String(), nil
}

// IsBitNetTemplate reports whether a Jinja chat template renders BitNet's
// "Role: content<|eot_id|>" turns.
func IsBitNetTemplate(t string) bool {
	return strings.Contains(t, "<|eot_id|>") && strings.Contains(t, "Assistant: ") && !strings.Contains(t, "<|start_header_id|>")
}
