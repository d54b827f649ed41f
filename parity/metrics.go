package parity

import (
	"math"

	"github.com/bitnet-go/bitnet/model"
)

// Metrics compares our logits with a golden's, position by position, the
// way llama-perplexity --kl-divergence reports parity.
type Metrics struct {
	Positions int     `json:"positions"`
	MaxAbs    float64 `json:"max_abs_diff"`  // max |Δlogit| over all positions and tokens
	RMS       float64 `json:"rms_diff"`      // sqrt(mean Δ²)
	NMSE      float64 `json:"nmse"`          // Σ Δ² / Σ golden²
	Top1      float64 `json:"top1_agree"`    // fraction of positions with the same argmax
	KL        float64 `json:"kl_divergence"` // mean KL(golden ‖ ours), nats
}

// nonFinite names the first metric that is NaN or infinite ("" if none).
func (m Metrics) nonFinite() string {
	for _, f := range []struct {
		name string
		v    float64
	}{{"max |Δlogit|", m.MaxAbs}, {"RMS Δ", m.RMS}, {"NMSE", m.NMSE}, {"top-1 agreement", m.Top1}, {"KL divergence", m.KL}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return f.name
		}
	}
	return ""
}

// Compare computes Metrics for logits laid out [positions][vocab]. Both
// must be finite (Run checks): a NaN would make the metrics NaN, which no
// verdict passes.
func Compare(ours, golden []float32, vocab int) Metrics {
	n := len(golden) / vocab
	m := Metrics{Positions: n}
	var sq, gsq float64
	agree := 0
	for p := 0; p < n; p++ {
		a, g := ours[p*vocab:(p+1)*vocab], golden[p*vocab:(p+1)*vocab]
		for i := range g {
			d := float64(a[i]) - float64(g[i])
			m.MaxAbs = max(m.MaxAbs, math.Abs(d))
			sq += d * d
			gsq += float64(g[i]) * float64(g[i])
		}
		if model.Argmax(a) == model.Argmax(g) {
			agree++
		}
		m.KL += kl(g, a)
	}
	if n > 0 {
		m.RMS = math.Sqrt(sq / float64(n*vocab))
		m.Top1 = float64(agree) / float64(n)
		m.KL /= float64(n)
	}
	if gsq > 0 {
		m.NMSE = sq / gsq
	}
	return m
}

// logSoftmax returns log softmax(x) in float64.
func logSoftmax(x []float32) []float64 {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = math.Max(mx, float64(v))
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v) - mx)
	}
	ls := math.Log(s) + mx
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v) - ls
	}
	return out
}

// kl returns KL(P ‖ Q) for P = softmax(p), Q = softmax(q).
func kl(p, q []float32) float64 {
	lp, lq := logSoftmax(p), logSoftmax(q)
	var s float64
	for i := range lp {
		s += math.Exp(lp[i]) * (lp[i] - lq[i])
	}
	return max(s, 0)
}
