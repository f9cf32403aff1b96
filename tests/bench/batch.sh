#!/usr/bin/env bash
# A census batch through the worker against the in-process sandbox clearinghouse, then a database audit of the result.
#   tests/bench/batch.sh plain    # 10,000 rows, 100 ms sandbox latency, 40 in flight: wall time vs the 25 s ideal, peak RSS
#   tests/bench/batch.sh faults   # the same with 5 % 503, 2 % timeouts, 1 % 429, 1 % AAA 42 injected
#   tests/bench/batch.sh crash    # the same (with faults) and a SIGKILL half-way, then a restart on the same data folder
# ROWS (default 10000), LATENCY_MS (100), CONCURRENCY (40), WORKER_CONCURRENCY (the service's default, CONCURRENCY +
# 25 %), PAYER (60054: a one-payer census; empty for the sandbox's mix of payers, half of them Aetna) and TIME_LIMIT
# (seconds, default 270) change the run.
# Prints FIGURE lines for run-all.sh; exits non-zero when a check fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode="${1:-plain}"
rows="${ROWS:-10000}"
latency_ms="${LATENCY_MS:-100}"
concurrency="${CONCURRENCY:-40}"
time_limit="${TIME_LIMIT:-270}"
case "$mode" in plain | faults | crash) ;; *) echo "usage: $0 plain|faults|crash" >&2; exit 2 ;; esac

build_service
work="$(mktemp -d /tmp/coveragecheck-bench-batch.XXXXXX)"
trap 'stop_service; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
census="$work/census.csv"
# Every row valid (BAD_EVERY=0): the batch is exactly ROWS verifications. Census rejections are the fuzzer's business.
payer="${PAYER-60054}"
BAD_EVERY=0 PAYER="$payer" "$root/samples/census/generate.sh" "$rows" "$census" 2>/dev/null

new_key finance_key finance finance
# Why these settings:
# - Clearinghouse:MaxConcurrency is the limit under test (40 in flight to the clearinghouse). The sandbox counts the
#   inquiries in flight and the run fails if it ever saw more (GET /sandbox/stats on a fixed loopback port).
# - Everything else is the service's default (issue 19): Verification:WorkerConcurrency is a quarter above the
#   clearinghouse's limit (50) and no payer has a limit of its own (Verification:PerPayerConcurrency unset), so a
#   census of one payer is limited by the clearinghouse alone. WORKER_CONCURRENCY sets the worker's limit explicitly.
sandbox_port="$(free_port)"
sandbox_url="http://127.0.0.1:$sandbox_port"
settings=(
  "Clearinghouse__Sandbox=true"
  "Https__Enforce=false"
  "Sandbox__LatencyMs=$latency_ms"
  "Sandbox__Seed=8"
  "Sandbox__Port=$sandbox_port"
  "Clearinghouse__MaxConcurrency=$concurrency"
  "Verification__ReverifySchedule=off"
)
[ -n "${WORKER_CONCURRENCY:-}" ] && settings+=("Verification__WorkerConcurrency=$WORKER_CONCURRENCY")
# EXTRA_SETTINGS="Verification__PerPayerConcurrency=20 …" adds settings (e.g. the limit that was the default before #19).
if [ -n "${EXTRA_SETTINGS:-}" ]; then read -ra extra <<<"$EXTRA_SETTINGS"; settings+=("${extra[@]}"); fi
if [ "$mode" != plain ]; then
  # A sandbox timeout hangs 3 s then answers 504; the client gives each attempt 2 s, so a timeout costs 2 s, not 90.
  # Worker retries start at 1 s (doubling with jitter, at most 5 s apart) so the re-queued items finish in the run.
  settings+=(
    "Sandbox__Faults__Http503=0.05" "Sandbox__Faults__Timeout=0.02" "Sandbox__Faults__Http429=0.01" "Sandbox__Faults__Aaa42=0.01"
    "Sandbox__TimeoutDelayMs=3000"
    "Clearinghouse__AttemptTimeout=00:00:02"
    "Clearinghouse__TotalTimeout=00:00:08"
    "Clearinghouse__MaxRetryAfter=00:00:05"
    "Verification__RetryBaseDelay=00:00:01"
    "Verification__RetryMaxDelay=00:00:05"
    "Verification__RealTimeBudget=00:00:05"
    "Verification__LeaseDuration=00:00:10"
  )
fi
say "mode $mode: $rows rows (payer ${payer:-mixed}), sandbox latency ${latency_ms} ms, concurrency $concurrency; settings: ${settings[*]}"

