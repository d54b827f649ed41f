package gguf

import "testing"

func TestT5SSize(t *testing.T) {
	if s, err := TypeT5_S.Size(2560 * 2560); err != nil || s != 2560*2560/5+32 {
		t.Errorf("T5_S size of 2560×2560: %d, %v", s, err)
	}
	if _, err := TypeT5_S.Size(2560*2560 + 5); err == nil {
		t.Error("T5_S size of a count not a multiple of 160: no error")
	}
	if TypeT5_S.String() != "T5_S" || !TypeT5_S.Known() || TypeT5_S.BlockSize() != 160 {
		t.Errorf("T5_S: %s %v %d", TypeT5_S, TypeT5_S.Known(), TypeT5_S.BlockSize())
	}
}
