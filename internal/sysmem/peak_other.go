//go:build !unix

package sysmem

// PeakRSS is unknown here.
func PeakRSS() (bytes uint64, ok bool) { return 0, false }