log="$work/service.log"
start_service "$work/data" "$log" "${settings[@]}"
db="$work/data/coveragecheck.db"
peak_mb=0
track_peak() { local mb; mb="$(peak_rss_mb "$service_pid" 2>/dev/null || echo 0)"; [ "${mb:-0}" -gt "$peak_mb" ] && peak_mb="$mb"; return 0; }

cpu_start="$(cpu_seconds "$service_pid")"
cpu_before_kill=0
start_ns="$(date +%s%N)"
batch_id="$(post_census "$finance_key" "$census")"
[ -n "$batch_id" ] && [ "$batch_id" != null ] || { echo "the census upload failed" >&2; exit 1; }
upload_s="$(awk -v a="$start_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
upload_cpu="$(awk -v a="$cpu_start" -v b="$(cpu_seconds "$service_pid")" 'BEGIN { printf "%.1f", b - a }')"
say "batch $batch_id accepted after ${upload_s} s (${upload_cpu} CPU-s in the service)"

killed=0
restarts=0
deadline=$((SECONDS + time_limit))
while :; do
  track_peak
  state="$(batch_state "$finance_key" "$batch_id" || echo "")"
  done_rows="${state%% *}"
  if [ -n "$state" ]; then
    if [ "$done_rows" -ge "$rows" ]; then break; fi
    if [ "$mode" = crash ] && [ "$killed" = 0 ] && [ "$done_rows" -ge $((rows / 2)) ]; then
      in_progress="$(sql "$db" "SELECT COUNT(*) FROM verifications WHERE status = 'in-progress'")"
      say "SIGKILL at $done_rows/$rows done ($in_progress in progress, leased to the dead process)"
      cpu_before_kill="$(awk -v a="$cpu_start" -v b="$(cpu_seconds "$service_pid")" 'BEGIN { printf "%.2f", b - a }')"
      kill -KILL "$service_pid"
      wait "$service_pid" 2>/dev/null || true
      killed=1
      echo "----- restart after SIGKILL -----" >>"$log"
      start_service "$work/data" "$log" "${settings[@]}"
      cpu_start="$(cpu_seconds "$service_pid")"
      restarts=$((restarts + 1))
    fi
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "not finished after ${time_limit} s: $state" >&2
    break
  fi
  sleep 0.5
done
end_ns="$(date +%s%N)"
track_peak
cpu_total="$(awk -v a="$cpu_start" -v b="$(cpu_seconds "$service_pid")" -v k="$cpu_before_kill" 'BEGIN { printf "%.1f", b - a + k }')"
cpu_per_item_ms="$(awk -v c="$cpu_total" -v n="$rows" 'BEGIN { printf "%.2f", c * 1000 / n }')"
wall="$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
ideal="$(awk -v n="$rows" -v l="$latency_ms" -v c="$concurrency" 'BEGIN { printf "%.1f", n * l / 1000 / c }')"
ratio="$(awk -v w="$wall" -v i="$ideal" 'BEGIN { printf "%.2f", w / i }')"
say "final batch state: $(batch_state "$finance_key" "$batch_id")"
# What the payer side saw (since the last start of the service: the crash run's counts cover the restarted process).
traffic="$(curl -fsS "$sandbox_url/sandbox/stats" || echo '{}')"
peak_in_flight="$(jq -r '.peakInFlight // "?"' <<<"$traffic")"
sandbox_requests="$(jq -r '.requests // "?"' <<<"$traffic")"
say "sandbox: $sandbox_requests inquiries, at most $peak_in_flight in flight at once (limit $concurrency)"

# The database after the run: the service is stopped first so the file is quiescent.
stop_service
failures=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then printf '  ok    %-62s %s\n' "$1" "$3"; else printf '  FAIL  %-62s expected %s, got %s\n' "$1" "$2" "$3"; failures=$((failures + 1)); fi
}
echo "database checks ($db):"
q() { sql "$db" "$1"; }
b="'${batch_id^^}'" # SQLite holds Guids as upper-case text (audit record ids are lower-case)
# Plain runs only: with faults, a timed-out attempt gives its permit back when the client gives up, and the sandbox
# notices the abandoned request a moment later, so it can briefly count one or two more than the client holds.
if [ "$mode" = plain ]; then
  check "inquiries in flight at the clearinghouse at most the limit" yes "$([ "$peak_in_flight" != "?" ] && [ "$peak_in_flight" -le "$concurrency" ] && echo yes || echo "no ($peak_in_flight)")"
