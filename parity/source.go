package parity

import (
	"fmt"
	"strings"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
)

// Source check outcomes (Report.Source): whether a golden was made from
// the checkpoint the file was converted from, by the SHA-256 digests both
// record (golden metadata config_sha256 / weights_sha256, file keys
// convert.KeySourceConfig / convert.KeySourceWeights).
const (
	SourceMatch       = "match"         // every digest the golden records equals the file's
	SourceOther       = "another model" // a digest differs: the golden belongs to another model
	SourceNotRecorded = "not recorded"  // the file records no digests (bitnet.cpp's, an older convert's)
	SourceNotInGolden = "not in golden" // the golden records no digests
)

// shortDigest is how a digest is shown in messages.
func shortDigest(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}

// checkSource compares f's recorded source with g's. problem is non-empty
// (a sentence naming each digest that differs, both values shortened) when
// the outcome is SourceOther.
func checkSource(f *gguf.File, g *Golden) (outcome, problem string) {
	d, ok := convert.ReadSourceDigests(f)
	if !ok {
		return SourceNotRecorded, ""
	}
	gw, gc := g.Meta["weights_sha256"], g.Meta["config_sha256"]
	if gw == "" && gc == "" {
		return SourceNotInGolden, ""
	}
	var diffs []string
	for _, c := range []struct{ key, golden, file string }{
		{"weights_sha256", gw, d.Weights},
		{"config_sha256", gc, d.Config},
	} {
		if c.golden != "" && !strings.EqualFold(c.golden, c.file) {
			diffs = append(diffs, fmt.Sprintf("%s differs (golden %s, file %s)", c.key, shortDigest(c.golden), shortDigest(c.file)))
		}
	}
	if len(diffs) == 0 {
		return SourceMatch, ""
	}
	src := ""
	if m := g.Meta["model"]; m != "" {
		src = " (" + m + ")"
	}
	return SourceOther, "golden belongs to another model" + src + ": " + strings.Join(diffs, ", ")
}

// SourceSummary is one line saying how the reports' goldens compare with
// their files' recorded sources, or "" when no report was checked.
func SourceSummary(reports []*Report) string {
	count := map[string]int{}
	for _, r := range reports {
		if r.Source != "" {
			count[r.Source]++
		}
	}
	var parts []string
	for _, s := range []struct{ key, text string }{
		{SourceMatch, "match the source the file records (weights and config sha256)"},
		{SourceOther, "belong to another model"},
		{SourceNotRecorded, "not checked: the file's source digests are not recorded (not converted by bitnet-go convert)"},
		{SourceNotInGolden, "not checked: the golden records no source digests"},
	} {
		if n := count[s.key]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d golden(s) %s", n, s.text))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "source: " + strings.Join(parts, "; ")
}
