#!/usr/bin/env bash
# Runs every bench script in order and prints a summary table of their figures against the targets. Each script is
# bounded (under 5 minutes here) and talks only to 127.0.0.1. Not part of `dotnet test` or .ci/run.
#   tests/bench/run-all.sh                 # everything
#   tests/bench/run-all.sh batch faults    # some of: estimates parsing batch faults crash fuzz access
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

all=(estimates parsing batch faults crash fuzz access)
selected=("${@:-${all[@]}}")
[ "$#" -eq 0 ] && selected=("${all[@]}")
logs="$(mktemp -d /tmp/coveragecheck-bench-run.XXXXXX)"

build_service
export BENCH_SKIP_BUILD=1
declare -A outcome seconds
for name in "${selected[@]}"; do
  case "$name" in
    estimates) cmd=("$bench_dir/estimates.sh") ;;
    parsing) cmd=("$bench_dir/parsing.sh") ;;
    batch) cmd=("$bench_dir/batch.sh" plain) ;;
    faults) cmd=("$bench_dir/batch.sh" faults) ;;
    crash) cmd=("$bench_dir/batch.sh" crash) ;;
    fuzz) cmd=(env BENCH_SKIP_BUILD=0 "$bench_dir/fuzz.sh") ;;
    access) cmd=("$bench_dir/access.sh") ;;
    *) echo "unknown bench '$name' (known: ${all[*]})" >&2; exit 2 ;;
  esac
  echo "===== $name: ${cmd[*]#"$root"/}"
  started=$SECONDS
  # Each script must finish within 5 minutes (the fuzzer's two 60 s loops and builds included).
  if timeout 330 "${cmd[@]}" 2>&1 | tee "$logs/$name.log"; then outcome[$name]=pass; else outcome[$name]=FAIL; fi
  [ "${PIPESTATUS[0]}" = 124 ] && outcome[$name]="FAIL (timed out)"
  seconds[$name]=$((SECONDS - started))
done

figure_of() { grep -h "^FIGURE $1 " "$logs"/*.log 2>/dev/null | tail -1 | cut -d' ' -f3-; }
meets() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { if (v == "") print "-"; else if ((op == ">=" && v + 0 >= t) || (op == "<=" && v + 0 <= t) || (op == "<" && v + 0 < t) || (op == "==" && v + 0 == t)) print "yes"; else print "NO" }'; }
echo
echo "===== summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-38s %-22s %-10s %s\n' "figure" "value" "target" "met"
row() { local v; v="$(figure_of "$1")"; printf '%-38s %-22s %-10s %s\n' "$1" "${v:--}" "$2" "$([ -n "$3" ] && meets "$v" "$4" "$3" || echo "")"; }
row estimates.rps "" "" ""
row health_live.rps "" "" ""
row estimates.percent_of_ceiling ">= 70" ">=" 70
row estimates.p99_ms "reported" "" ""
row parse.ratio ">= 5x" ">=" 5
row parse.ratio_cpu_basis ">= 5x" ">=" 5
row batch.wall_s "25 s ideal" "" ""
row batch.ratio_to_ideal "<= 1.25" "<=" 1.25
row batch.peak_rss_mb "< 400" "<" 400
row batch.cpu_ms_per_verification "" "" ""
row faults.statuses "final only" "" ""
row faults.db_checks_failed "0" "==" 0
row crash.statuses "final only" "" ""
row crash.db_checks_failed "0" "==" 0
row fuzz.x12.inputs "" "" ""
row fuzz.x12.findings "0" "==" 0
row fuzz.census.inputs "" "" ""
row fuzz.census.findings "0" "==" 0
row access.matrix_failures "0" "==" 0
row access.phi_found "0" "==" 0
echo
printf '%-10s %-18s %s\n' "script" "outcome" "seconds"
for name in "${selected[@]}"; do printf '%-10s %-18s %s\n' "$name" "${outcome[$name]}" "${seconds[$name]}"; done
echo "logs: $logs"
for name in "${selected[@]}"; do [ "${outcome[$name]}" = pass ] || exit 1; done