fi
check "census rows recorded for the batch" "$rows" "$(q "SELECT COUNT(*) FROM batch_rows WHERE batch_id = $b")"
check "census rows without a verification" 0 "$(q "SELECT COUNT(*) FROM batch_rows WHERE batch_id = $b AND verification_id IS NULL")"
check "verifications shared by two census rows" 0 "$(q "SELECT COUNT(*) FROM (SELECT verification_id FROM batch_rows WHERE batch_id = $b GROUP BY verification_id HAVING COUNT(*) > 1)")"
check "verifications of the batch" "$rows" "$(q "SELECT COUNT(*) FROM verifications WHERE batch_id = $b")"
check "verifications not in a final state" 0 "$(q "SELECT COUNT(*) FROM verifications WHERE batch_id = $b AND status NOT IN ('completed', 'needs-review')")"
check "completed verifications without a completion time" 0 "$(q "SELECT COUNT(*) FROM verifications WHERE batch_id = $b AND status = 'completed' AND completed_at IS NULL")"
# The worker writes one 'update' audit entry when it finishes a verification with a payer answer (the write is fenced
# by its lease). Two would mean the item was finished twice. A needs-review item without any answer (retries
# exhausted) is finished without one, so completed items must have exactly one and the others at most one.
check "verifications finished more than once (audit 'update')" 0 "$(q "SELECT COUNT(*) FROM (SELECT record_id FROM audit_log WHERE action = 'update' AND record_type = 'verification' GROUP BY record_id HAVING COUNT(*) > 1)")"
check "completed verifications finished exactly once (audit 'update')" "$(q "SELECT COUNT(*) FROM verifications WHERE batch_id = $b AND status = 'completed'")" "$(q "SELECT COUNT(*) FROM (SELECT a.record_id FROM audit_log a JOIN verifications v ON v.id = upper(a.record_id) WHERE v.batch_id = $b AND v.status = 'completed' AND a.action = 'update' GROUP BY a.record_id HAVING COUNT(*) = 1)")"
# Each attempt is one claim: the attempts column and the claim audit entries must agree.
check "attempts recorded = claims audited" "$(q "SELECT COUNT(*) FROM audit_log a JOIN verifications v ON v.id = upper(a.record_id) WHERE v.batch_id = $b AND a.action = 'claim'")" "$(q "SELECT SUM(attempts) FROM verifications WHERE batch_id = $b")"
statuses="$(q "SELECT status || '=' || COUNT(*) FROM verifications WHERE batch_id = $b GROUP BY status ORDER BY status" | paste -sd' ')"
attempts="$(q "SELECT attempts || 'x:' || COUNT(*) FROM verifications WHERE batch_id = $b GROUP BY attempts ORDER BY attempts" | paste -sd' ')"
errors="$(q "SELECT COALESCE(last_error_code, '-') || '=' || COUNT(*) FROM verifications WHERE batch_id = $b GROUP BY last_error_code ORDER BY COUNT(*) DESC" | paste -sd' ')"
echo "  statuses: $statuses"
echo "  attempts per verification (attempts x: count): $attempts"
echo "  last error codes: $errors"
if grep -Eq 'fail:|crit:|Unhandled' "$log"; then
  echo "  service log errors (first 5):"; grep -E 'fail:|crit:' "$log" | sort | uniq -c | sort -rn | head -5
fi

echo
printf 'batch %-6s rows=%s upload=%ss wall=%ss ideal=%ss ratio=%s peak_rss=%sMB peak_in_flight=%s/%s restarts=%s service_cpu=%ss (%s ms per verification, sandbox included) load_avg=%s\n' \
  "$mode" "$rows" "$upload_s" "$wall" "$ideal" "$ratio" "$peak_mb" "$peak_in_flight" "$concurrency" "$restarts" "$cpu_total" "$cpu_per_item_ms" "$(cut -d' ' -f1-3 /proc/loadavg)"
case "$mode" in
  plain)
    figure "batch.wall_s" "$wall"
    figure "batch.ratio_to_ideal" "$ratio"
    figure "batch.peak_rss_mb" "$peak_mb"
    figure "batch.cpu_ms_per_verification" "$cpu_per_item_ms"
    figure "batch.peak_in_flight" "$peak_in_flight"
    ;;
  faults)
    figure "faults.wall_s" "$wall"
    figure "faults.statuses" "${statuses// /,}"
    figure "faults.db_checks_failed" "$failures"
    ;;
  crash)
    figure "crash.wall_s" "$wall"
    figure "crash.statuses" "${statuses// /,}"
    figure "crash.db_checks_failed" "$failures"
    ;;
esac
[ "$failures" -eq 0 ]
