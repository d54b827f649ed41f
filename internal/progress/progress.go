package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// IsTerminal reports whether f is a terminal (on every OS: x/term).
func IsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Bar renders "label [=====>    ] 42% 1.2/2.9 GB 3s name" on one line,
// redrawn at most every 100 ms.
type Bar struct {
	w     io.Writer
	label string
	start time.Time
	last  time.Time
}

// New starts a bar writing to w.
func New(w io.Writer, label string) *Bar {
	return &Bar{w: w, label: label, start: time.Now()}
}

// Update redraws the bar for done of total bytes.
func (b *Bar) Update(done, total uint64, note string) {
	now := time.Now()
	if done < total && now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	const width = 30
	frac := 1.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	n := int(frac * width)
	bar := strings.Repeat("=", n) + strings.Repeat(" ", width-n)
	if len(note) > 28 {
		note = note[:28]
	}
	fmt.Fprintf(b.w, "\r%s [%s] %3.0f%% %6.2f/%.2f GB %4.0fs %-28s", b.label, bar, 100*frac,
		float64(done)/1e9, float64(total)/1e9, now.Sub(b.start).Seconds(), note)
}

// Done ends the bar's line.
func (b *Bar) Done() { fmt.Fprintln(b.w) }
