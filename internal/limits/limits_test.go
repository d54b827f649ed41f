package limits

import (
	"math"
	"strings"
	"testing"
)

func TestPositiveFloat32(t *testing.T) {
	for _, v := range []float64{1e-5, 1e-6, 500000, math.SmallestNonzeroFloat32, math.MaxFloat32} {
		if err := PositiveFloat32("eps", v); err != nil {
			t.Errorf("%v: %v", v, err)
		}
	}
	for _, v := range []float64{0, -1e-5, math.Inf(1), math.Inf(-1), math.NaN(), 1e-50, 1e39, math.Copysign(0, -1)} {
		err := PositiveFloat32("eps", v)
		if err == nil || !strings.Contains(err.Error(), "positive and finite") {
			t.Errorf("%v: err = %v", v, err)
		}
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		v  int64
		ok bool
	}{{1, true}, {MaxContext, true}, {0, false}, {-1, false}, {MaxContext + 1, false}} {
		if err := Count("context_length", c.v, MaxContext); (err == nil) != c.ok {
			t.Errorf("%d: err = %v", c.v, err)
		}
	}
}
