package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
)

// WriteMarkdown prints rows as a llama-bench style markdown table.
func WriteMarkdown(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| model | threads | kernel | prefetch | test | t/s | MB/token | mem BW GB/s | roofline t/s | of roofline | load |")
	fmt.Fprintln(w, "|---|---:|---|---|---|---:|---:|---:|---:|---:|---|")
	for _, r := range rows {
		roof, frac := "", ""
		if r.RooflineTS > 0 {
			roof, frac = fmt.Sprintf("%.1f", r.RooflineTS), fmt.Sprintf("%.0f%%", 100*r.RooflineFrac)
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %.2f ± %.2f | %.1f | %.1f | %s | %s | %.2f s, %s |\n",
			filepath.Base(r.Model), r.NThreads, r.Kernel, r.Prefetch, r.Test, r.AvgTS, r.StddevTS, float64(r.BytesPerTok)/1e6, r.MemBWGBs, roof, frac, r.LoadSec, r.Loaded)
	}
	header := false
	for _, r := range rows {
		if len(r.Phases) == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(w)
			fmt.Fprintln(w, "| threads | test | phase | ms/token | MB/token | GB/s | of read BW |")
			fmt.Fprintln(w, "|---:|---|---|---:|---:|---:|---:|")
			header = true
		}
		for _, p := range r.Phases {
			gbs, of := "", ""
			if p.GBs > 0 {
				gbs, of = fmt.Sprintf("%.1f", p.GBs), fmt.Sprintf("%.0f%%", 100*p.OfBW)
			}
			fmt.Fprintf(w, "| %d | %s | %s | %.2f | %.0f | %s | %s |\n", r.NThreads, r.Test, p.Name, p.MS, float64(p.Bytes)/1e6, gbs, of)
		}
	}
}

// lowRoofline is the fraction of its roofline under which a decode row is
// reported by Warnings.
const lowRoofline = 0.8

// Warnings returns a line for every decode row under 80% of its roofline,
// naming the phase that loses the most time against its own roofline.
func Warnings(rows []Row) []string {
	var out []string
	for _, r := range rows {
		if r.RooflineTS == 0 || r.RooflineFrac >= lowRoofline {
			continue
		}
		line := fmt.Sprintf("%s at %d threads runs at %.0f%% of its roofline (%.1f of %.1f t/s at %.1f GB/s)",
			r.Test, r.NThreads, 100*r.RooflineFrac, r.AvgTS, r.RooflineTS, r.MemBWGBs)
		if p, ok := r.SlowestPhase(); ok {
			line += fmt.Sprintf("; slowest phase: %s, %.2f ms/token", p.Name, p.MS)
			if p.GBs > 0 {
				line += fmt.Sprintf(" at %.1f GB/s (%.0f%% of read bandwidth)", p.GBs, 100*p.OfBW)
			}
		}
		out = append(out, line)
	}
	return out
}

// WriteJSON prints rows as a JSON array.
func WriteJSON(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}
