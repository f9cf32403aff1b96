#!/usr/bin/env bash
# Parsing against a peer: CoverageCheck's 271 reader beside the npm package node-x12 on the same files in one run.
# The comparison itself is tests/bench/x12-peer/run.sh (its owner's script); this wrapper runs it and turns its table
# into FIGURE lines for run-all.sh. Target: 5x or more. ITERATIONS and ROUNDS pass through.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out="$("$bench_dir/x12-peer/run.sh")"
printf '%s\n' "$out"
row() { printf '%s\n' "$out" | grep -E "^$1" | head -1; }
node="$(row 'node-x12 [0-9.]+ parse')"
ours="$(row 'CoverageCheck parse ')"
[ -n "$node" ] && [ -n "$ours" ] || { echo "x12-peer/run.sh printed no comparison table" >&2; exit 1; }
# Columns from the right: MB/s, files/s, CPU MB/s, ratio, ratio on the CPU basis.
col() { printf '%s' "$1" | awk -v n="$2" '{ print $(NF - n) }'; }
figure "parse.node_x12_mb_s" "$(col "$node" 4)"
figure "parse.coveragecheck_mb_s" "$(col "$ours" 4)"
figure "parse.ratio" "$(col "$ours" 1)"
figure "parse.ratio_cpu_basis" "$(col "$ours" 0)"
