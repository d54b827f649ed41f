package hf

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/bitnet-go/bitnet/internal/mmap"
)

// TensorInfo describes one tensor of a checkpoint.
type TensorInfo struct {
	Name   string
	Dtype  string // safetensors dtype: "BF16", "F32", "U8", ...
	Shape  []int
	Shard  string // file name inside the model directory
	Offset int64  // absolute byte offset of the data in Shard
	Size   int64  // data size in bytes
}

// NumElements is the product of Shape (1 for a scalar).
func (t TensorInfo) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Checkpoint is an open Hugging Face safetensors checkpoint: a single
// model.safetensors or the shards of model.safetensors.index.json, each
// mapped read-only. Nothing is read until a tensor is asked for. Its
// methods may be called concurrently, except Close.
type Checkpoint struct {
	dir     string
	index   *Index // nil for a single file
	shards  []*shard
	tensors map[string]*entry
	names   []string
	closed  atomic.Bool
}

type shard struct {
	name    string
	data    []byte // the whole file, mapped (or read where mapping fails)
	mapped  bool
	release func() error
	hdr     *header
}

// releasePages lets the kernel drop the pages of sh's bytes [begin, end)
// when they are a file mapping (a later access reads them back).
func (sh *shard) releasePages(begin, end int) {
	if sh.mapped {
		mmap.Release(sh.data, begin, end)
	}
}

type entry struct {
	shard      *shard
	info       TensorInfo
	begin, end int // absolute offsets into shard.data
}

// Open opens the checkpoint in dir. With model.safetensors.index.json it
// opens every shard the index lists and checks both ways that the index and
// the shards agree (every indexed tensor is in its shard, every shard tensor
// is indexed to that shard); without it, it opens model.safetensors. Every
// header is validated (see the package documentation).
func Open(dir string) (*Checkpoint, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	c := &Checkpoint{dir: dir, tensors: make(map[string]*entry)}
	ok := false
	defer func() {
		if !ok {
			c.Close()
		}
	}()
	indexPath := filepath.Join(dir, IndexFile)
	data, err := readCapped(indexPath, MaxIndexSize)
	switch {
	case err == nil:
		if c.index, err = ParseIndex(data); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		if err := c.openSharded(); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist):
		sh, err := openShard(dir, SingleFile)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, noCheckpointError(dir)
		}
		if err != nil {
			return nil, err
		}
		c.shards = append(c.shards, sh)
		for _, t := range sh.hdr.tensors {
			c.add(sh, t)
		}
	default:
		return nil, err
	}
	c.names = make([]string, 0, len(c.tensors))
	for name := range c.tensors {
		c.names = append(c.names, name)
	}
	sort.Strings(c.names)
	ok = true
	return c, nil
}

func noCheckpointError(dir string) error {
	msg := fmt.Sprintf("no %s or %s in %s", SingleFile, IndexFile, dir)
	if found, _ := filepath.Glob(filepath.Join(dir, "*.safetensors")); len(found) > 0 {
		for i := range found {
			found[i] = filepath.Base(found[i])
		}
		msg += fmt.Sprintf(" (found %s: a sharded checkpoint needs its %s)", strings.Join(found, ", "), IndexFile)
	} else if found, _ := filepath.Glob(filepath.Join(dir, "*.bin")); len(found) > 0 {
		msg += " (found PyTorch .bin weights: only safetensors checkpoints are supported)"
	}
	return errors.New(msg)
}

func (c *Checkpoint) openSharded() error {
	for _, name := range c.index.Shards() {
		sh, err := openShard(c.dir, name)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("shard %s listed in %s is missing from %s", name, IndexFile, c.dir)
		}
		if err != nil {
			return err
		}
		c.shards = append(c.shards, sh)
		for _, t := range sh.hdr.tensors {
			want, ok := c.index.WeightMap[t.name]
			switch {
			case !ok:
				return fmt.Errorf("tensor %q is in shard %s but not in %s", t.name, name, IndexFile)
			case want != name:
				return fmt.Errorf("tensor %q is in shard %s but %s maps it to %s", t.name, name, IndexFile, want)
			}
			c.add(sh, t)
		}
	}
	var missing []string
	for tname := range c.index.WeightMap {
		if _, ok := c.tensors[tname]; !ok {
			missing = append(missing, tname)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t := missing[0]
		more := ""
		if len(missing) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(missing)-1)
		}
		return classify(fmt.Errorf("tensor %q: %s maps it to shard %s, which does not contain it%s", t, IndexFile, c.index.WeightMap[t], more), ErrMissingTensor)
	}
	return nil
}

func (c *Checkpoint) add(sh *shard, t tensorRec) {
	begin := sh.hdr.dataStart + t.begin
	c.tensors[t.name] = &entry{
		shard: sh,
		info: TensorInfo{
			Name: t.name, Dtype: t.dtype, Shape: t.shape, Shard: sh.name,
			Offset: begin, Size: t.end - t.begin,
		},
		begin: int(begin),
		end:   int(sh.hdr.dataStart + t.end),
	}
}

