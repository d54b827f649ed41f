// Package limits holds the bounds every model this project converts or
// loads must respect, in one place: format/hf checks config.json against
// them, model checks a GGUF file's metadata against them, so convert never
// writes a file the loader refuses. Each bound is far above any real BitNet
// checkpoint (2B4T: hidden 2560, 30 layers, 128256 tokens, context 4096)
// and low enough that the products the code forms stay in range.
//
// The checks return plain errors naming the key, the value and the accepted
// range; callers add the file's name.
package limits
