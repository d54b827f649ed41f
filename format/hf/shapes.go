package hf

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bitnet-go/bitnet/arch"
)

// LMHead is the name of an untied output head. BitNet ties the LM head to
// the token embedding (docs/SEMANTICS.md §1, §5), so for that family a stored
// lm_head.weight is accepted and ignored: CheckShapes does not require it,
// Unexpected does not list it. Families with an untied head (arch.Llama)
// require it.
const LMHead = "lm_head.weight"

// Role classifies an expected tensor.
type Role int

const (
	RoleEmbedding   Role = iota // model.embed_tokens.weight (also the tied LM head)
	RoleNorm                    // RMSNorm weights
	RoleProjection              // a BitLinear weight: master [out, in], or packed U8 [out/4, in]
	RoleWeightScale             // <projection>.weight_scale of the packed form, shape [1]
	RoleOutput                  // an untied LM head, lm_head.weight [vocab, hidden], never ternarized
)

// TensorSpec is one tensor a checkpoint must hold.
type TensorSpec struct {
	Name   string
	Shape  []int
	Dtypes []string // accepted safetensors dtypes
	Role   Role
	// Out and In are a projection's logical dimensions (also set on the
	// packed form, whose stored Shape is [Out/4, In], and its weight_scale).
	Out, In int
	// Arch is the family's description of the tensor (for a weight_scale,
	// that of its projection), with GGUF name and row permutation.
	Arch arch.Spec
	// From says where Shape comes from, for error messages.
	From string
}

var (
	floatDtypes = []string{"BF16", "F16", "F32"}
	scaleDtypes = []string{"BF16", "F16", "F32"}
)

// ExpectedTensors lists, in a fixed order, every tensor of the checkpoint
// cfg describes (its family's arch.Family.Expand: docs/SEMANTICS.md §1 names, §3
// forms): the embedding, per layer the norms and the projections, then
// model.norm.weight (and lm_head.weight for an untied head). With
// cfg.Packed() the projections are U8 [out/4, in] each followed by its
// weight_scale [1]. cfg must be valid; the packed form also needs every
// projection's out dimension to be a multiple of 4.
func ExpectedTensors(cfg *Config) ([]TensorSpec, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	fam, err := cfg.Family()
	if err != nil {
		return nil, err
	}
	d := cfg.Dims()
	packed := cfg.Packed()
	var specs []TensorSpec
	var errs []error
	for _, a := range fam.Expand(d) {
		from := d.Describe(a.Out)
		if a.Cols > 0 {
			from = "[" + from + ", " + d.Describe(a.In) + "]"
		}
		s := TensorSpec{Name: a.HFName, Shape: []int{a.Rows, a.Cols}, Dtypes: floatDtypes, Arch: a, From: from}
		switch a.Role {
		case arch.RoleEmbedding:
			s.Role = RoleEmbedding
		case arch.RoleOutput:
			s.Role = RoleOutput
		case arch.RoleNorm:
			s.Role, s.Shape = RoleNorm, []int{a.Rows}
		case arch.RoleProjection:
			s.Role, s.Out, s.In = RoleProjection, a.Rows, a.Cols
			if packed {
				if a.Rows%4 != 0 {
					errs = append(errs, fmt.Errorf("tensor %q: the packed form needs the out dimension %d to be a multiple of 4", a.HFName, a.Rows))
				}
				s.Shape, s.Dtypes, s.From = []int{a.Rows / 4, a.Cols}, []string{"U8"}, "packed from "+from
				scale := TensorSpec{Name: strings.TrimSuffix(a.HFName, ".weight") + ".weight_scale", Shape: []int{1}, Dtypes: scaleDtypes,
					Role: RoleWeightScale, Out: a.Rows, In: a.Cols, Arch: a, From: "one scale per tensor"}
				specs = append(specs, s, scale)
				continue
			}
		}
		specs = append(specs, s)
	}
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return specs, nil
}

// maxShapeErrors bounds how many problems CheckShapes reports at once.
const maxShapeErrors = 10

// CheckShapes checks that every tensor cfg implies (ExpectedTensors) is
// present with the expected shape and an accepted dtype. Errors name the
// tensor, the expected and the found shape or dtype; up to ten problems are
// reported together. Extra tensors are allowed: see Unexpected. A config
// with tie_word_embeddings false needs an lm_head.weight.
func (c *Checkpoint) CheckShapes(cfg *Config) error {
	specs, err := ExpectedTensors(cfg)
	if err != nil {
		return err
	}
	var errs []error
	total := 0
	for _, s := range specs {
		var err error
		e, ok := c.tensors[s.Name]
		switch {
		case !ok:
			err = classify(fmt.Errorf("tensor %q (expected shape %v) is missing from the checkpoint", s.Name, s.Shape), ErrMissingTensor)
		case !slices.Equal(e.info.Shape, s.Shape):
			err = classify(fmt.Errorf("tensor %q: expected shape %v (%s), found %v", s.Name, s.Shape, s.From, e.info.Shape), ErrShape)
		case !slices.Contains(s.Dtypes, e.info.Dtype):
			err = fmt.Errorf("tensor %q: expected dtype %s, found %s", s.Name, strings.Join(s.Dtypes, " or "), e.info.Dtype)
			if s.Role == RoleProjection && cfg.Packed() != (e.info.Dtype == "U8") {
				err = fmt.Errorf("%w (config.json quantization_mode is %q)", err, cfg.Quantization.modeOrNone())
			}
			err = classify(err, ErrDtype)
		}
		if err != nil {
			total++
			if len(errs) < maxShapeErrors {
				errs = append(errs, err)
			}
		}
	}
	if !cfg.TieWordEmbeddings && !c.Has(LMHead) {
		// transformers would build an untied head, randomly initialized;
		// the embedding as head would be a different model.
		total++
		errs = append(errs, classify(fmt.Errorf("config.json has tie_word_embeddings false%s but the checkpoint has no %s: transformers would build a randomly initialized LM head; set tie_word_embeddings to true if the embedding is the head",
			cfg.defaultedNote("tie_word_embeddings"), LMHead), ErrMissingTensor))
	}
	if total > len(errs) {
		errs = append(errs, fmt.Errorf("... and %d more", total-len(errs)))
	}
	return errors.Join(errs...)
}

func (q *QuantizationConfig) modeOrNone() string {
	if q == nil {
		return "absent"
	}
	return q.QuantizationMode
}

// Unexpected returns the sorted names of tensors that cfg does not imply,
// other than an ignored lm_head.weight (see LMHead), so a converter can
// warn about them. It returns
// nil when cfg is invalid (CheckShapes reports that).
func (c *Checkpoint) Unexpected(cfg *Config) []string {
	specs, err := ExpectedTensors(cfg)
	if err != nil {
		return nil
	}
	want := make(map[string]bool, len(specs)+1)
	for _, s := range specs {
		want[s.Name] = true
	}
	want[LMHead] = true
	var out []string
	for _, name := range c.names {
		if !want[name] {
			out = append(out, name)
		}
	}
	return out
}
