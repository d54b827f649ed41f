#!/usr/bin/env bash
# Test package kernel's arm64 paths on an x86-64 machine under QEMU user-mode
# emulation, twice (then model's T5_S = T3_S = I2_S parity tests once):
#   1. the default CPU ("max", has FEAT_DotProd): "neondot" and "neon" must
#      both be available and tested;
#   2. QEMU_CPU=cortex-a53 (ARMv8.0, no dot product): only "neon".
# BITNET_EXPECT_PATHS makes the tests fail, rather than skip, when a path the
# run should exercise is missing. Extra arguments go to the test binary, e.g.
#   scripts/test-arm64.sh -test.run NEON -test.v
# Exits non-zero if vet, the build, either run, or QEMU setup fails.
set -uo pipefail

cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'test-arm64: %s\n' "$*" >&2; exit 1; }

find_qemu() {
	command -v qemu-aarch64-static || command -v qemu-aarch64 || true
}

qemu=$(find_qemu)
if [[ -z $qemu ]]; then
	log "qemu-aarch64-static not found; installing qemu-user-static with apt-get"
	if [[ $(id -u) -eq 0 ]]; then
		as_root=()
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		as_root=(sudo -n)
	else
		die "qemu-aarch64-static is missing and this user cannot install it (not root, no passwordless sudo).
Install it, then rerun:  sudo apt-get install -y qemu-user-static   (or: qemu-user)"
	fi
	command -v apt-get >/dev/null || die "qemu-aarch64-static is missing and apt-get is not available; install QEMU user-mode emulation for aarch64"
	if ! "${as_root[@]}" apt-get install -y qemu-user-static >/dev/null; then
		"${as_root[@]}" apt-get update >/dev/null && "${as_root[@]}" apt-get install -y qemu-user-static >/dev/null ||
			die "apt-get install qemu-user-static failed"
	fi
	qemu=$(find_qemu)
	[[ -n $qemu ]] || die "qemu-user-static installed but qemu-aarch64-static is still not on PATH"
fi
log "using $qemu"

log "GOARCH=arm64 go vet ./kernel/"
GOARCH=arm64 go vet ./kernel/ || die "go vet failed"

bin=${TMPDIR:-/tmp}/kernel.arm64.test
log "GOARCH=arm64 go test -c -o $bin ./kernel/"
GOARCH=arm64 go test -c -o "$bin" ./kernel/ || die "building the arm64 test binary failed"

status=0

log "run 1: QEMU default CPU (max, FEAT_DotProd), expecting neondot,neon"
if ! env -u QEMU_CPU BITNET_EXPECT_PATHS=neondot,neon "$qemu" "$bin" -test.v "$@"; then
	log "run 1 FAILED"
	status=1
fi

log "run 2: QEMU_CPU=cortex-a53 (no dot product), expecting neon"
if ! QEMU_CPU=cortex-a53 BITNET_EXPECT_PATHS=neon "$qemu" "$bin" -test.v "$@"; then
	log "run 2 FAILED"
	status=1
fi

# Model-level parity on arm64: T5_S projections compute the same logits as
# I2_S bit for bit on every arm64 path (the bundled goldens' checkpoints,
# converted inside the test; run from the package directory as go test does).
mbin=${TMPDIR:-/tmp}/model.arm64.test
log "GOARCH=arm64 go test -c -o $mbin ./model/ (T5_S = I2_S parity under the default CPU)"
if ! GOARCH=arm64 go test -c -o "$mbin" ./model/ || ! (cd model && env -u QEMU_CPU "$qemu" "$mbin" -test.run 'TestOwnLayoutsMatchI2S|TestT5SWithQ6_KHead'); then
	log "model parity run FAILED"
	status=1
fi

if [[ $status -eq 0 ]]; then
	log "arm64: both runs passed"
else
	log "arm64: FAILED"
fi
exit $status
