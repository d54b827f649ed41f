package gguf

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ValueType is a GGUF metadata value type id.
type ValueType uint32

// Metadata value types, as numbered by the GGUF specification.
const (
	ValueTypeUint8   ValueType = 0
	ValueTypeInt8    ValueType = 1
	ValueTypeUint16  ValueType = 2
	ValueTypeInt16   ValueType = 3
	ValueTypeUint32  ValueType = 4
	ValueTypeInt32   ValueType = 5
	ValueTypeFloat32 ValueType = 6
	ValueTypeBool    ValueType = 7
	ValueTypeString  ValueType = 8
	ValueTypeArray   ValueType = 9
	ValueTypeUint64  ValueType = 10
	ValueTypeInt64   ValueType = 11
	ValueTypeFloat64 ValueType = 12
)

var valueTypeNames = [...]string{
	"UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32",
	"BOOL", "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64",
}

// String returns the specification's name ("UINT32", "STRING", ...), or
// "ValueType(N)" for an unknown id.
func (t ValueType) String() string {
	if int(t) < len(valueTypeNames) {
		return valueTypeNames[t]
	}
	return "ValueType(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// fixedSize returns the encoded size of one value of a fixed-size type, or 0
// for STRING, ARRAY and unknown types.
func (t ValueType) fixedSize() uint64 {
	switch t {
	case ValueTypeUint8, ValueTypeInt8, ValueTypeBool:
		return 1
	case ValueTypeUint16, ValueTypeInt16:
		return 2
	case ValueTypeUint32, ValueTypeInt32, ValueTypeFloat32:
		return 4
	case ValueTypeUint64, ValueTypeInt64, ValueTypeFloat64:
		return 8
	}
	return 0
}

// Value is one metadata value: a scalar, a string, or an array of scalars or
// strings. Arrays of arrays are not supported (llama.cpp rejects them too).
// The zero Value is invalid. Build values with the constructors (Uint32,
// String, Strings, ...); read them with the File helpers or Interface.
type Value struct {
	typ ValueType
	x   any // uint8 … float64, bool, string, or a slice of one of those
}

// KV is one metadata key-value pair.
type KV struct {
	Key   string
	Value Value
}

// Scalar constructors.

func Uint8(v uint8) Value     { return Value{ValueTypeUint8, v} }
func Int8(v int8) Value       { return Value{ValueTypeInt8, v} }
func Uint16(v uint16) Value   { return Value{ValueTypeUint16, v} }
func Int16(v int16) Value     { return Value{ValueTypeInt16, v} }
func Uint32(v uint32) Value   { return Value{ValueTypeUint32, v} }
func Int32(v int32) Value     { return Value{ValueTypeInt32, v} }
func Float32(v float32) Value { return Value{ValueTypeFloat32, v} }
func Bool(v bool) Value       { return Value{ValueTypeBool, v} }
func String(v string) Value   { return Value{ValueTypeString, v} }
func Uint64(v uint64) Value   { return Value{ValueTypeUint64, v} }
func Int64(v int64) Value     { return Value{ValueTypeInt64, v} }
func Float64(v float64) Value { return Value{ValueTypeFloat64, v} }

// Array constructors. Each copies its argument.

func Uint8s(v []uint8) Value     { return array(v) }
func Int8s(v []int8) Value       { return array(v) }
func Uint16s(v []uint16) Value   { return array(v) }
func Int16s(v []int16) Value     { return array(v) }
func Uint32s(v []uint32) Value   { return array(v) }
func Int32s(v []int32) Value     { return array(v) }
func Float32s(v []float32) Value { return array(v) }
func Bools(v []bool) Value       { return array(v) }
func Strings(v []string) Value   { return array(v) }
func Uint64s(v []uint64) Value   { return array(v) }
func Int64s(v []int64) Value     { return array(v) }
func Float64s(v []float64) Value { return array(v) }

func array[T any](v []T) Value {
	c := slices.Clone(v)
	if c == nil {
		c = []T{}
	}
	return Value{ValueTypeArray, c}
}

// Type returns the value's type (ValueTypeArray for arrays).
func (v Value) Type() ValueType { return v.typ }

// valid reports whether v was built by a constructor or the parser.
func (v Value) valid() bool { return v.x != nil }

// ElemType returns the element type of an array value. For a non-array it
// returns v.Type().
func (v Value) ElemType() ValueType {
	switch v.x.(type) {
	case []uint8:
		return ValueTypeUint8
	case []int8:
		return ValueTypeInt8
	case []uint16:
		return ValueTypeUint16
	case []int16:
		return ValueTypeInt16
	case []uint32:
		return ValueTypeUint32
	case []int32:
		return ValueTypeInt32
	case []float32:
		return ValueTypeFloat32
	case []bool:
		return ValueTypeBool
	case []string:
		return ValueTypeString
	case []uint64:
		return ValueTypeUint64
	case []int64:
		return ValueTypeInt64
	case []float64:
		return ValueTypeFloat64
	}
	return v.typ
}

// Len returns the number of elements of an array value, and 0 otherwise.
func (v Value) Len() int {
	switch a := v.x.(type) {
	case []uint8:
		return len(a)
	case []int8:
		return len(a)
	case []uint16:
		return len(a)
	case []int16:
		return len(a)
	case []uint32:
		return len(a)
	case []int32:
		return len(a)
	case []float32:
		return len(a)
	case []bool:
		return len(a)
	case []string:
		return len(a)
	case []uint64:
		return len(a)
	case []int64:
		return len(a)
	case []float64:
		return len(a)
	}
	return 0
}

// Interface returns the Go value: uint8, int8, uint16, int16, uint32, int32,
// float32, bool, string, uint64, int64 or float64 for a scalar, and a slice
// of one of those for an array. Slices are shared, not copied: do not
// modify them.
func (v Value) Interface() any { return v.x }

// String formats v for people: strings quoted, arrays as
// "[N]TYPE{a, b, ...}" with at most 8 elements shown.
func (v Value) String() string {
	if !v.valid() {
		return "<invalid>"
	}
	if v.typ != ValueTypeArray {
		return formatScalar(v.x)
	}
	n := v.Len()
	var b strings.Builder
	fmt.Fprintf(&b, "[%d]%s{", n, v.ElemType())
	for i := 0; i < n && i < 8; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(formatScalar(index(v.x, i)))
	}
	if n > 8 {
		b.WriteString(", ...")
	}
	b.WriteString("}")
	return b.String()
}

