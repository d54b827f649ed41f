package hf

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bitnet-go/bitnet/internal/regfile"
)

// File names of a Hugging Face model directory.
const (
	ConfigFile      = "config.json"
	SingleFile      = "model.safetensors"
	IndexFile       = "model.safetensors.index.json"
	TokenizerFile   = "tokenizer.json"
	TokenizerConfig = "tokenizer_config.json"
)

// Size caps of the JSON side files.
const (
	MaxConfigSize          = 1 << 20  // config.json
	MaxIndexSize           = 64 << 20 // model.safetensors.index.json
	MaxTokenizerSize       = 64 << 20 // tokenizer.json
	MaxTokenizerConfigSize = 16 << 20 // tokenizer_config.json, chat_template.*
)

// Index is a parsed model.safetensors.index.json.
type Index struct {
	// WeightMap maps every tensor name to the shard file holding it.
	WeightMap map[string]string
	// TotalSize is metadata.total_size, or -1 when absent. It is
	// informational: writers disagree on what it counts, so it is not checked.
	TotalSize int64
}

// ParseIndex parses and validates a model.safetensors.index.json. The
// weight_map must be a non-empty object without duplicate keys whose values
// are plain file names (no directories, no "..") ending in ".safetensors".
func ParseIndex(data []byte) (*Index, error) {
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("%s: %d bytes exceeds the cap of %d", IndexFile, len(data), MaxIndexSize)
	}
	entries, err := decodeObject(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", IndexFile, err)
	}
	ix := &Index{TotalSize: -1}
	var wm json.RawMessage
	for _, e := range entries {
		switch e.key {
		case "weight_map":
			wm = e.value
		case "metadata":
			var md map[string]json.RawMessage
			if err := json.Unmarshal(e.value, &md); err != nil {
				return nil, fmt.Errorf("%s: metadata is not an object", IndexFile)
			}
			if ts, ok := md["total_size"]; ok && !isNull(ts) {
				var v float64 // some writers emit 1.0e9-style numbers
				if err := json.Unmarshal(ts, &v); err != nil || v < 0 || v > 1<<62 {
					return nil, fmt.Errorf("%s: metadata.total_size is not a non-negative number", IndexFile)
				}
				ix.TotalSize = int64(v)
			}
		}
	}
	if wm == nil || isNull(wm) {
		return nil, fmt.Errorf("%s: no weight_map", IndexFile)
	}
	wmEntries, err := decodeObject(wm)
	if err != nil {
		return nil, fmt.Errorf("%s: weight_map: %w", IndexFile, err)
	}
	if len(wmEntries) == 0 {
		return nil, fmt.Errorf("%s: weight_map is empty", IndexFile)
	}
	ix.WeightMap = make(map[string]string, len(wmEntries))
	for _, e := range wmEntries {
		if e.key == "" {
			return nil, fmt.Errorf("%s: weight_map has an empty tensor name", IndexFile)
		}
		var shard string
		if err := json.Unmarshal(e.value, &shard); err != nil {
			return nil, fmt.Errorf("%s: weight_map[%q] is not a string", IndexFile, e.key)
		}
		if err := checkShardName(shard); err != nil {
			return nil, fmt.Errorf("%s: weight_map[%q]: %w", IndexFile, e.key, err)
		}
		ix.WeightMap[e.key] = shard
	}
	return ix, nil
}

func checkShardName(s string) error {
	switch {
	case s == "" || s == "." || s == "..":
		return fmt.Errorf("invalid shard file name %q", s)
	case strings.ContainsAny(s, "/\\\x00") || filepath.IsAbs(s) || filepath.VolumeName(s) != "":
		return fmt.Errorf("shard file name %q must be a plain file name in the model directory", s)
	case !strings.HasSuffix(s, ".safetensors"):
		return fmt.Errorf("shard file name %q does not end in .safetensors", s)
	}
	return nil
}

// Shards returns the distinct shard file names of the index, sorted.
func (ix *Index) Shards() []string {
	set := make(map[string]bool)
	for _, s := range ix.WeightMap {
		set[s] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// WriteIndex writes a model.safetensors.index.json for weightMap (tensor
// name → shard file name) with keys sorted, as Hugging Face writes it.
func WriteIndex(w io.Writer, weightMap map[string]string, totalSize int64) error {
	for name, shard := range weightMap {
		if name == "" {
			return errors.New("WriteIndex: empty tensor name")
		}
		if err := checkShardName(shard); err != nil {
			return fmt.Errorf("WriteIndex: tensor %q: %w", name, err)
		}
	}
	doc := struct {
		Metadata  map[string]int64  `json:"metadata"`
		WeightMap map[string]string `json:"weight_map"`
	}{map[string]int64{"total_size": totalSize}, weightMap}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// openRegular opens path, which must be a regular file (regfile.Open: a
// FIFO, device or directory is refused without blocking), and stats it. A
// missing file is reported with an error satisfying errors.Is(err,
// fs.ErrNotExist).
func openRegular(path string) (*os.File, os.FileInfo, error) {
	return regfile.Open(path)
}

// readCapped reads the regular file at path, failing if it is larger than
// limit. A missing file is reported with an error satisfying
// errors.Is(err, fs.ErrNotExist).
func readCapped(path string, limit int64) ([]byte, error) {
	return regfile.ReadFile(path, limit)
}

// checkDir reports a missing or non-directory model path plainly, before
// the file-level errors that would otherwise blame a file inside it.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("model directory %s does not exist", dir)
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory (give the Hugging Face model directory)", dir)
	}
	return nil
}
