package hf

import "errors"

// Classes of errors, matched with errors.Is. The errors keep their own
// messages (naming the file, tensor and element); the class only says what
// kind of problem it is.
var (
	// ErrTruncated: a safetensors file is shorter than its header says
	// (the header length, or a tensor's data, points past the end).
	ErrTruncated = errors.New("safetensors file is truncated")
	// ErrDtype: a dtype this package does not read, or not one the tensor
	// may have (CheckShapes), or not a float for Float32.
	ErrDtype = errors.New("unsupported or unexpected dtype")
	// ErrShape: a tensor's shape differs from what the config implies.
	ErrShape = errors.New("unexpected tensor shape")
	// ErrMissingTensor: a tensor the config implies (or a caller asks
	// for, or the index lists) is not in the checkpoint.
	ErrMissingTensor = errors.New("missing tensor")
	// ErrNonFinite: a weight is NaN or ±Inf.
	ErrNonFinite = errors.New("weight is NaN or infinite")
	// ErrConfig: config.json is malformed, describes a model this project
	// does not run (an unsupported family, value or combination), or has a
	// value outside package limits' bounds.
	ErrConfig = errors.New("unsupported or invalid config.json")
)

// classified gives err a class for errors.Is without changing its message.
type classified struct{ err, class error }

func (e *classified) Error() string   { return e.err.Error() }
func (e *classified) Unwrap() []error { return []error{e.err, e.class} }

func classify(err, class error) error { return &classified{err, class} }
