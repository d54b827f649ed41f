#!/usr/bin/env bash
# Runs the README's commands that need no download, exactly as written there
# (each is checked to appear verbatim in README.md first): the build line,
# the tiny-llama3 model, the scripted chat and perplexity on the bundled
# text. The main command (go run ./cmd/verify) and go test ./... are run by
# .ci/run itself. Usage: scripts/readme-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
rm -rf /tmp/tiny-llama3
trap 'rm -rf /tmp/tiny-llama3' EXIT
run() { # run CMD: CMD must be a line of README.md (after its 4-space indent)
	local cmd=$1
	if ! grep -qxF "    $cmd" README.md && ! grep -qF "    $cmd  " README.md && ! grep -qF "    $cmd #" README.md; then
		echo "readme-smoke: not in README.md as written: $cmd" >&2
		exit 1
	fi
	echo "+ $cmd" >&2
	bash -c "$cmd"
}
run "go build -o bin/ ./cmd/..."
for b in bitnet-convert verify infer; do bin/$b --version; done
run "go run ./scripts/synth --preset tiny-llama3 --out /tmp/tiny-llama3"
run "go run ./cmd/bitnet-convert /tmp/tiny-llama3"
out=$(run "printf 'Hello!\\nWhat is the capital of France?\\n' | go run ./cmd/infer -m /tmp/tiny-llama3/ggml-model-i2_s.gguf --chat -n 16 --temp 0")
[ "$(printf '%s\n' "$out" | grep -c .)" -ge 2 ] || { echo "readme-smoke: chat printed $out" >&2; exit 1; }
ppl=$(run "go run ./cmd/infer perplexity -m /tmp/tiny-llama3/ggml-model-i2_s.gguf -f testdata/text/lighthouse.txt -c 128 --chunks 2")
printf '%s\n' "$ppl"
printf '%s\n' "$ppl" | grep -q '^Final estimate: PPL = [0-9.]* +/- [0-9.]*$' || { echo "readme-smoke: no final PPL line" >&2; exit 1; }
echo "readme-smoke: ok"
