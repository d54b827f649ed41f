// Package membw measures this machine's memory read bandwidth, so speed
// figures can be reported as a fraction of the memory roofline measured in
// the same run.
package membw
