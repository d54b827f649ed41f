#!/usr/bin/env bash
# End-to-end benchmark at 2B4T scale on this machine:
#   1. make the random-weight 2B4T-shaped HF checkpoint (cached in
#      ${BITNET_BENCH_DIR:-$HOME/.cache/bitnet-go}/synth-2b4t, ~4.8 GB);
#   2. convert it (wall seconds and peak RSS from /usr/bin/time);
#   3. run `infer bench` (pp128 / tg32 at 1 and 2 threads, with the memory
#      roofline measured in the same run) on five files: I2_S with an F16,
#      Q8_0 or Q6_K LM head, and T5_S and T3_S with a Q6_K head (the fewest
#      bytes per token); when BITNET_CPP=DIR names a bitnet.cpp build (DIR/build/bin/
#      llama-bench or DIR/bin/llama-bench), llama-bench on the same F16-head
#      file that our convert wrote; when IK_LLAMA=DIR names an ik_llama.cpp
#      build, its llama-quantize turns that file into IQ2_BN with a Q6_K
#      head (cached beside it) and its llama-bench runs it with -rtr 1;
#      REPS rounds of one repetition each, every peer right after the file
#      it is compared with and after its own bandwidth reading (infer membw);
# and print one markdown report, every row in one table (scripts/benchtable:
# means over rounds, ratios as the median of same-round ratios).
# Usage: [BITNET_CPP=DIR] [IK_LLAMA=DIR] scripts/bench.sh [-r ROUNDS]
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
# findbin VAR DIR NAME: the build's NAME under DIR/build/bin, DIR/bin or DIR.
findbin() {
	local c
	for c in "$2/build/bin/$3" "$2/bin/$3" "$2/$3"; do
		[ -x "$c" ] && { printf '%s' "$c"; return; }
	done
	echo "$1=$2: no $3 under build/bin, bin or the directory itself" >&2
	exit 1
}
llama_bench= ik_bench= ik_quantize=
[ -n "${BITNET_CPP:-}" ] && llama_bench=$(findbin BITNET_CPP "$BITNET_CPP" llama-bench)
if [ -n "${IK_LLAMA:-}" ]; then
	ik_bench=$(findbin IK_LLAMA "$IK_LLAMA" llama-bench)
	ik_quantize=$(findbin IK_LLAMA "$IK_LLAMA" llama-quantize)
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
timed "convert --embd-type q6_k" bin/bitnet-convert --force --embd-type q6_k --outfile "$cache/2b4t-i2_s-q6k.gguf" "$ckpt"
timed "convert --outtype t5_s --embd-type q6_k" bin/bitnet-convert --force --outtype t5_s --embd-type q6_k --outfile "$cache/2b4t-t5_s-q6k.gguf" "$ckpt"
timed "convert --outtype t3_s --embd-type q6_k" bin/bitnet-convert --force --outtype t3_s --embd-type q6_k --outfile "$cache/2b4t-t3_s-q6k.gguf" "$ckpt"
sync # let the page cache write the new files back before timing reads
sleep 5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
poll=()
if [ -n "$llama_bench" ]; then
	# --poll 100 as bitnet.cpp's published figures, where this build has it.
	"$llama_bench" --help 2>&1 | grep -q -- --poll && poll=(--poll 100)
fi
ikfile=$cache/2b4t-iq2_bn-q6k.gguf
if [ -n "$ik_bench" ] && [ ! -f "$ikfile" ]; then
	# ik_llama.cpp computes ternary weights as IQ2_BN (it cannot run I2_S):
	# requantize our F16-head file once, Q6_K head as ik would choose.
	"$ik_quantize" --allow-requantize --token-embedding-type q6_k --output-tensor-type q6_k \
		"$cache/2b4t-i2_s.gguf" "$ikfile" iq2_bn >"$ikfile.log" 2>&1 || { cat "$ikfile.log" >&2; exit 1; }
fi
# Rounds: every file once per round, each peer right after the file it is
# compared with and after a bandwidth reading of its own, so that both see
# the same machine (a shared VM's bandwidth moves within a minute).
ours=() peers=()
for round in $(seq 1 "$reps"); do
	for f in 2b4t-i2_s 2b4t-i2_s-q8 2b4t-i2_s-q6k 2b4t-t5_s-q6k 2b4t-t3_s-q6k; do
		bin/infer bench -m "$cache/$f.gguf" -p 128 -n 32 -t 1,2 -r 1 -o json >"$tmp/$f.$round.json"
		ours+=("$tmp/$f.$round.json")
		if [ "$f" = 2b4t-i2_s ] && [ -n "$llama_bench" ]; then
			bin/infer membw -t 1,2 -o json >"$tmp/bw-bitnet-cpp.$round.json"
			"$llama_bench" -m "$cache/2b4t-i2_s.gguf" -p 128 -n 32 -t 1,2 -r 1 "${poll[@]}" -o json >"$tmp/bitnet-cpp.$round.json"
			peers+=("bitnet.cpp=$tmp/bitnet-cpp.$round.json@$tmp/bw-bitnet-cpp.$round.json")
		fi
		if [ "$f" = 2b4t-t3_s-q6k ] && [ -n "$ik_bench" ]; then
			bin/infer membw -t 1,2 -o json >"$tmp/bw-ik.$round.json"
			"$ik_bench" -m "$ikfile" -p 128 -n 32 -t 1,2 -r 1 -rtr 1 -o json >"$tmp/ik.$round.json"
			peers+=("ik_llama.cpp=$tmp/ik.$round.json@$tmp/bw-ik.$round.json")
		fi
	done
done
echo
bin/benchtable "${ours[@]}" "${peers[@]}"