func formatScalar(x any) string {
	if s, ok := x.(string); ok {
		if len(s) > 80 {
			return strconv.Quote(s[:80]) + "..."
		}
		return strconv.Quote(s)
	}
	return fmt.Sprint(x)
}

func index(a any, i int) any {
	switch a := a.(type) {
	case []uint8:
		return a[i]
	case []int8:
		return a[i]
	case []uint16:
		return a[i]
	case []int16:
		return a[i]
	case []uint32:
		return a[i]
	case []int32:
		return a[i]
	case []float32:
		return a[i]
	case []bool:
		return a[i]
	case []string:
		return a[i]
	case []uint64:
		return a[i]
	case []int64:
		return a[i]
	case []float64:
		return a[i]
	}
	return nil
}

// Integer conversions used by the File helpers: any integer type is accepted
// when the value fits the requested type.

// intParts splits an integer scalar into (signed value, isSigned) or
// (unsigned value). ok is false for non-integers.
func intParts(x any) (s int64, u uint64, signed, ok bool) {
	switch x := x.(type) {
	case uint8:
		return 0, uint64(x), false, true
	case uint16:
		return 0, uint64(x), false, true
	case uint32:
		return 0, uint64(x), false, true
	case uint64:
		return 0, x, false, true
	case int8:
		return int64(x), 0, true, true
	case int16:
		return int64(x), 0, true, true
	case int32:
		return int64(x), 0, true, true
	case int64:
		return x, 0, true, true
	}
	return 0, 0, false, false
}

// toUint converts an integer scalar to uint64 if it lies in [0, max].
func toUint(x any, max uint64) (uint64, convStatus) {
	s, u, signed, ok := intParts(x)
	switch {
	case !ok:
		return 0, notInteger
	case signed && s < 0:
		return 0, outOfRange
	case signed:
		u = uint64(s)
	}
	if u > max {
		return 0, outOfRange
	}
	return u, converted
}

// toInt converts an integer scalar to int64 if it lies in [min, max].
func toInt(x any, min, max int64) (int64, convStatus) {
	s, u, signed, ok := intParts(x)
	switch {
	case !ok:
		return 0, notInteger
	case !signed && u > math.MaxInt64:
		return 0, outOfRange
	case !signed:
		s = int64(u)
	}
	if s < min || s > max {
		return 0, outOfRange
	}
	return s, converted
}

type convStatus int

const (
	converted convStatus = iota
	notInteger
	outOfRange
)

func isIntegerType(t ValueType) bool {
	switch t {
	case ValueTypeUint8, ValueTypeInt8, ValueTypeUint16, ValueTypeInt16,
		ValueTypeUint32, ValueTypeInt32, ValueTypeUint64, ValueTypeInt64:
		return true
	}
	return false
}
