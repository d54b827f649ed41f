package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/bench"
	"github.com/bitnet-go/bitnet/internal/cliapp"
	"github.com/bitnet-go/bitnet/kernel"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "measure prefill (pp) and decode (tg) tokens/s like llama-bench, with the memory roofline",
		Description: `Runs pp<P> (P prompt tokens in one batch) and tg<N> (N single-token decode steps)
at each thread count, R repetitions after a warm-up, and prints mean ± stddev tokens/s.
The machine's read bandwidth is measured in the same run (1 GB buffer, same threads,
best of three passes), right before every tg repetition: decode reads every weight once per token, so
bandwidth / bytes-per-token is the roofline, and each tg row shows the median
bandwidth and the median of its repetitions' fractions, each repetition against
the bandwidth read just before it (a shared machine's bandwidth moves within seconds). The load column is the time to open the
model and whether the file was mapped or read. JSON rows use llama-bench's field names
(n_prompt, n_gen, n_threads, avg_ts, stddev_ts) plus ours.`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, Usage: "GGUF model file"},
			&cli.IntFlag{Name: "n-prompt", Aliases: []string{"p"}, Value: 128, Usage: "prompt tokens for the pp test (0: skip)"},
			&cli.IntFlag{Name: "n-gen", Aliases: []string{"n"}, Value: 32, Usage: "tokens for the tg test (0: skip)"},
			&cli.IntFlag{Name: "n-depth", Aliases: []string{"d"}, Value: 0, Usage: "tokens of context before each test, as llama-bench's -d (tests are then named pp128 @ d1024)"},
			&cli.StringFlag{Name: "threads", Aliases: []string{"t"}, Value: "1,2", Usage: "comma-separated thread counts"},
			&cli.IntFlag{Name: "repetitions", Aliases: []string{"r"}, Value: 5, Usage: "repetitions per test"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "md", Usage: "output format: md or json"},
			&cli.StringFlag{Name: "kernel", Value: "auto", Usage: "kernel path: auto, " + strings.Join(kernel.Paths(), ", ")},
		}, loadFlags()...),
		Action: runBench,
	}
}

// threadList parses --threads: comma-separated counts from 1 to
// cliapp.MaxThreads.
func threadList(c *cli.Context) ([]int, error) {
	var threads []int
	for _, f := range strings.Split(c.String("threads"), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > cliapp.MaxThreads {
			return nil, fmt.Errorf("bad thread count %q in --threads: accepted from 1 to %d", f, cliapp.MaxThreads)
		}
		threads = append(threads, n)
	}
	return threads, nil
}

// membwCommand is `infer membw`: the bandwidth probe of infer bench alone,
// for rows of other runtimes measured in the same session.
func membwCommand() *cli.Command {
	return &cli.Command{
		Name:  "membw",
		Usage: "measure the memory read bandwidth as infer bench does, at each thread count",
		Description: `Reads a 1 GB buffer (huge pages, like the weights) with each thread count,
best of three passes, and prints GB/s. scripts/bench.sh runs it right before each peer
runtime's llama-bench, so that their rows carry the bandwidth of their own moment.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "threads", Aliases: []string{"t"}, Value: "1,2", Usage: "comma-separated thread counts"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "md", Usage: "output format: md or json"},
		},
		Action: func(c *cli.Context) error {
			threads, err := threadList(c)
			if err != nil {
				return err
			}
			out := c.String("output")
			if out != "md" && out != "json" {
				return fmt.Errorf("unknown --output %q (supported: md, json)", out)
			}
			rows, err := bench.MemBW(threads, 0)
			if err != nil {
				return err
			}
			if out == "json" {
				return bench.WriteJSON(os.Stdout, rows)
			}
			fmt.Println("| threads | mem BW GB/s |")
			fmt.Println("|---:|---:|")
			for _, r := range rows {
				fmt.Printf("| %d | %.1f |\n", r.NThreads, r.MemBWGBs)
			}
			return nil
		},
	}
}

func runBench(c *cli.Context) error {
	threads, err := threadList(c)
	if err != nil {
		return err
	}
	if err := cliapp.Checks(
		cliapp.CheckInt(c, "n-prompt", cliapp.Range{Min: 0, Max: math.Inf(1), Note: "0 skips the pp test"}),
		cliapp.CheckInt(c, "n-gen", cliapp.Range{Min: 0, Max: math.Inf(1), Note: "0 skips the tg test"}),
		cliapp.CheckInt(c, "n-depth", cliapp.Range{Min: 0, Max: math.Inf(1)}),
		cliapp.CheckInt(c, "repetitions", cliapp.Range{Min: 1, Max: math.Inf(1)}),
	); err != nil {
		return err
	}
	out := c.String("output")
	if out != "md" && out != "json" {
		return fmt.Errorf("unknown --output %q (supported: md, json)", out)
	}
	mode, restore, err := prepare(c)
	if err != nil {
		return err
	}
	defer restore()
	rows, err := bench.Run(bench.Options{Path: c.String("model"), Prompt: c.Int("n-prompt"), Gen: c.Int("n-gen"), Depth: c.Int("n-depth"), Threads: threads, Reps: c.Int("repetitions"), Mode: mode, Prefetch: c.String("prefetch"),
		Log: func(line string) { fmt.Fprintln(os.Stderr, line) }})
	if err != nil {
		return err
	}
	for _, w := range bench.Warnings(rows) {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	if out == "json" {
		return bench.WriteJSON(os.Stdout, rows)
	}
	bench.WriteMarkdown(os.Stdout, rows)
	return nil
}
