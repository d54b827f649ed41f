#!/usr/bin/env bash
# End-to-end benchmark at 2B4T scale on this machine:
#   1. make the random-weight 2B4T-shaped HF checkpoint (cached in
#      ${BITNET_BENCH_DIR:-$HOME/.cache/bitnet-go}/synth-2b4t, ~4.8 GB);
#   2. convert it (wall seconds and peak RSS from /usr/bin/time);
#   3. run `infer bench` (pp128 / tg32 at 1 and 2 threads, with the memory
#      roofline measured in the same run), F16 and Q8_0 LM heads, and, when
#      BITNET_CPP=DIR names a bitnet.cpp build (DIR/build/bin/llama-bench or
#      DIR/bin/llama-bench), llama-bench on the same F16-head file that our
#      convert wrote, in the same session;
# and print one markdown report, bitnet-go's and bitnet.cpp's rows in one
# table. Usage: [BITNET_CPP=DIR] scripts/bench.sh [-r REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=5
[ "${1:-}" = "-r" ] && reps=$2
cache=${BITNET_BENCH_DIR:-$HOME/.cache/bitnet-go}
ckpt=$cache/synth-2b4t
mkdir -p "$cache" bin
go build -o bin/ ./cmd/bitnet-convert
go build -o bin/infer ./cmd/infer
go build -o bin/benchtable ./scripts/benchtable
llama_bench=
if [ -n "${BITNET_CPP:-}" ]; then
	for c in "$BITNET_CPP/build/bin/llama-bench" "$BITNET_CPP/bin/llama-bench" "$BITNET_CPP/llama-bench"; do
		[ -x "$c" ] && { llama_bench=$c; break; }
	done
	[ -n "$llama_bench" ] || { echo "BITNET_CPP=$BITNET_CPP: no llama-bench under build/bin, bin or the directory itself" >&2; exit 1; }
fi
if [ ! -f "$ckpt/model.safetensors.index.json" ]; then
	go run ./scripts/synth --preset 2b4t --out "$ckpt" >&2
fi
timed() { # timed LABEL CMD...: runs CMD, prints "LABEL: S s, RSS MB"
	local label=$1; shift
	local log; log=$(mktemp)
	/usr/bin/time -v "$@" 2>"$log" >/dev/null || { cat "$log" >&2; exit 1; }
	awk -v l="$label" '/Elapsed \(wall clock\)/ {n=split($NF,t,":"); s=(n==3? t[1]*3600+t[2]*60+t[3] : t[1]*60+t[2])}
		/Maximum resident/ {r=$NF/1024} END {printf "| %s | %.1f s | %.0f MB |\n", l, s, r}' "$log"
	rm -f "$log"
}
echo "# bitnet-go benchmark, $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "| conversion of the 4.8 GB BF16 checkpoint | wall | peak RSS |"
echo "|---|---:|---:|"
timed "convert (F16 LM head)" bin/bitnet-convert --force --outfile "$cache/2b4t-i2_s.gguf" "$ckpt"
timed "convert --embd-type q8_0" bin/bitnet-convert --force --embd-type q8_0 --outfile "$cache/2b4t-i2_s-q8.gguf" "$ckpt"
sync # let the page cache write the new files back before timing reads
sleep 5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin/infer bench -m "$cache/2b4t-i2_s.gguf" -p 128 -n 32 -t 1,2 -r "$reps" -o json >"$tmp/ours.json"
peers=()
if [ -n "$llama_bench" ]; then
	# --poll 100 as bitnet.cpp's published figures, where this build has it.
	poll=()
	"$llama_bench" --help 2>&1 | grep -q -- --poll && poll=(--poll 100)
	"$llama_bench" -m "$cache/2b4t-i2_s.gguf" -p 128 -n 32 -t 1,2 -r "$reps" "${poll[@]}" -o json >"$tmp/bitnet-cpp.json"
	peers+=("bitnet.cpp=$tmp/bitnet-cpp.json")
fi
echo
bin/benchtable "$tmp/ours.json" "${peers[@]}"
echo
bin/infer bench -m "$cache/2b4t-i2_s-q8.gguf" -p 0 -n 32 -t 1,2 -r "$reps"
