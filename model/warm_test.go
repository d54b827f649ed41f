package model

import (
	"testing"
	"unsafe"
)

// TestWarmPlanReadsNextJob: at the end of each BitLinear of a decode step,
// idle threads read the start of the next weight job: O after QKV, gate and
// up (side by side) after O, down after them, the next layer's QKV after
// down, the LM head after the last layer, and the first layer's QKV after
// the head. Each thread's part starts at the first row of its segment of
// the next job (sched.Pool.SplitStarts); no part exceeds warmBytes.
func TestWarmPlanReadsNextJob(t *testing.T) {
	w := weightsFromHF(t, "../golden/models/tiny_a")
	m, err := New(w, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	plan, afterHead := m.warmPlan()
	same := func(a, b []byte) bool { return len(a) > 0 && len(b) > 0 && unsafe.SliceData(a) == unsafe.SliceData(b) }
	within := func(part, all []byte) bool {
		p, a := uintptr(unsafe.Pointer(unsafe.SliceData(part))), uintptr(unsafe.Pointer(unsafe.SliceData(all)))
		return len(part) > 0 && p > a && p+uintptr(len(part)) <= a+uintptr(len(all))
	}
	for li := range w.Layers {
		L := &w.Layers[li]
		var nextQ []byte
		if li+1 < len(w.Layers) {
			nextQ = w.Layers[li+1].Q.Packed
		}
		for k, first := range [numOps][]byte{L.O.Packed, L.Gate.Packed, L.Down.Packed, nextQ} {
			tg := plan[li][k]
			for th, p := range tg.parts {
				for _, b := range p {
					if len(b) > warmBytes {
						t.Fatalf("layer %d op %d thread %d: %d bytes, more than %d", li, k, th, len(b), warmBytes)
					}
				}
			}
			if first == nil { // the head
				head := w.Head()
				data := head.Data
				if head.Type == TableF16 {
					data = f16Bytes(head.F16)
				}
				if !same(tg.parts[0][0], data) {
					t.Fatalf("last layer: thread 0 does not read the head's first rows")
				}
				continue
			}
			if !same(tg.parts[0][0], first) {
				t.Fatalf("layer %d op %d: thread 0 does not read the next job's first rows", li, k)
			}
			if k == opO && !same(tg.parts[0][1], L.Up.Packed) {
				t.Fatalf("layer %d: thread 0 does not read up beside gate", li)
			}
			if k == opO && (!within(tg.parts[1][0], L.Gate.Packed) || !within(tg.parts[1][1], L.Up.Packed)) {
				t.Fatalf("layer %d: thread 1 does not read further into gate and up", li)
			}
			if k == opO {
				r := m.pool.SplitStarts(nil, L.Gate.Rows)[1]
				rb := L.Gate.Format.rowBytes(L.Gate.K)
				if !same(tg.parts[1][0], L.Gate.Packed[r*rb:]) {
					t.Fatalf("layer %d: thread 1 does not read gate from row %d, the start of its segment", li, r)
				}
			}
		}
	}
	if afterHead == nil || !same(afterHead.parts[0][0], w.Layers[0].Q.Packed) {
		t.Fatal("after the head, thread 0 does not read the first layer's Q")
	}
	one, err := New(w, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	if plan, head := one.warmPlan(); plan != nil || head != nil {
		t.Fatal("one thread has a warm plan")
	}
}
