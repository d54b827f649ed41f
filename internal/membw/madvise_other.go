//go:build unix && !linux

package membw

func adviseHugePages([]byte) {}
