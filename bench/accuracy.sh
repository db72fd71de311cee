#!/usr/bin/env bash
# Dedup accuracy on registers with a known truth, with one set of defaults: FEBRL 1, 2, 3 and
# 4a+4b, the four public registers (fake_1000; rldata10000, historical_50k and ncvr5000 with only
# their header mapping files), the two organisation registers and generated registers. One
# Markdown table: rows, true and predicted pairs, pairwise P / R / F1, B-cubed F1 (every row
# weighs alike, not every pair), blocking recall (the share of true pairs some blocking rule
# compared, from pairs.csv: a lower bound, pairs.csv leaves out pairs below -10 bits) and the
# wall time of the whole run.
#
#   bash bench/accuracy.sh                 (FEBRL, public sets, generated 100k)
#   GENERATED="100000 1000000" bash bench/accuracy.sh
#   SETS="fake_1000 rldata10000" bash bench/accuracy.sh   (only those)
#
# The truth column is removed from every input and kept in a side file keyed by
# source_file/source_line, so the model never sees it; `regclean evaluate --truth-file` scores.
set -euo pipefail
cd "$(dirname "$0")/.."
febrl=${FEBRL_DIR:-../shared/datasets/febrl}
public=${PUBLIC_DIR:-../shared/datasets/public}
generated=${GENERATED-100000}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/regclean

strip() { # strip IN OUT_CSV TRUTH_CSV TRUTH_COLUMN: drop the truth column, write truth by line
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import csv, sys, os
src, out, truth, column = sys.argv[1:]
text = open(src, newline="", encoding="utf-8").read()
delim = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
rows = list(csv.reader(text.splitlines(), delimiter=delim))
k = rows[0].index(column)
with open(out, "w", newline="", encoding="utf-8") as f:
    csv.writer(f, delimiter=delim, lineterminator="\n").writerows([r[:k] + r[k + 1:] for r in rows])
with open(truth, "a", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    if f.tell() == 0:
        w.writerow(["source_file", "source_line", "entity_id"])
    for i, r in enumerate(rows[1:]):
        w.writerow([os.path.basename(out), i + 2, r[k]])
PY
}

# run NAME CONFIG INPUT...: run with defaults (CONFIG may be empty), score, print a row.
run() {
  local name=$1 config=$2
  shift 2
  local args=()
  [ -z "$config" ] || args=(--config "$config")
  local start end
  start=$(date +%s.%N)
  "$bin" run "$@" --out "$work/out-$name" --as-of 2026-11-23 --quiet "${args[@]}" 2>"$work/err-$name.txt" || {
    rc=$?
    [ $rc -eq 3 ] || { cat "$work/err-$name.txt" >&2; exit $rc; }
  }
  end=$(date +%s.%N)
  "$bin" evaluate "$work/out-$name" --truth entity_id --truth-file "$work/truth-$name.csv" > "$work/eval-$name.txt"
  v() { awk -v k="$1" '$0 ~ "^"k {print $NF}' "$work/eval-$name.txt"; }
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n" "$name" "$(v rows)" "$(v 'true pairs')" \
    "$(v 'predicted pairs')" "$(v 'correct pairs')" "$(v precision)" "$(v recall)" "$(v f1)" \
    "$(awk '/^b-cubed/ {print $NF}' "$work/eval-$name.txt")" \
    "$(awk '/^blocking recall/ {print $3}' "$work/eval-$name.txt")" "$(echo "$end - $start" | bc)"
}

want() { [ -z "${SETS:-}" ] || [[ " $SETS " == *" $1 "* ]]; }

echo "| set | rows | true pairs | predicted | correct | precision | recall | F1 | B-cubed F1 | blocking recall | time (s) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for set in febrl1 febrl2 febrl3; do
  want "$set" || continue
  rm -f "$work/truth-$set.csv"
  strip "$febrl/$set.csv" "$work/$set.csv" "$work/truth-$set.csv" entity_id
  run "$set" "" "$work/$set.csv"
done
if want febrl4; then
  rm -f "$work/truth-febrl4.csv"
  strip "$febrl/febrl4a.csv" "$work/febrl4a.csv" "$work/truth-febrl4.csv" entity_id
  strip "$febrl/febrl4b.csv" "$work/febrl4b.csv" "$work/truth-febrl4.csv" entity_id
  run febrl4 "" "$work/febrl4a.csv" "$work/febrl4b.csv"
fi
# public NAME TRUTH_COLUMN CONFIG FILE...: a public register (its files stripped of the truth
# column into one truth file), run with its header mapping file when it has one.
public() {
  local name=$1 column=$2 config=$3
  shift 3
  want "$name" || return 0
  rm -f "$work/truth-$name.csv"
  local inputs=()
  for f in "$@"; do
    strip "$public/$f" "$work/$f" "$work/truth-$name.csv" "$column"
    inputs+=("$work/$f")
  done
  run "$name" "${config:+$public/$config}" "${inputs[@]}"
}
public fake_1000 cluster "" fake_1000.csv
public rldata10000 label_true rldata10000.toml rldata10000.csv
public historical_50k cluster historical_50k.toml historical_50k.csv
public ncvr5000 ncid ncvr5000.toml ncvr5000_a.csv ncvr5000_b.csv
# Organisation registers (../shared/datasets/organisations): the restaurants are in the United
# States, given as a user would (the config's default country); patstat runs with defaults.
organisations=${ORGANISATIONS_DIR:-../shared/datasets/organisations}
printf 'default_country = "US"\n' > "$work/us.toml"
for set in restaurants_fodors_zagat patstat_nl_holders; do
  want "$set" || continue
  rm -f "$work/truth-$set.csv"
  strip "$organisations/$set.csv" "$work/$set.csv" "$work/truth-$set.csv" truth
  config=""
  [ "$set" != restaurants_fodors_zagat ] || config="$work/us.toml"
  run "$set" "$config" "$work/$set.csv"
done
for n in $generated; do
  want "gen$n" || continue
  reg="$work/gen$n-full.csv"
  [ -f "$reg" ] || "$bin" generate --rows "$n" --out "$reg" 2>/dev/null
  rm -f "$work/truth-gen$n.csv"
  strip "$reg" "$work/gen$n.csv" "$work/truth-gen$n.csv" entity_id
  run "gen$n" "" "$work/gen$n.csv"
done
