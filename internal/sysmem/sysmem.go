package sysmem

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// Available returns an estimate of the bytes of memory available to this
// process: the kernel's MemAvailable, lowered to the cgroup (v2 or v1)
// memory limit's headroom when there is one. ok is false where no estimate
// is possible (not Linux, /proc not mounted); callers then just try.
func Available() (n uint64, ok bool) {
	n, ok = memAvailable()
	if !ok {
		return 0, false
	}
	if h, ok := cgroupHeadroom(); ok && h < n {
		n = h
	}
	return n, true
}

// memAvailable reads MemAvailable from /proc/meminfo.
func memAvailable() (uint64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil || kb > 1<<53 {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}

// cgroupHeadroom returns limit - usage of this process's memory cgroup.
func cgroupHeadroom() (uint64, bool) {
	for _, p := range [][2]string{
		{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},                                 // v2
		{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"}, // v1
	} {
		limit, ok1 := readUint(p[0])
		usage, ok2 := readUint(p[1])
		if !ok1 || !ok2 {
			continue
		}
		if usage >= limit {
			return 0, true
		}
		return limit - usage, true
	}
	return 0, false
}

// readUint reads a file holding one decimal number ("max" or an
// unparsable value: not ok).
func readUint(path string) (uint64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64)
	return v, err == nil
}
