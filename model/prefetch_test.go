package model

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/kernel"
)

// TestPrefetchCalibration opens a converted tiny model with the load-time
// calibration: it must pick a variant of each calibrated stream (or run
// nothing where there are none, as under purego), and forcing any hint
// must give the same logits bit for bit.
func TestPrefetchCalibration(t *testing.T) {
	var saved [kernel.NumStreams]kernel.Prefetch
	for s := range kernel.NumStreams {
		saved[s] = kernel.PrefetchOf(s)
	}
	defer func() {
		for s, h := range saved {
			kernel.SetPrefetch(kernel.Stream(s), h)
		}
	}()
	out := filepath.Join(t.TempDir(), "tiny_a.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: out}); err != nil {
		t.Fatal(err)
	}
	ids := []int{1, 5, 9, 2, 7}
	logits := func(setting string) ([]float32, *Model) {
		m, err := OpenWith(out, LoadOptions{Threads: 2, Prefetch: setting})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		st, err := m.NewState(0)
		if err != nil {
			t.Fatal(err)
		}
		l, err := m.Forward(st, ids, true)
		if err != nil {
			t.Fatal(err)
		}
		return l, m
	}
	want, m := logits(PrefetchAuto)
	variants := kernel.PrefetchVariants()
	if len(variants) == 0 {
		if len(m.prefetch) != 0 {
			t.Fatalf("calibrated %d streams without variants", len(m.prefetch))
		}
		if !strings.Contains(m.PrefetchInfo(false), "no variants") {
			t.Fatalf("PrefetchInfo %q", m.PrefetchInfo(false))
		}
	} else {
		if len(m.prefetch) != 2 {
			t.Fatalf("calibrated %d streams, want ternary and head", len(m.prefetch))
		}
		for _, c := range m.prefetch {
			if !slices.Contains(variants, c.Chosen) || kernel.PrefetchOf(c.Stream) != c.Chosen {
				t.Fatalf("%v: chose %v, runs %v", c.Stream, c.Chosen, kernel.PrefetchOf(c.Stream))
			}
			for _, h := range variants {
				if c.Best[h] <= 0 {
					t.Fatalf("%v: hint %v not timed", c.Stream, h)
				}
			}
		}
	}
	t.Log(m.PrefetchInfo(true))
	for _, h := range []string{"nta", "t0", "t2", "none", PrefetchDefault} {
		got, m := logits(h)
		if h != PrefetchDefault && !strings.Contains(m.PrefetchInfo(false), "head "+h) {
			t.Fatalf("--prefetch %s: %s", h, m.PrefetchInfo(false))
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("prefetch %s: logit %d = %v, calibrated run %v", h, i, got[i], want[i])
			}
		}
	}
	if _, err := OpenWith(out, LoadOptions{Prefetch: "t1x"}); err == nil || !strings.Contains(err.Error(), "t1x") {
		t.Fatalf("bad prefetch setting: err %v", err)
	}
}

// TestPrefetchInfoNamesStreamsWithVariants: every layout and head type
// runs kernels with prefetch variants, so PrefetchInfo names all three
// streams for an I2_S file with an F16 head and for a T5_S file with a
// Q6_K head.
func TestPrefetchInfoNamesStreamsWithVariants(t *testing.T) {
	for _, c := range []struct {
		outType, embd string
		want, not     []string
	}{
		{"i2_s", "f16", []string{"ternary ", "head ", "attention "}, nil},
		{"t5_s", "q6_k", []string{"ternary ", "head ", "attention "}, nil},
	} {
		out := filepath.Join(t.TempDir(), "m.gguf")
		if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: out, OutType: c.outType, EmbedType: c.embd}); err != nil {
			t.Fatal(err)
		}
		m, err := Open(out, 1)
		if err != nil {
			t.Fatal(err)
		}
		info := m.PrefetchInfo(false)
		m.Close()
		for _, w := range c.want {
			if !strings.Contains(info, w) {
				t.Errorf("%s + %s head: PrefetchInfo %q lacks %q", c.outType, c.embd, info, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(info, n) {
				t.Errorf("%s + %s head: PrefetchInfo %q names %q, which has no variants", c.outType, c.embd, info, n)
			}
		}
	}
}
