package model

import "github.com/bitnet-go/bitnet/kernel"

// tmpPool stands in for kernel.Pool until it lands.
type tmpPool struct{ n int }

func newTmpPool(n int) *tmpPool { return &tmpPool{n} }
func (p *tmpPool) Threads() int { return p.n }
func (p *tmpPool) Close()       {}
func (p *tmpPool) Run(n int, fn func(lo, hi int)) {
	fn(0, n)
}
func (p *tmpPool) MatMat(dst []int32, w []byte, x []int8, k, rows, tokens int) {
	kernel.MatMat(dst, w, x, k, rows, tokens)
}
