package cliapp

import (
	"fmt"
	"math"

	"github.com/urfave/cli/v2"
)

// Range is an accepted interval for a numeric flag; Note, when set, says
// what a special value means ("0: unlimited").
type Range struct {
	Min, Max float64
	Note     string
}

func (r Range) String() string {
	var s string
	switch {
	case math.IsInf(r.Max, 1):
		s = fmt.Sprintf("at least %s", num(r.Min))
	default:
		s = fmt.Sprintf("from %s to %s", num(r.Min), num(r.Max))
	}
	if r.Note != "" {
		s += "; " + r.Note
	}
	return s
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}

// flagName spells the flag as the user most likely typed it.
func flagName(_ *cli.Context, name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// CheckInt returns an error naming the flag and the accepted range when
// the int flag name is outside r (NaN-free by construction).
func CheckInt(c *cli.Context, name string, r Range) error {
	v := c.Int(name)
	if float64(v) < r.Min || float64(v) > r.Max {
		return fmt.Errorf("%s %d is out of range: accepted %s", flagName(c, name), v, r)
	}
	return nil
}

// CheckFloat is CheckInt for a float64 flag; NaN is refused.
func CheckFloat(c *cli.Context, name string, r Range) error {
	v := c.Float64(name)
	if math.IsNaN(v) || v < r.Min || v > r.Max {
		return fmt.Errorf("--%s %g is out of range: accepted %s", name, v, r)
	}
	return nil
}

// Checks runs the checks in order and returns the first error.
func Checks(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// MaxThreads bounds --threads: far above any machine this runs on, low
// enough that a typo is not taken as a request for a million goroutines.
const MaxThreads = 1024
