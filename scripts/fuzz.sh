#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time each (default 10s):
#   scripts/fuzz.sh [DURATION]
# A run that ends with Go's "context deadline exceeded" and no failing input
# written is the fuzz coordinator timing out at the deadline (a known
# toolchain flake), not a finding: it is reported and tolerated. Any real
# failure writes testdata/fuzz/<Target>/<hash> and fails the script.
set -uo pipefail
cd "$(dirname "$0")/.."
d=${1:-10s}
status=0
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "-- $pkg $target ($d)"
		out=$(go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$d" -fuzzminimizetime 2s 2>&1)
		rc=$?
		echo "$out" | tail -3
		if [ $rc -ne 0 ]; then
			if echo "$out" | grep -q "context deadline exceeded" && ! echo "$out" | grep -q "Failing input written"; then
				echo "   (coordinator deadline flake, no failing input: tolerated)"
			else
				echo "$out"
				status=1
			fi
		fi
	done
done
exit $status
