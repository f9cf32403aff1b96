#!/usr/bin/env bash
# Access: the authorisation matrix of http-api.md against the live service over HTTP (every endpoint x anonymous,
# website, admissions, finance, plus a wrong key), the anonymous estimate rate limit, then a scan of the service's log
# output and its database files (coveragecheck.db, -wal, -shm) for every member ID, name and date of birth the run
# sent (none may appear). Logging at Information for this run, so there is more log to scan than in production.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build_service
work="$(mktemp -d /tmp/coveragecheck-bench-access.XXXXXX)"
trap 'stop_service; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
new_key website_key website website
new_key admissions_key admissions admissions
new_key finance_key finance finance
wrong_key="$(openssl rand -hex 24)"
census="$root/samples/census/census-small.csv"
x12="$root/tests/Clients.Tests/Fixtures/ppo-deductible-coinsurance.271"
log="$work/service.log"
start_service "$work/data" "$log" \
  "Logging__LogLevel__Default=Information" "Sandbox__LatencyMs=0" "Verification__RetryBaseDelay=00:00:00.200" \
  "Verification__RetryMaxDelay=00:00:01" "Verification__MaxAttempts=2" "Verification__ReverifySchedule=off"

cat >"$work/verification.json" <<'JSON'
{ "patient": { "firstName": "AVA", "lastName": "PPOSAMPLE", "dateOfBirth": "1985-04-12" },
  "insurance": { "payerId": "60054", "memberId": "W100000001", "groupNumber": "AET100" },
  "dateOfService": "2026-12-01", "consent": { "obtained": true, "method": "verbal" },
  "program": { "startDate": "2026-12-07", "weeks": 8, "daysPerWeek": 5 }, "pricing": { "chargePerDay": 450.00 } }
JSON

# call CALLER METHOD PATH [BODY_FILE CONTENT_TYPE] -> prints the status code
call() {
  local caller="$1" method="$2" path="$3" body="${4:-}" type="${5:-}" args=(-sS -o "$work/last.body" -w '%{http_code}' -X "$2")
  case "$caller" in
    website) args+=(-H "X-Api-Key: $website_key") ;;
    admissions) args+=(-H "X-Api-Key: $admissions_key") ;;
    finance) args+=(-H "X-Api-Key: $finance_key") ;;
    wrong-key) args+=(-H "X-Api-Key: $wrong_key") ;;
  esac
  [ -n "$body" ] && args+=(-H "Content-Type: $type" --data-binary "@$body")
  curl "${args[@]}" "$base_url$path"
}

# Ids to read: one verification (admissions, real time) and one batch (finance).
verification_id="$(curl -fsS -X POST "$base_url/api/v1/verifications" -H "X-Api-Key: $admissions_key" \
  -H 'Content-Type: application/json' --data-binary "@$work/verification.json" | jq -r '.id')"
batch_id="$(post_census "$finance_key" "$census")"
for _ in $(seq 1 120); do
  read -r done_rows total _ <<<"$(batch_state "$finance_key" "$batch_id")"
  [ "$done_rows" -ge "$total" ] && break
  sleep 0.5
done
say "verification $verification_id, batch $batch_id ($done_rows/$total rows done)"

