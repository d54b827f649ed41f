//go:build !amd64 || purego

package kernel

func hasPrefetchVariants() bool { return false }
