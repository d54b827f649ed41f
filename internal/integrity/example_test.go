package integrity_test

import (
	"errors"
	"fmt"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/integrity"
)

// Check a file from the bad-input corpus in which one byte of a tensor's
// data was flipped, and one written without checksums.
func ExampleCheck() {
	for _, name := range []string{"valid", "flipped_tensor_byte", "no_checksums"} {
		f, err := gguf.Open("../../testdata/bad/gguf/" + name + ".gguf")
		if err != nil {
			fmt.Println(err)
			return
		}
		probs, err := integrity.Check(f)
		f.Close()
		switch {
		case errors.Is(err, integrity.ErrNoChecksums):
			fmt.Printf("%s: no checksums\n", name)
		case err != nil:
			fmt.Println(err)
		case len(probs) == 0:
			fmt.Printf("%s: intact\n", name)
		}
		for _, p := range probs {
			fmt.Printf("%s: %s is corrupt\n", name, p.Name())
		}
	}
	// Output:
	// valid: intact
	// flipped_tensor_byte: blk.0.attn_v.weight is corrupt
	// no_checksums: no checksums
}
