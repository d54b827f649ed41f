package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/integrity"
)

// checkIntegrity verifies the checksums convert stores in a GGUF file
// (package internal/integrity) and prints one line per tensor, one for the
// metadata and one per padding problem to w. It returns false when the file
// is corrupt, including when it does not parse; a file without checksums
// is reported as such and passes.
func checkIntegrity(w io.Writer, path string) (bool, error) {
	f, err := gguf.Open(path)
	var fe *gguf.FormatError
	if errors.As(err, &fe) {
		fmt.Fprintf(w, "integrity: %s is corrupt or not a GGUF file: %v\n", path, err)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	probs, err := integrity.Check(f)
	if errors.Is(err, integrity.ErrNoChecksums) {
		fmt.Fprintf(w, "integrity: %s has no checksums (not written by bitnet-go convert): not checked\n", path)
		return true, nil
	}
	if err != nil {
		return false, err
	}
	byTensor := map[string][]integrity.Problem{}
	var meta, other []integrity.Problem
	for _, p := range probs {
		switch p.Region {
		case integrity.Tensor:
			byTensor[p.Tensor] = append(byTensor[p.Tensor], p)
		case integrity.Metadata:
			meta = append(meta, p)
		default:
			other = append(other, p)
		}
	}
	line := func(name string, ps []integrity.Problem) {
		if len(ps) == 0 {
			fmt.Fprintf(w, "  ok       %s\n", name)
			return
		}
		for _, p := range ps {
			fmt.Fprintf(w, "  CORRUPT  %s: %s (bytes %d..%d)\n", name, p.Msg, p.Offset, p.End)
		}
	}
	tensors := f.Tensors()
	fmt.Fprintf(w, "integrity of %s: metadata and %d tensors (SHA-256)\n", path, len(tensors))
	line("metadata", meta)
	for _, t := range tensors {
		line(t.Name, byTensor[t.Name])
	}
	for _, p := range other {
		fmt.Fprintf(w, "  CORRUPT  %s: %s (bytes %d..%d)\n", p.Name(), p.Msg, p.Offset, p.End)
	}
	if len(probs) > 0 {
		fmt.Fprintf(w, "integrity: %s is CORRUPT: %d problem(s)\n", path, len(probs))
		return false, nil
	}
	fmt.Fprintf(w, "integrity: %s is intact\n", path)
	return true, nil
}
