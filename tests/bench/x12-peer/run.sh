#!/usr/bin/env bash
# Side-by-side 271 throughput: the npm package node-x12 against CoverageCheck's X271Reader, over the same files,
# for the same number of iterations, in one run. Prints both figures and the ratio (target: ours >= 5x node-x12).
#   tests/bench/x12-peer/run.sh            # 2000 iterations
#   ITERATIONS=5000 ROUNDS=7 tests/bench/x12-peer/run.sh
#   CORPUS=real-world tests/bench/x12-peer/run.sh   # ../shared/samples/real-world/x12 instead (#15: real payers' answers)
#   CORPUS=remittances tests/bench/x12-peer/run.sh  # ../shared/samples/remittances/*.835 through X835Reader (#19)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
iterations="${ITERATIONS:-2000}"

# node-x12 at the version pinned in package.json / package-lock.json, installed into ./node_modules (git-ignored).
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# The corpus: shared public samples (when present beside the repository) and the project's own fixtures, without
# the deliberately malformed ones; then only the files node-x12 can parse, so both sides read the same bytes.
candidates=()
shopt -s nullglob
case "${CORPUS:-samples}" in
  samples) sources=("$root"/../shared/samples/eligibility/*.271 "$root"/tests/Clients.Tests/Fixtures/*.271) ;;
  real-world) sources=("$root"/../shared/samples/real-world/x12/*.271) ;;
  remittances) sources=("$root"/../shared/samples/remittances/*.835) ;;
  *) echo "CORPUS must be samples, real-world or remittances" >&2; exit 2 ;;
esac
for file in "${sources[@]}"; do
  case "$(basename "$file")" in malformed-*) continue ;; esac
  candidates+=("$(cd "$(dirname "$file")" && pwd)/$(basename "$file")")
done
mapfile -t files < <(cd "$here" && node peer.js --check "${candidates[@]}")
if [ "${#files[@]}" -eq 0 ]; then
  echo "no X12 files that node-x12 can parse" >&2
  exit 1
fi

dotnet build "$root/tests/Clients.Benchmarks" -c Release --nologo -v quiet >/dev/null
bench="$root/tests/Clients.Benchmarks/bin/Release/net10.0/CoverageCheck.Clients.Benchmarks"

rounds="${ROUNDS:-5}"
echo "corpus: ${#files[@]} files, $(cat "${files[@]}" | wc -c) bytes per pass; ${rounds} alternating rounds of ${iterations} timed passes per reader; best round kept"
echo "(the machine is shared: alternating rounds and keeping each reader's best round keeps background load from favouring either side)"
results=""
for round in $(seq 1 "$rounds"); do
  results+="$(cd "$here" && node peer.js --run "$iterations" "${files[@]}")"$'\n'
  results+="$("$bench" --peer-compare "$iterations" "${files[@]}")"$'\n'
done
printf '%s' "$results"

best() { printf '%s' "$results" | awk -v reader="$1" -v mode="$2" -v key="$3" '
  $2 == reader && $3 == mode { for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key && kv[2] + 0 > max) max = kv[2] + 0 } }
  END { printf "%.2f", max }'; }

node_mbs="$(best node-x12 parse mb_per_s)"
node_cpu="$(best node-x12 parse cpu_mb_per_s)"
echo
echo "MB/s is wall-clock throughput; CPU MB/s divides by the process's CPU time, which background load on a shared machine does not inflate."
printf '%-34s %10s %10s %10s %12s %12s\n' "reader (best round)" "MB/s" "files/s" "CPU MB/s" "vs node-x12" "(CPU basis)"
printf '%-34s %10s %10s %10s %12s %12s\n' "node-x12 $(cd "$here" && node -p "require('node-x12/package.json').version") parse" "$node_mbs" "$(best node-x12 parse files_per_s)" "$node_cpu" "1.0x" "1.0x"
modes="parse parse+normalise"
[ "${CORPUS:-samples}" = remittances ] && modes="parse"
for mode in $modes; do
  mbs="$(best coveragecheck "$mode" mb_per_s)"
  cpu="$(best coveragecheck "$mode" cpu_mb_per_s)"
  ratio="$(awk -v a="$mbs" -v b="$node_mbs" 'BEGIN { printf "%.1fx", a / b }')"
  cpu_ratio="$(awk -v a="$cpu" -v b="$node_cpu" 'BEGIN { printf "%.1fx", a / b }')"
  printf '%-34s %10s %10s %10s %12s %12s\n' "CoverageCheck $mode" "$mbs" "$(best coveragecheck "$mode" files_per_s)" "$cpu" "$ratio" "$cpu_ratio"
done
