package interrupt

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Grace is how long after the first signal the process may take to stop on
// its own before the signal's default action ends it.
const Grace = 2 * time.Second

// Context returns a copy of parent cancelled by the first SIGINT or
// SIGTERM (see the package doc), and a function releasing the handler.
func Context(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	var once sync.Once
	stop := func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel()
		})
	}
	go func() {
		select {
		case sig := <-ch:
			cancel()
			// With no channel left, the signals' default action is
			// back: the next one ends the process.
			signal.Stop(ch)
			time.AfterFunc(Grace, func() { raise(sig) })
		case <-done:
		}
	}()
	return ctx, stop
}