# endpoint | method | path | body | content type | anonymous website admissions finance wrong-key
# Expected codes from http-api.md, "Who may do what"; 2xx means the endpoint's success answer.
matrix=(
  "POST|/api/v1/estimates|$root/samples/estimates/iop-12-weeks-ppo.json|application/json|2xx 2xx 2xx 2xx 401"
  "POST|/api/v1/verifications|$work/verification.json|application/json|401 403 2xx 403 401"
  "GET|/api/v1/verifications/$verification_id|||401 403 2xx 2xx 401"
  "GET|/api/v1/verifications?status=completed|||401 403 2xx 2xx 401"
  "POST|/api/v1/eligibility/271|$x12|text/plain|401 403 2xx 2xx 401"
  "POST|/api/v1/batches|$census|text/csv|401 403 403 2xx 401"
  "GET|/api/v1/batches/$batch_id|||401 403 403 2xx 401"
  "GET|/api/v1/batches/$batch_id/report.csv|||401 403 403 2xx 401"
  "GET|/api/v1/batches/$batch_id/report.xlsx|||401 403 403 2xx 401"
  "GET|/api/v1/batches/$batch_id/report.html|||401 403 403 2xx 401"
)
callers=(anonymous website admissions finance wrong-key)
failures=0
cells=0
{
  printf '%-44s' "endpoint"; printf ' %-10s' "${callers[@]}"; echo
  for row in "${matrix[@]}"; do
    IFS='|' read -r method path body type expected <<<"$row"
    read -r -a want <<<"$expected"
    shown="${path//$verification_id/\{id\}}"
    printf '%-44s' "$method ${shown//$batch_id/\{id\}}"
    for i in "${!callers[@]}"; do
      got="$(call "${callers[$i]}" "$method" "$path" "$body" "$type")"
      cells=$((cells + 1))
      if { [ "${want[$i]}" = 2xx ] && [[ "$got" == 2?? ]]; } || [ "${want[$i]}" = "$got" ]; then
        printf ' %-10s' "$got"
      else
        printf ' %-10s' "$got!=${want[$i]}"
        failures=$((failures + 1))
      fi
    done
    echo
  done
} >"$work/matrix.txt"
cat "$work/matrix.txt"
failures="$({ grep -o '!=' "$work/matrix.txt" || true; } | wc -l)"
cells=$(( ${#matrix[@]} * ${#callers[@]} ))
echo "authorisation matrix: $cells cells, $failures not as http-api.md says"

# Anonymous estimates are rate limited per address (Website:AnonymousRateLimit, 60 a minute by default); a keyed
# caller is not. Some of the first requests above were anonymous too, so 70 more must meet a 429.
limited=0
for _ in $(seq 1 70); do
  if [ "$(call anonymous POST /api/v1/estimates "$root/samples/estimates/iop-12-weeks-ppo.json" application/json)" = 429 ]; then limited=$((limited + 1)); fi
done
keyed_limited=0
for _ in $(seq 1 70); do
  if [ "$(call website POST /api/v1/estimates "$root/samples/estimates/iop-12-weeks-ppo.json" application/json)" = 429 ]; then keyed_limited=$((keyed_limited + 1)); fi
done
echo "rate limit: $limited of 70 anonymous estimate requests answered 429 (must be > 0); keyed: $keyed_limited of 70 (must be 0)"
if [ "$limited" -eq 0 ] || [ "$keyed_limited" -ne 0 ]; then failures=$((failures + 1)); fi

# The PHI scan. Every patient_ref, name, date of birth (ISO, X12 CCYYMMDD and US M/D/YYYY) and member ID this run sent: the census
# rows, the real-time verification and the 271 upload's subscriber. The database files are copied while the service
# runs (coveragecheck.db-wal and -shm exist only then; a clean stop checkpoints the WAL into the main file) and
# scanned again after the stop.
mkdir -p "$work/live"
cp "$work/data"/coveragecheck.db* "$work/live/"
stop_service
{
  tail -n +2 "$census" | python3 -c '
import csv, sys
for row in csv.reader(sys.stdin):
    if len(row) < 6: continue
    for value in (row[0], row[1], row[2], row[5]):  # patient_ref (a chart number), names, member ID
        if len(value) >= 3: print(value)
    dob = row[3]
    parts = dob.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        print(dob); print("".join(parts)); print(f"{int(parts[1])}/{int(parts[2])}/{parts[0]}")
'
  printf '%s\n' AVA PPOSAMPLE 1985-04-12 19850412 W100000001
  # The 271 fixture's subscriber: NM1*IL name and member ID, DMG date of birth.
  tr '~' '\n' <"$x12" | awk -F'*' '$1 == "NM1" && $2 == "IL" { print $4; print $5; print $10 } $1 == "DMG" { print $3 }'
} | tr -d '\r' | awk 'length($0) >= 3' | sort -u >"$work/phi.txt"
scanned=("$log")
for f in "$work"/live/coveragecheck.db* "$work"/data/coveragecheck.db*; do
  [ -f "$f" ] && scanned+=("$f")
done
# The database files are mostly AES-GCM ciphertext, i.e. random bytes, and a 3-letter name such as JON turns up in
# 3 MB of random bytes about once in five tries. So values shorter than 6 characters are looked for in text only:
# the log and a dump of every table with the ciphertext cut out: blobs, and the base64 text of encrypted patient_refs,
# in which a 3-letter name turns up by chance as well (the live copy is dumped from a second copy, since opening it
# replays its WAL). Longer values (surnames, member IDs, dates of birth) are also looked for in the
# raw bytes of every file, which catches plaintext in free pages and the WAL that no table shows; a chance match of
# 6 random bytes is about one in 10^8 here.
mkdir -p "$work/live-dump"
cp "$work"/live/coveragecheck.db* "$work/live-dump/"
dumps=()
for db in "$work/live-dump/coveragecheck.db" "$work/data/coveragecheck.db"; do
  dump="$db.text.sql"
  sqlite3 "$db" .dump | sed -E "s/X'[0-9A-Fa-f]*'/X''/g; s#phi1:[A-Za-z0-9+/=]*#phi1:#g" >"$dump"
  dumps+=("$dump")
done
found=0
while IFS= read -r value; do
  if [ "${#value}" -ge 6 ]; then targets=("${scanned[@]}" "${dumps[@]}"); else targets=("$log" "${dumps[@]}"); fi
  for f in "${targets[@]}"; do
    if grep -aqF -- "$value" "$f"; then
      echo "  PHI FOUND: '$value' in ${f#"$work"/}"
      found=$((found + 1))
    fi
  done
done <"$work/phi.txt"
echo "PHI scan: $(wc -l <"$work/phi.txt") values (patient_refs, names, dates of birth in 3 formats, member IDs) in ${#scanned[@]} files ($(du -ch "${scanned[@]}" | tail -1 | cut -f1), log $(wc -l <"$log") lines) and 2 table dumps: $found found"
figure "access.matrix_cells" "$cells"
figure "access.matrix_failures" "$failures"
figure "access.phi_found" "$found"
[ "$failures" -eq 0 ] && [ "$found" -eq 0 ]
