#!/usr/bin/env bash
# Bad input: a bounded random-input loop (tests/Fuzz) over the 271 reader + normaliser and the census reader, mutating
# real files (bit flips, truncation, delimiter swaps, random bytes, huge fields, splices, repeats). Each input gets a
# watchdog; a crash, a hang or an answer without an error is a finding (saved under /tmp). Prints inputs tried.
#   tests/bench/fuzz.sh                 # 60 s per target, a fresh seed each run (printed, to reproduce)
#   SECONDS_PER_TARGET=300 SEED=42 tests/bench/fuzz.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

per_target="${SECONDS_PER_TARGET:-60}"
seed="${SEED:-$RANDOM$RANDOM}"
timeout_ms="${TIMEOUT_MS:-5000}"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "building tests/Fuzz (Release)"
  dotnet build "$root/tests/Fuzz" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
fi
fuzz="$root/tests/Fuzz/bin/Release/net10.0/CoverageCheck.Fuzz"
work="$(mktemp -d /tmp/coveragecheck-bench-fuzz.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Seeds: every 271 the project has (shared public samples, own fixtures, malformed ones included) and census files.
shopt -s nullglob
x12_seeds=("$root"/../shared/samples/eligibility/*.271 "$root"/tests/Clients.Tests/Fixtures/*.271)
BAD_EVERY=7 "$root/samples/census/generate.sh" 60 "$work/generated.csv" 2>/dev/null
census_seeds=("$root/samples/census/census-small.csv" "$work/generated.csv")

status=0
for target in x12 census; do
  if [ "$target" = x12 ]; then seeds=("${x12_seeds[@]}"); else seeds=("${census_seeds[@]}"); fi
  say "fuzzing $target for ${per_target} s from ${#seeds[@]} seed files, seed $seed, watchdog ${timeout_ms} ms per input"
  out="$(timeout $((per_target + 60)) "$fuzz" "$target" --seconds "$per_target" --seed "$seed" --timeout-ms "$timeout_ms" \
    --findings "/tmp/coveragecheck-fuzz-findings" "${seeds[@]}")" || status=1
  printf '%s\n' "$out"
  result="$(printf '%s\n' "$out" | grep '^RESULT' || echo "")"
  [ -n "$result" ] || { echo "the $target fuzzer stopped without a result" >&2; status=1; continue; }
  value() { printf '%s' "$result" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
  figure "fuzz.$target.inputs" "$(value inputs)"
  figure "fuzz.$target.findings" "$(value findings)"
done
exit "$status"
