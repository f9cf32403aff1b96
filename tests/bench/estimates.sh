#!/usr/bin/env bash
# Throughput of POST /api/v1/estimates beside GET /health/live (the framework's ceiling on this machine), with wrk on
# loopback against the Release build. Prints requests/s, p50/p99 latency and the ratio (target: estimates >= 70 %).
#   tests/bench/estimates.sh                       # 2 threads, 64 connections, 15 s per endpoint, 3 alternating rounds
#   DURATION=30s CONNECTIONS=128 ROUNDS=5 tests/bench/estimates.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration="${DURATION:-15s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
rounds="${ROUNDS:-3}"
body="${BODY:-$root/samples/estimates/iop-12-weeks-ppo.json}"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    say "installing wrk (Debian package)"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "wrk is not installed; as root this script installs it (apt-get install wrk)" >&2
    exit 1
  fi
fi

build_service
work="$(mktemp -d /tmp/coveragecheck-bench-estimates.XXXXXX)"
trap 'stop_service; rm -rf "$work"' EXIT
# A keyed caller: anonymous callers are rate limited per address (Website:AnonymousRateLimit), keyed ones are not.
new_key website_key website website
start_service "$work/data" "$work/service.log" "Verification__WorkerEnabled=false" "Verification__ReverifySchedule=off"

# The request must be a valid estimate, or the run would measure the 400 path.
status="$(curl -sS -o "$work/answer.json" -w '%{http_code}' -X POST "$base_url/api/v1/estimates" \
  -H "X-Api-Key: $website_key" -H 'Content-Type: application/json' --data-binary "@$body")"
[ "$status" = 200 ] || { echo "POST /api/v1/estimates answered $status, not 200: $(head -c 400 "$work/answer.json")" >&2; exit 1; }

cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = io.open("$body"):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Api-Key"] = "$website_key"
-- Any answer but 200 is an error here: a run of fast 400s or 429s would look like throughput.
local bad = 0
response = function(status, headers, body) if status ~= 200 then bad = bad + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d non_200=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + bad, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cat >"$work/get.lua" <<LUA
wrk.headers["X-Api-Key"] = "$website_key"
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d non_200=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

# Warm-up (JIT, tiered compilation, connection pools), not counted.
wrk -t"$threads" -c"$connections" -d5s -s "$work/post.lua" "$base_url/api/v1/estimates" >/dev/null
wrk -t"$threads" -c"$connections" -d5s -s "$work/get.lua" "$base_url/health/live" >/dev/null

say "$rounds alternating rounds of $duration per endpoint, $threads threads, $connections connections; the best round of each is kept"
results=""
# Each round also records the service's CPU time per request (user + system, from /proc): wrk shares the 2 cores and
# so does anything else running, but the CPU the service spends on one request is not inflated by them.
cpu_us() { # cpu_us CPU_BEFORE RESULT_LINE: service CPU microseconds per request since CPU_BEFORE
  local requests="${2##*requests=}"
  awk -v a="$1" -v b="$(cpu_seconds "$service_pid")" -v n="${requests%% *}" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }'
}
for round in $(seq 1 "$rounds"); do
  cpu_before="$(cpu_seconds "$service_pid")"
  line="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/get.lua" "$base_url/health/live" | grep '^RESULT')"
  line+=" cpu_us=$(cpu_us "$cpu_before" "$line")"
  echo "round $round  GET  /health/live      ${line#RESULT }"
  results+="live $line"$'\n'
  cpu_before="$(cpu_seconds "$service_pid")"
  line="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/post.lua" "$base_url/api/v1/estimates" | grep '^RESULT')"
  line+=" cpu_us=$(cpu_us "$cpu_before" "$line")"
  echo "round $round  POST /api/v1/estimates ${line#RESULT }"
  results+="estimate $line"$'\n'
done

# The best round by requests/s, with that round's latencies.
best() { printf '%s' "$results" | awk -v which="$1" -v key="$2" '
  $1 == which { for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } if (v["rps"] + 0 > best + 0) { best = v["rps"]; out = v[key] } }
  END { print out }'; }
live_rps="$(best live rps)"
est_rps="$(best estimate rps)"
ratio="$(awk -v a="$est_rps" -v b="$live_rps" 'BEGIN { printf "%.0f", 100 * a / b }')"
bad="$(printf '%s' "$results" | awk '{ for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "non_200" || kv[1] == "socket_errors") n += kv[2] } } END { print n + 0 }')"
echo
printf '%-26s %10s %10s %10s %14s\n' "endpoint (best round)" "req/s" "p50 ms" "p99 ms" "CPU µs/request"
printf '%-26s %10s %10s %10s %14s\n' "GET /health/live" "$live_rps" "$(best live p50_ms)" "$(best live p99_ms)" "$(best live cpu_us)"
printf '%-26s %10s %10s %10s %14s\n' "POST /api/v1/estimates" "$est_rps" "$(best estimate p50_ms)" "$(best estimate p99_ms)" "$(best estimate cpu_us)"
echo "estimates at ${ratio} % of the ceiling (target >= 70 %); non-200 answers and socket errors over all rounds: $bad; load average $(cut -d' ' -f1-3 /proc/loadavg)"
figure "estimates.rps" "$est_rps"
figure "estimates.p99_ms" "$(best estimate p99_ms)"
figure "health_live.rps" "$live_rps"
figure "estimates.percent_of_ceiling" "$ratio"
figure "estimates.cpu_us_per_request" "$(best estimate cpu_us)"
figure "health_live.cpu_us_per_request" "$(best live cpu_us)"
[ "$bad" -eq 0 ]
