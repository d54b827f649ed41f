//go:build !unix

package gguf

func allocAnon(n int) ([]byte, func([]byte)) { return make([]byte, n), func([]byte) {} }
