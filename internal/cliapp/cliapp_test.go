package cliapp

import (
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestReorder(t *testing.T) {
	flags := []cli.Flag{
		&cli.BoolFlag{Name: "force"},
		&cli.IntFlag{Name: "threads", Aliases: []string{"t"}},
		&cli.StringFlag{Name: "outfile"},
	}
	cmds := []*cli.Command{{Name: "sub", Flags: []cli.Flag{&cli.IntFlag{Name: "n"}}}}
	for _, c := range []struct{ in, want string }{
		{"DIR --force", "--force -- DIR"},
		{"DIR -t -3 --outfile x", "-t -3 --outfile x -- DIR"},
		{"--outfile=y DIR --force", "--outfile=y --force -- DIR"},
		{"DIR -- --force", "-- DIR --force"},
		{"-t 2 sub ARG -n 5", "-t 2 sub -n 5 -- ARG"},
		{"--force", "--force"},
	} {
		got := strings.Join(Reorder(flags, cmds, strings.Fields(c.in)), " ")
		if got != c.want {
			t.Errorf("Reorder(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestRunArgs: flags after the positional argument are parsed, an unknown
// flag gives one line naming --help, numeric ranges name the flag.
func TestRunArgs(t *testing.T) {
	var got []string
	var force bool
	app := &cli.App{Name: "x", Flags: []cli.Flag{&cli.BoolFlag{Name: "force"}, &cli.IntFlag{Name: "threads", Aliases: []string{"t"}, Value: 1}},
		Action: func(c *cli.Context) error {
			got, force = c.Args().Slice(), c.Bool("force")
			return CheckInt(c, "threads", Range{Min: 1, Max: MaxThreads})
		}}
	if err := RunArgs(app, []string{"x", "DIR", "--force"}); err != nil || !force || !slices.Equal(got, []string{"DIR"}) {
		t.Fatalf("DIR --force: %v, force %v, args %q", err, force, got)
	}
	err := RunArgs(app, []string{"x", "--bogus"})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--help") {
		t.Fatalf("unknown flag: %v", err)
	}
	err = RunArgs(app, []string{"x", "DIR", "-t", "-3"})
	if err == nil || !strings.Contains(err.Error(), "--threads -3") || !strings.Contains(err.Error(), "from 1 to 1024") {
		t.Fatalf("-t -3: %v", err)
	}
}

func TestTrimDefault(t *testing.T) {
	for _, c := range []struct {
		f    cli.Flag
		want string
	}{
		{&cli.BoolFlag{Name: "force", Usage: "overwrite"}, "--force\toverwrite"},
		{&cli.Uint64Flag{Name: "seed", Usage: "seed (0: random)"}, "--seed value\tseed (0: random)"},
		{&cli.IntFlag{Name: "n", Value: 128, Usage: "tokens"}, "-n value\ttokens (default: 128)"},
	} {
		if got := cli.FlagStringer(c.f); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}
