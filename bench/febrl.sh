#!/usr/bin/env bash
# Accuracy on the FEBRL benchmark registers: strip the truth column, run, score.
#
#   bash bench/febrl.sh [FEBRL_DIR]     (default ../shared/datasets/febrl)
#
# For each set, entity_id is removed from the input and kept in a side file keyed by
# source_file/source_line, so the model never sees it; `regclean evaluate --truth-file` scores
# the run. Prints one Markdown table row per set.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/datasets/febrl}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=target/release/regclean

strip() { # strip IN OUT_CSV TRUTH_CSV: drop entity_id, write truth by physical line
  python3 - "$1" "$2" "$3" <<'PY'
import csv, sys, os
src, out, truth = sys.argv[1:]
rows = list(csv.reader(open(src, newline="")))
k = rows[0].index("entity_id")
with open(out, "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows([r[:k] + r[k + 1:] for r in rows])
with open(truth, "a", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    if f.tell() == 0:
        w.writerow(["source_file", "source_line", "entity_id"])
    for i, r in enumerate(rows[1:]):
        w.writerow([os.path.basename(out), i + 2, r[k]])
PY
}

echo "| set | rows | true pairs | predicted | correct | precision | recall | F1 | time (s) |"
echo "|---|---|---|---|---|---|---|---|---|"
for set in febrl1 febrl2 febrl3 febrl4; do
  rm -f "$work/truth.csv"
  if [ "$set" = febrl4 ]; then
    strip "$src/febrl4a.csv" "$work/febrl4a.csv" "$work/truth.csv"
    strip "$src/febrl4b.csv" "$work/febrl4b.csv" "$work/truth.csv"
    inputs=("$work/febrl4a.csv" "$work/febrl4b.csv")
  else
    strip "$src/$set.csv" "$work/$set.csv" "$work/truth.csv"
    inputs=("$work/$set.csv")
  fi
  start=$(date +%s.%N)
  "$bin" run "${inputs[@]}" --out "$work/out" --as-of 2026-11-23 2>/dev/null
  end=$(date +%s.%N)
  "$bin" evaluate "$work/out" --truth entity_id --truth-file "$work/truth.csv" > "$work/eval.txt"
  v() { awk -v k="$1" '$0 ~ "^"k {print $NF}' "$work/eval.txt"; }
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n" "$set" "$(v rows)" "$(v 'true pairs')" \
    "$(v 'predicted pairs')" "$(v 'correct pairs')" "$(v precision)" "$(v recall)" "$(v f1)" \
    "$(echo "$end - $start" | bc)"
done
