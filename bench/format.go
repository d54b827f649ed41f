package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
)

// WriteMarkdown prints rows as a llama-bench style markdown table.
func WriteMarkdown(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| model | threads | kernel | prefetch | test | t/s | mem BW GB/s | roofline t/s | of roofline | load |")
	fmt.Fprintln(w, "|---|---:|---|---|---|---:|---:|---:|---:|---|")
	for _, r := range rows {
		roof, frac := "", ""
		if r.RooflineTS > 0 {
			roof, frac = fmt.Sprintf("%.1f", r.RooflineTS), fmt.Sprintf("%.0f%%", 100*r.RooflineFrac)
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %.2f ± %.2f | %.1f | %s | %s | %.2f s, %s |\n",
			filepath.Base(r.Model), r.NThreads, r.Kernel, r.Prefetch, r.Test, r.AvgTS, r.StddevTS, r.MemBWGBs, roof, frac, r.LoadSec, r.Loaded)
	}
}

// WriteJSON prints rows as a JSON array.
func WriteJSON(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}
