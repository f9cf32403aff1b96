# Shared helpers for the bench scripts (sourced, not run). Everything binds to 127.0.0.1 only.
# shellcheck shell=bash

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench_dir/../.." && pwd)"
# The build production runs (README: dotnet publish, ahead-of-time compiled), not the JIT-only output of dotnet build.
publish_dir="$root/src/Service/bin/Release/bench-publish"
service_dll="$publish_dir/CoverageCheck.Service.dll"

# Each script prints lines "FIGURE <name> <value>" that run-all.sh collects into its summary table.
figure() { printf 'FIGURE %s %s\n' "$1" "$2"; }
say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

build_service() {
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    say "publishing the service (Release, ReadyToRun, as production is built; about a minute)"
    dotnet publish "$root/src/Service" -c Release -o "$publish_dir" --nologo -v quiet -clp:ErrorsOnly >&2
  fi
  [ -f "$service_dll" ] || { echo "no $service_dll: the Release publish failed" >&2; exit 1; }
}

# new_key VAR NAME ROLE: sets VAR to a new random key and appends its Auth__ApiKeys__N__* variables to service_env.
# Keys live for one run and are never written to disk; the service gets only their SHA-256.
declare -a service_env=()
key_index=0
new_key() {
  local key hash
  key="$(openssl rand -hex 24)"
  hash="$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)"
  service_env+=("Auth__ApiKeys__${key_index}__Name=bench-$2" "Auth__ApiKeys__${key_index}__KeyHash=$hash" "Auth__ApiKeys__${key_index}__Roles__0=$3")
  key_index=$((key_index + 1))
  printf -v "$1" '%s' "$key"
}

# start_service DATA_DIR LOG_FILE [VAR=VALUE...]: starts the published Release build in Production on a free loopback port with
# a fresh PHI key and the keys made by new_key; sets service_pid and base_url; waits for /health/ready.
start_service() {
  local data="$1" log="$2"
  shift 2
  mkdir -p "$data"
  [ -f "$data/.bench-phi-key" ] || openssl rand -base64 32 > "$data/.bench-phi-key"
  local port
  port="$(free_port)"
  base_url="http://127.0.0.1:$port"
  (
    cd "$root/src/Service"
    # Production refuses to start without a clearinghouse and redirects plain http: every bench runs the built-in
    # sandbox on purpose, on loopback over http (a caller's settings below still win).
    exec env ASPNETCORE_ENVIRONMENT=Production \
      Clearinghouse__Sandbox=true \
      Https__Enforce=false \
      Phi__Key="$(cat "$data/.bench-phi-key")" \
      Data__Directory="$data" \
      Logging__LogLevel__Default=Warning \
      Logging__LogLevel__Microsoft.AspNetCore=Warning \
      "${service_env[@]}" "$@" \
      dotnet "$service_dll" --urls "$base_url" --contentRoot "$root/src/Service"
  ) >>"$log" 2>&1 &
  service_pid=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "$base_url/health/ready" 2>/dev/null; do
    if ! kill -0 "$service_pid" 2>/dev/null; then
      echo "the service stopped during start-up; its log ($log):" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "the service was not ready within 60 s; its log ($log):" >&2
      tail -n 30 "$log" >&2
      kill "$service_pid" 2>/dev/null || true
      exit 1
    fi
    sleep 0.2
  done
  say "service pid $service_pid ready at $base_url"
}

stop_service() {
  local pid="${1:-$service_pid}"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# Peak resident memory (VmHWM) of a live process, in MB.
peak_rss_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# CPU seconds (user + system) a live process has used so far. On a shared machine, CPU time per item is the figure that
# background load does not inflate; wall time is what a user sees.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# post_census KEY FILE: submits a census, prints the batch id.
post_census() {
  curl -fsS -X POST "$base_url/api/v1/batches" -H "X-Api-Key: $1" -H 'Content-Type: text/csv' \
    --data-binary "@$2" | jq -r '.id'
}

# batch_state KEY ID: prints "done rows counts-json" of a batch.
batch_state() {
  curl -fsS "$base_url/api/v1/batches/$2" -H "X-Api-Key: $1" | jq -r '"\(.done) \(.rows) \(.counts | tostring)"'
}

sql() { sqlite3 -batch -noheader "$1" "$2"; }
