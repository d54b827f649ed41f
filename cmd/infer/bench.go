package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func benchCommand() *cli.Command {
	return &cli.Command{Name: "bench", Usage: "measure prefill and decode tokens/s (llama-bench style)", Action: func(*cli.Context) error {
		return fmt.Errorf("bench: not implemented yet")
	}}
}