// openShard maps dir/name and validates its header. Errors are prefixed
// with the file name; a missing file satisfies errors.Is(err,
// fs.ErrNotExist).
func openShard(dir, name string) (*shard, error) {
	path := filepath.Join(dir, name)
	f, st, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() < 8 {
		return nil, fmt.Errorf("%s: %w: %d bytes is too short for the 8-byte header length", path, ErrTruncated, st.Size())
	}
	if int64(int(st.Size())) != st.Size() {
		return nil, fmt.Errorf("%s: file of %d bytes is too large to map on this platform", path, st.Size())
	}
	data, mapped, release, err := mmap.MapOrRead(f, int(st.Size()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	hdr, err := parseHeader(data, st.Size())
	if err != nil {
		_ = release()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &shard{name: name, data: data, mapped: mapped, release: release, hdr: hdr}, nil
}

// Close unmaps every file. Slices returned by Raw are invalid afterwards.
func (c *Checkpoint) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	var errs []error
	for _, sh := range c.shards {
		if err := sh.release(); err != nil {
			errs = append(errs, fmt.Errorf("%s: munmap: %w", sh.name, err))
		}
		sh.data = nil
	}
	return errors.Join(errs...)
}

// Dir is the model directory.
func (c *Checkpoint) Dir() string { return c.dir }

// Sharded reports whether the checkpoint came with an index.
func (c *Checkpoint) Sharded() bool { return c.index != nil }

// Shards returns the file names of the checkpoint, sorted.
func (c *Checkpoint) Shards() []string {
	out := make([]string, len(c.shards))
	for i, sh := range c.shards {
		out[i] = sh.name
	}
	return out
}

// Names returns every tensor name, sorted.
func (c *Checkpoint) Names() []string { return slices.Clone(c.names) }

// Has reports whether the checkpoint holds the named tensor.
func (c *Checkpoint) Has(name string) bool {
	_, ok := c.tensors[name]
	return ok
}

func (c *Checkpoint) lookup(name string) (*entry, error) {
	if c.closed.Load() {
		return nil, errors.New("checkpoint is closed")
	}
	e, ok := c.tensors[name]
	if !ok {
		return nil, classify(fmt.Errorf("tensor %q not found in %s", name, c.dir), ErrMissingTensor)
	}
	return e, nil
}

func (e *entry) infoCopy() TensorInfo {
	info := e.info
	info.Shape = slices.Clone(info.Shape)
	return info
}

// Info describes the named tensor.
func (c *Checkpoint) Info(name string) (TensorInfo, error) {
	e, err := c.lookup(name)
	if err != nil {
		return TensorInfo{}, err
	}
	return e.infoCopy(), nil
}

// Raw returns the named tensor's bytes as a slice of the read-only mapping
// (no copy: do not write to it, and do not use it after Close).
func (c *Checkpoint) Raw(name string) ([]byte, TensorInfo, error) {
	e, err := c.lookup(name)
	if err != nil {
		return nil, TensorInfo{}, err
	}
	return e.shard.data[e.begin:e.end:e.end], e.infoCopy(), nil
}

// Release hints that the named tensor's pages are no longer needed, so the
// resident set does not grow with every tensor read through Raw. Slices
// from Raw stay valid: the data is faulted back in from the file on access.
func (c *Checkpoint) Release(name string) error {
	e, err := c.lookup(name)
	if err != nil {
		return err
	}
	e.shard.releasePages(e.begin, e.end)
	return nil
}

// Float32 widens the named BF16, F16 or F32 tensor to float32 (exactly) in
// row-major order, into dst when cap(dst) is large enough and into a new
// slice otherwise. It fails, naming the tensor and the element, if any value
// is NaN or ±Inf, and names the dtype for non-float tensors. Only this
// tensor is read; its pages are released afterwards (see Release).
func (c *Checkpoint) Float32(name string, dst []float32) ([]float32, error) {
	e, err := c.lookup(name)
	if err != nil {
		return nil, err
	}
	switch e.info.Dtype {
	case "BF16", "F16", "F32":
	default:
		return nil, classify(fmt.Errorf("tensor %q: dtype %s is not a floating-point type (Float32 reads BF16, F16 and F32)", name, e.info.Dtype), ErrDtype)
	}
	n := e.info.NumElements()
	if cap(dst) >= n {
		dst = dst[:n]
	} else {
		dst = make([]float32, n)
	}
	err = decodeFloat32(name, e.info.Dtype, e.info.Shape, e.shard.data[e.begin:e.end], dst)
	e.shard.releasePages(e.begin, e.end)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.shard.name, err)
	}
	return dst, nil
}
