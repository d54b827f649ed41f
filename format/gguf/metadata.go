package gguf

import (
	"fmt"
	"math"
)

// Typed metadata accessors. Each fails with an error naming the key when it
// is missing (wrapping ErrNotFound) or has an unsuitable type. Integer
// accessors accept any integer type whose value fits (UINT32, INT32, UINT64,
// ... are interchangeable); float accessors accept FLOAT32 and FLOAT64.

func (f *File) lookup(key string) (Value, error) {
	v, ok := f.Get(key)
	if !ok {
		return Value{}, fmt.Errorf("gguf: key %q: %w", key, ErrNotFound)
	}
	return v, nil
}

func typeError(key string, v Value, want string) error {
	have := v.typ.String()
	if v.typ == ValueTypeArray {
		have = "ARRAY of " + v.ElemType().String()
	}
	return fmt.Errorf("gguf: key %q: type %s, want %s", key, have, want)
}

// String returns a STRING value.
func (f *File) String(key string) (string, error) {
	v, err := f.lookup(key)
	if err != nil {
		return "", err
	}
	s, ok := v.x.(string)
	if !ok {
		return "", typeError(key, v, "STRING")
	}
	return s, nil
}

// Bool returns a BOOL value.
func (f *File) Bool(key string) (bool, error) {
	v, err := f.lookup(key)
	if err != nil {
		return false, err
	}
	b, ok := v.x.(bool)
	if !ok {
		return false, typeError(key, v, "BOOL")
	}
	return b, nil
}

func (f *File) uintValue(key string, max uint64, want string) (uint64, error) {
	v, err := f.lookup(key)
	if err != nil {
		return 0, err
	}
	u, st := toUint(v.x, max)
	switch st {
	case notInteger:
		return 0, typeError(key, v, "an integer")
	case outOfRange:
		return 0, fmt.Errorf("gguf: key %q: %s value %v does not fit %s", key, v.typ, v.x, want)
	}
	return u, nil
}

func (f *File) intValue(key string, min, max int64, want string) (int64, error) {
	v, err := f.lookup(key)
	if err != nil {
		return 0, err
	}
	i, st := toInt(v.x, min, max)
	switch st {
	case notInteger:
		return 0, typeError(key, v, "an integer")
	case outOfRange:
		return 0, fmt.Errorf("gguf: key %q: %s value %v does not fit %s", key, v.typ, v.x, want)
	}
	return i, nil
}

// Uint32 returns an integer value that fits uint32.
func (f *File) Uint32(key string) (uint32, error) {
	u, err := f.uintValue(key, math.MaxUint32, "uint32")
	return uint32(u), err
}

// Uint64 returns a non-negative integer value.
func (f *File) Uint64(key string) (uint64, error) {
	return f.uintValue(key, math.MaxUint64, "uint64")
}

// Int32 returns an integer value that fits int32.
func (f *File) Int32(key string) (int32, error) {
	i, err := f.intValue(key, math.MinInt32, math.MaxInt32, "int32")
	return int32(i), err
}

// Int64 returns an integer value that fits int64.
func (f *File) Int64(key string) (int64, error) {
	return f.intValue(key, math.MinInt64, math.MaxInt64, "int64")
}

// Float32 returns a FLOAT32 value, or a FLOAT64 value rounded to float32.
func (f *File) Float32(key string) (float32, error) {
	v, err := f.lookup(key)
	if err != nil {
		return 0, err
	}
	switch x := v.x.(type) {
	case float32:
		return x, nil
	case float64:
		return float32(x), nil
	}
	return 0, typeError(key, v, "FLOAT32")
}

// Float64 returns a FLOAT64 or FLOAT32 value.
func (f *File) Float64(key string) (float64, error) {
	v, err := f.lookup(key)
	if err != nil {
		return 0, err
	}
	switch x := v.x.(type) {
	case float32:
		return float64(x), nil
	case float64:
		return x, nil
	}
	return 0, typeError(key, v, "FLOAT64")
}

// Strings returns a copy of an ARRAY of STRING.
func (f *File) Strings(key string) ([]string, error) {
	v, err := f.lookup(key)
	if err != nil {
		return nil, err
	}
	a, ok := v.x.([]string)
	if !ok {
		return nil, typeError(key, v, "ARRAY of STRING")
	}
	return append([]string{}, a...), nil
}

// Float32s returns an ARRAY of FLOAT32 (or of FLOAT64, rounded) as a new
// slice.
func (f *File) Float32s(key string) ([]float32, error) {
	v, err := f.lookup(key)
	if err != nil {
		return nil, err
	}
	switch a := v.x.(type) {
	case []float32:
		return append([]float32{}, a...), nil
	case []float64:
		out := make([]float32, len(a))
		for i, x := range a {
			out[i] = float32(x)
		}
		return out, nil
	}
	return nil, typeError(key, v, "ARRAY of FLOAT32")
}

// Int32s returns an ARRAY of any integer type whose elements all fit int32,
// as a new slice.
func (f *File) Int32s(key string) ([]int32, error) {
	v, err := f.lookup(key)
	if err != nil {
		return nil, err
	}
	if a, ok := v.x.([]int32); ok {
		return append([]int32{}, a...), nil
	}
	if v.typ != ValueTypeArray || !isIntegerType(v.ElemType()) {
		return nil, typeError(key, v, "ARRAY of an integer type")
	}
	out := make([]int32, v.Len())
	for i := range out {
		x := index(v.x, i)
		n, st := toInt(x, math.MinInt32, math.MaxInt32)
		if st != converted {
			return nil, fmt.Errorf("gguf: key %q: element %d: %s value %v does not fit int32", key, i, v.ElemType(), x)
		}
		out[i] = int32(n)
	}
	return out, nil
}

// Uint32s returns an ARRAY of any integer type whose elements all fit
// uint32, as a new slice.
func (f *File) Uint32s(key string) ([]uint32, error) {
	v, err := f.lookup(key)
	if err != nil {
		return nil, err
	}
	if a, ok := v.x.([]uint32); ok {
		return append([]uint32{}, a...), nil
	}
	if v.typ != ValueTypeArray || !isIntegerType(v.ElemType()) {
		return nil, typeError(key, v, "ARRAY of an integer type")
	}
	out := make([]uint32, v.Len())
	for i := range out {
		x := index(v.x, i)
		n, st := toUint(x, math.MaxUint32)
		if st != converted {
			return nil, fmt.Errorf("gguf: key %q: element %d: %s value %v does not fit uint32", key, i, v.ElemType(), x)
		}
		out[i] = uint32(n)
	}
	return out, nil
}
