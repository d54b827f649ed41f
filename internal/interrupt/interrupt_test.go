package interrupt

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bitnet-go/bitnet/internal/namedpipe"
)

// The child process: installs Context, reports ready, then blocks where no
// context is looked at (opening a FIFO no one writes), as a reader stuck in
// a system call would.
func init() {
	fifo := os.Getenv("INTERRUPT_TEST_FIFO")
	if fifo == "" {
		return
	}
	ctx, stop := Context(context.Background())
	defer stop()
	fmt.Println("ready")
	if f, err := os.Open(fifo); err == nil { // blocks: no writer
		f.Close()
	}
	<-ctx.Done()
	os.Exit(3)
}

// TestSignalEndsBlockedProcess: one SIGTERM or SIGINT ends a process
// blocked in a system call within the grace period (the signal handler no
// longer swallows it), and a second SIGINT ends it at once; the process
// dies of the signal, as without a handler.
func TestSignalEndsBlockedProcess(t *testing.T) {
	for _, c := range []struct {
		name  string
		sigs  []syscall.Signal
		limit time.Duration
	}{
		{"one SIGTERM", []syscall.Signal{syscall.SIGTERM}, Grace + 3*time.Second},
		{"one SIGINT", []syscall.Signal{syscall.SIGINT}, Grace + 3*time.Second},
		{"two SIGINT", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, Grace / 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "fifo")
			if err := namedpipe.Make(fifo, 0o600); err != nil {
				t.Skip("no FIFOs:", err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "INTERRUPT_TEST_FIFO="+fifo)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 6)
			if n, _ := out.Read(buf); !strings.HasPrefix(string(buf[:n]), "ready") {
				cmd.Process.Kill()
				t.Fatalf("child said %q", buf[:n])
			}
			time.Sleep(100 * time.Millisecond) // let it block in open
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			start := time.Now()
			for _, s := range c.sigs {
				cmd.Process.Signal(s)
				time.Sleep(50 * time.Millisecond)
			}
			select {
			case <-exited:
			case <-time.After(c.limit):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("still running %v after the signal", c.limit)
			}
			ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ws.Signaled() || ws.Signal() != c.sigs[0] {
				t.Errorf("exit status %v, want killed by %v", cmd.ProcessState, c.sigs[0])
			}
			t.Logf("ended after %v", time.Since(start).Round(time.Millisecond))
		})
	}
}
