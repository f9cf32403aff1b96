#!/usr/bin/env bash
# Writes a synthetic census for load and timing runs: N rows (default 10000) to OUT (default census-10000.csv beside
# this script). Every person is invented: rows cycle through the sandbox clearinghouse's documented members
# (docs/sandbox.md) with a unique patient_ref each, so a batch against the sandbox gets real answers.
# One row in 100 is deliberately bad (no member ID) to exercise the error path; pass BAD_EVERY=0 to turn that off.
# PAYER=60054 keeps only that payer's members (a one-payer census, as many programs' are mostly one payer).
# Deterministic: the same N gives the same file.
#
#   samples/census/generate.sh                 # 10,000 rows -> samples/census/census-10000.csv
#   samples/census/generate.sh 50000 /tmp/c.csv
set -euo pipefail

rows="${1:-10000}"
out="${2:-$(dirname "$0")/census-$rows.csv}"
bad_every="${BAD_EVERY:-100}"
payer="${PAYER:-}"
# Every row carries the patient's consent (42 CFR Part 2), given on CONSENT_DATE (default 2026-11-20).
consent_date="${CONSENT_DATE:-2026-11-20}"

if ! [[ "$rows" =~ ^[0-9]+$ ]] || [ "$rows" -lt 1 ]; then
  echo "usage: $0 [ROWS] [OUT]   (ROWS a positive whole number)" >&2
  exit 2
fi

awk -v rows="$rows" -v bad_every="$bad_every" -v payer="$payer" -v consent_date="$consent_date" 'BEGIN {
  OFS = ","
  print "patient_ref,first_name,last_name,date_of_birth,payer_id,member_id,group_number,program_start,days_per_week,weeks,charge_per_day,consent_method,consent_date"
  split("AVA|PPOSAMPLE|1985-04-12|60054|W100000001|AET100;" \
            "BEN|DEDMET|1979-09-30|60054|W100000002|AET100;" \
            "CARA|OOPNEAR|1990-01-15|60054|W100000003|AET200;" \
            "DEV|FAMILYPLAN|1982-03-03|60054|W100000004|AET300;" \
            "ELI|VISITCAP|1995-07-07|60054|W100000005|AET100;" \
            "FAY|TERMINATED|1970-11-02|60054|W100000009|AET100;" \
            "GUS|COPAYONLY|1988-06-21|94134|K200000001|KP4400;" \
            "HAL|OONONLY|1992-02-29|87726|U300000001|UHC7701;" \
            "IDA|CARVEOUT|1975-12-24|62308|C400000001|CIG5500;" \
            "JON|MHONLY|1966-08-08|61101|H500000001|HUM1200;" \
            "KAY|MEDICAREPARTB|1955-05-05|CMS|1EG4TE5MK73|;" \
            "LEE|MEDICAL|2001-10-10|610442|91234567A|", all, ";")
  n = 0
  for (k = 1; k <= length(all); k++) {
    split(all[k], f, "|")
    if (payer == "" || f[4] == payer) members[++n] = all[k]
  }
  if (n == 0) { print "no sandbox member has payer " payer > "/dev/stderr"; exit 2 }
  split("2026-12-07 2026-12-14 2026-12-21 2027-01-04", starts, " ")
  split("3 4 5 5 5", days, " ")
  split("4 6 8 8 12", weeks, " ")
  split("300.00 380.00 450.00 450.00 650.00", charges, " ")
  split("verbal written electronic", consent_methods, " ")
  for (i = 1; i <= rows; i++) {
    split(members[(i - 1) % n + 1], m, "|")
    member = (bad_every > 0 && i % bad_every == 0) ? "" : m[5]
    printf "G-%06d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", i, m[1], m[2], m[3], m[4], member, m[6], \
      starts[(i - 1) % 4 + 1], days[(i - 1) % 5 + 1], weeks[(i - 1) % 5 + 1], charges[(i - 1) % 5 + 1], \
      consent_methods[(i - 1) % 3 + 1], consent_date
  }
}' > "$out"

echo "wrote $rows census rows to $out" >&2
