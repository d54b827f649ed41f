package parity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/model"
)

// SuiteOptions configures RunSuite.
type SuiteOptions struct {
	GoldenDir string // holds models/<name>/ and logits/<name>/*.safetensors
	Threads   int
	EmbedType string // convert option: "f16" (default), "q8_0" or "q6_k"
	OutType   string // convert option: "i2_s" (default) or "t5_s" (same logits bit for bit)
	// Tolerance overrides the per-golden defaults when non-nil.
	Tolerance func(dtype string) Tolerance
}

// RunSuite converts every model under GoldenDir/models to a temp dir and
// checks every golden under GoldenDir/logits/<model>/.
func RunSuite(ctx context.Context, opts SuiteOptions) ([]*Report, error) {
	models, err := filepath.Glob(filepath.Join(opts.GoldenDir, "models", "*", "config.json"))
	if err != nil {
		return nil, err
	}
	if len(models) == 0 {
		return nil, fmt.Errorf("no models under %s (expected models/<name>/config.json; run from the repository root or pass --golden-dir)", filepath.Join(opts.GoldenDir, "models"))
	}
	tmp, err := os.MkdirTemp("", "bitnet-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var reports []*Report
	for _, cfg := range models {
		dir := filepath.Dir(cfg)
		name := filepath.Base(dir)
		out := filepath.Join(tmp, name+".gguf")
		if _, err := convert.Convert(ctx, convert.Options{ModelDir: dir, OutFile: out, EmbedType: opts.EmbedType, OutType: opts.OutType}); err != nil {
			var shape *convert.EmbedShapeError
			if errors.As(err, &shape) {
				// This model cannot hold that head type: every golden of
				// it is reported as skipped, with the reason.
				rs, err := skipped(filepath.Join(opts.GoldenDir, "logits", name), name, shape.Error())
				if err != nil {
					return nil, err
				}
				reports = append(reports, rs...)
				continue
			}
			return nil, fmt.Errorf("converting %s: %w", name, err)
		}
		rs, err := CheckFile(out, filepath.Join(opts.GoldenDir, "logits", name), opts)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			r.Model = name
		}
		reports = append(reports, rs...)
	}
	return reports, nil
}

// skipped returns a report per golden in goldenDir, each Skipped with why.
func skipped(goldenDir, model, why string) ([]*Report, error) {
	goldens, _ := filepath.Glob(filepath.Join(goldenDir, "*.safetensors"))
	sort.Strings(goldens)
	if len(goldens) == 0 {
		return nil, fmt.Errorf("no golden files in %s", goldenDir)
	}
	var reports []*Report
	for _, gp := range goldens {
		g, err := ReadGolden(gp)
		if err != nil {
			return nil, err
		}
		reports = append(reports, &Report{Model: model, Prompt: strings.TrimSuffix(filepath.Base(gp), ".safetensors"),
			Dtype: g.ComputeDtype(), DriftLayer: -1, Skipped: why})
	}
	return reports, nil
}

// CheckFile runs every golden in goldenDir against the GGUF file at path.
// A bfloat16 golden X_bfloat16 with a float32 golden X_float32 of the same
// prompt is held to at most the top-1 agreement of that float32 golden with
// it (ReferenceTop1): the reference's own float32 run is the best any
// float32 implementation can be expected to do against its bfloat16 run.
func CheckFile(path, goldenDir string, opts SuiteOptions) ([]*Report, error) {
	goldens, _ := filepath.Glob(filepath.Join(goldenDir, "*.safetensors"))
	sort.Strings(goldens)
	if len(goldens) == 0 {
		return nil, fmt.Errorf("no golden files in %s", goldenDir)
	}
	m, err := model.Open(path, opts.Threads)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	var reports []*Report
	for _, gp := range goldens {
		g, err := ReadGolden(gp)
		if err != nil {
			return nil, err
		}
		tol := DefaultTolerance(g.ComputeDtype(), false)
		if opts.Tolerance != nil {
			tol = opts.Tolerance(g.ComputeDtype())
		}
		if base, ok := strings.CutSuffix(gp, "_bfloat16.safetensors"); ok && g.ComputeDtype() == "bfloat16" {
			if f, err := ReadGolden(base + "_float32.safetensors"); err == nil && slices.Equal(f.IDs, g.IDs) && f.Vocab == g.Vocab {
				tol.ReferenceTop1 = Compare(f.Logits, g.Logits, g.Vocab).Top1
			}
		}
		r, _, err := Run(m, g, tol)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", gp, err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}

// WriteTable prints reports and the summary as an aligned table.
func WriteTable(w io.Writer, reports []*Report, s *Summary) {
	fmt.Fprintf(w, "%-12s %-18s %-8s %10s %10s %10s %7s %10s %6s  %s\n", "model", "prompt", "ref", "max|Δ|", "RMS Δ", "NMSE", "top-1", "KL", "drift", "status")
	for _, r := range reports {
		status := "ok"
		switch {
		case r.Skipped != "":
			status = "skipped: " + r.Skipped
		case !r.Pass:
			status = "FAIL: " + strings.Join(r.Problems, "; ")
		}
		if r.ReferenceTop1 > 0 && r.ReferenceTop1 < 1 {
			status += fmt.Sprintf(" (reference's float32 run: top-1 %.1f%%)", 100*r.ReferenceTop1)
		}
		drift := "-"
		if r.DriftLayer >= 0 {
			drift = fmt.Sprint(r.DriftLayer)
		}
		if r.Positions == 0 { // not evaluated (a golden of another model's shape)
			fmt.Fprintf(w, "%-12s %-18s %-8s %10s %10s %10s %7s %10s %6s  %s\n", r.Model, r.Prompt, r.Dtype, "-", "-", "-", "-", "-", drift, status)
			continue
		}
		fmt.Fprintf(w, "%-12s %-18s %-8s %10.2e %10.2e %10.2e %6.1f%% %10.2e %6s  %s\n", r.Model, r.Prompt, r.Dtype, r.MaxAbs, r.RMS, r.NMSE, 100*r.Top1, r.KL, drift, status)
	}
	if line := SourceSummary(reports); line != "" {
		fmt.Fprintln(w, line)
	}
	if s == nil {
		return
	}
	verdict := "PASS"
	if !s.Pass {
		verdict = "FAIL: " + strings.Join(s.Problems, "; ")
	}
	skips := ""
	if s.Skipped > 0 {
		skips = fmt.Sprintf(", %d skipped (not evaluated, reasons above)", s.Skipped)
	}
	fmt.Fprintf(w, "\n%d goldens (%d float32%s): median max|Δlogit| %.2e, %.0f%% within 1e-3 — %s\n", s.Goldens, s.Float32, skips, s.MedianMax, 100*s.FracTight, verdict)
}

// WriteJSON prints reports and the summary as one JSON object.
func WriteJSON(w io.Writer, reports []*Report, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Reports []*Report `json:"reports"`
		Summary *Summary  `json:"summary,omitempty"`
	}{reports, s})
}
