package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/model"
)

// loadFlags choose how the model file is brought into memory.
func loadFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "mmap", Usage: "always map the model file, even when the kernel can only map it in 4 KiB pages (slower decoding); default: map when it gets huge pages, else read it into huge-page memory if it fits"},
		&cli.BoolFlag{Name: "no-mmap", Usage: "always read the model file into huge-page memory (as llama.cpp's --no-mmap)"},
		&cli.StringFlag{Name: "prefetch", Value: model.PrefetchAuto, EnvVars: []string{"BITNET_PREFETCH"},
			Usage: "software-prefetch variant of the streaming kernels (same results, different speed per host): auto (timed at load on the model's own matrices, a few ms), nta, t0, t2, none, or default"},
	}
}

// checkPrefetch validates --prefetch before anything is loaded.
func checkPrefetch(c *cli.Context) error {
	switch v := c.String("prefetch"); v {
	case model.PrefetchAuto, model.PrefetchDefault:
		return nil
	default:
		if _, err := kernel.ParsePrefetch(v); err != nil {
			return fmt.Errorf("--prefetch: %w (or %s, %s)", err, model.PrefetchAuto, model.PrefetchDefault)
		}
	}
	return nil
}

// loadMode reads loadFlags.
func loadMode(c *cli.Context) (model.LoadMode, error) {
	switch {
	case c.Bool("mmap") && c.Bool("no-mmap"):
		return 0, fmt.Errorf("--mmap and --no-mmap exclude each other")
	case c.Bool("mmap"):
		return model.LoadMap, nil
	case c.Bool("no-mmap"):
		return model.LoadMemory, nil
	}
	return model.LoadAuto, nil
}

// prepare reads the load flags and selects the --kernel path, for generate
// and bench alike; restore puts the previous kernel path back.
func prepare(c *cli.Context) (mode model.LoadMode, restore func(), err error) {
	if mode, err = loadMode(c); err != nil {
		return 0, nil, err
	}
	if err = checkPrefetch(c); err != nil {
		return 0, nil, err
	}
	if restore, err = kernel.Use(c.String("kernel")); err != nil {
		return 0, nil, err
	}
	return mode, restore, nil
}

// loadedHow says how m's file ended up in memory, for the timing line.
func loadedHow(m *model.Model) string {
	if m.File() != nil && m.File().Mapped() {
		return "mapped"
	}
	return "read into memory"
}
