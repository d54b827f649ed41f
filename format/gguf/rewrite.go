package gguf

import "io"

// Rewrite copies f to out with its metadata passed through edit: edit
// returns the key-value to write (possibly renamed or changed) and false to
// drop it. Tensors are copied as they are, in order. It is how a file is
// given another converter's conventions, or stripped of keys.
func Rewrite(f *File, out io.Writer, edit func(KV) (KV, bool)) error {
	w := NewWriter(out)
	for _, kv := range f.KVs() {
		kv, keep := edit(kv)
		if !keep {
			continue
		}
		if err := w.AddKV(kv.Key, kv.Value); err != nil {
			return err
		}
	}
	tensors := f.Tensors()
	for _, ti := range tensors {
		if err := w.AddTensor(ti.Name, ti.Type, ti.Dims); err != nil {
			return err
		}
	}
	if err := w.WriteHeader(); err != nil {
		return err
	}
	for _, ti := range tensors {
		data, err := f.TensorData(ti.Name)
		if err != nil {
			return err
		}
		if err := w.WriteTensor(ti.Name, data); err != nil {
			return err
		}
	}
	return w.Finish()
}
