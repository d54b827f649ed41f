// Package cliapp gives the commands one command-line behaviour on top of
// urfave/cli/v2: --version, flags accepted after positional arguments, a
// one-line message on a usage error, help without a "help" command or
// defaults printed twice, and range checks for numeric flags.
package cliapp

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

// Version describes the running binary: the module version (a tag, or
// "(devel)" for a build inside the repository) and, when the build recorded
// it, the VCS revision, its time and whether the tree was modified.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", modified"
			}
		}
	}
	if rev != "" {
		v += fmt.Sprintf(" (revision %s%s%s)", rev, map[bool]string{true: ", " + when}[when != ""], dirty)
	}
	return v + ", " + info.GoVersion
}

func init() {
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version and exit"}
	cli.VersionPrinter = func(c *cli.Context) { fmt.Printf("%s %s\n", c.App.Name, c.App.Version) }
	plain := cli.FlagStringer
	cli.FlagStringer = func(f cli.Flag) string { return trimDefault(f, plain(f)) }
}

// trimDefault drops the "(default: X)" urfave/cli appends when it says
// nothing (a bool's false, a zero, an empty string) or when the usage text
// already explains the default.
func trimDefault(f cli.Flag, s string) string {
	df, ok := f.(cli.DocGenerationFlag)
	if !ok {
		return s
	}
	dt := df.GetDefaultText()
	suffix := " (default: " + dt + ")"
	if dt == "" || !strings.HasSuffix(s, suffix) {
		return s
	}
	_, isBool := f.(*cli.BoolFlag)
	usage := df.GetUsage()
	if isBool || dt == "0" || dt == `""` || strings.Contains(usage, "default") || strings.Contains(usage, "(0:") {
		return strings.TrimSuffix(s, suffix)
	}
	return s
}

// RunArgs is Run without the exit: it returns app's error.
func RunArgs(app *cli.App, args []string) error {
	Setup(app)
	if len(args) == 0 {
		return app.Run(args)
	}
	return app.Run(append([]string{args[0]}, Reorder(app.Flags, app.Commands, args[1:])...))
}

// Setup applies the shared behaviour to app and its commands.
func Setup(app *cli.App) {
	app.Version = Version()
	app.HideHelpCommand = true
	if len(app.Commands) == 0 {
		app.CustomAppHelpTemplate = strings.ReplaceAll(cli.AppHelpTemplate, "GLOBAL OPTIONS", "OPTIONS")
	}
	app.OnUsageError = usageError(app.Name)
	for _, c := range app.Commands {
		c.HideHelpCommand = true
		c.OnUsageError = usageError(app.Name + " " + c.Name)
	}
}

func usageError(name string) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		return fmt.Errorf("%v (see %s --help)", err, name)
	}
}

// Reorder moves flags given after positional arguments in front of them,
// so "convert DIR --force" means "convert --force DIR" (the standard flag
// parser stops at the first positional argument). A flag that takes a value
// keeps its value ("-t -3" stays a pair); after "--" everything is
// positional. The first positional argument that names a command starts
// that command's arguments, which are reordered with its flags.
func Reorder(flags []cli.Flag, commands []*cli.Command, args []string) []string {
	takes := map[string]bool{"help": false, "h": false, "version": false}
	for _, f := range flags {
		tv := false
		if df, ok := f.(cli.DocGenerationFlag); ok {
			tv = df.TakesValue()
		}
		for _, n := range f.Names() {
			takes[n] = tv
		}
	}
	var opts, pos []string
	dashdash := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case dashdash:
			pos = append(pos, a)
		case a == "--":
			dashdash = true
		case len(a) > 1 && a[0] == '-':
			opts = append(opts, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if takes[name] && i+1 < len(args) {
				i++
				opts = append(opts, args[i])
			}
		default:
			if len(pos) == 0 {
				for _, c := range commands {
					if c.HasName(a) {
						return append(append(opts, a), Reorder(c.Flags, c.Subcommands, args[i+1:])...)
					}
				}
			}
			pos = append(pos, a)
		}
	}
	if len(pos) == 0 {
		return opts
	}
	return append(append(opts, "--"), pos...)
}
