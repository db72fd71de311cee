#!/usr/bin/env bash
# Degenerate registers (issue 17): run time and golden records when a value is repeated.
#
#   bash bench/degenerate.sh
#
# From a generated 100k register: (a) as generated, (b) 8,000 rows' customer number set to 0
# (guest checkouts), (c) 100,000 copies of one row, (d) 1% of the people at one PO box. Prints
# one Markdown row each: wall time, peak memory, golden records, and for (d) the golden records
# that mix two people.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/regclean
[ -f "$work/g.csv" ] || "$bin" generate --rows 100000 --out "$work/g.csv" --seed 1 2>/dev/null
python3 - "$work" <<'PY'
import csv, random, sys
w = sys.argv[1]
rows = list(csv.reader(open(f"{w}/g.csv", newline="")))
h, body = rows[0], rows[1:]
rid, ent = h.index("Record ID"), h.index("entity_id")
st, pc, ci = h.index("Street Address"), h.index("Postal Code"), h.index("City")
random.seed(1)
b = [r[:] for r in body]
for r in random.sample(b, 8000):
    r[rid] = "0"
csv.writer(open(f"{w}/repeated_id.csv", "w", newline="")).writerows([h] + b)
csv.writer(open(f"{w}/identical.csv", "w", newline="")).writerows([h] + [body[0]] * 100000)
ents = sorted({r[ent] for r in body})
pick = set(random.sample(ents, len(ents) // 100))
d = [r[:] for r in body]
for r in d:
    if r[ent] in pick:
        r[st], r[pc], r[ci] = "Postboks 123", "0101", "Oslo"
csv.writer(open(f"{w}/po_box.csv", "w", newline="")).writerows([h] + d)
PY
echo "| register | wall time (s) | peak RSS (MiB) | golden records | golden records mixing people |"
echo "|---|---|---|---|---|"
for name in g repeated_id identical po_box; do
  /usr/bin/time -f "%e %M" -o "$work/time-$name.txt" "$bin" run "$work/$name.csv" --out "$work/out-$name" --as-of 2026-11-23 -q
  read -r secs kb < "$work/time-$name.txt"
  golden=$(($(wc -l < "$work/out-$name/golden.csv") - 1))
  mixed=$(python3 - "$work/out-$name/records.csv" <<'PY'
import csv, sys, collections
by = collections.defaultdict(set)
for r in csv.DictReader(open(sys.argv[1], newline="")):
    by[r["golden_id"]].add(r["entity_id"])
print(sum(1 for s in by.values() if len(s) > 1))
PY
)
  echo "| $name | $secs | $((kb / 1024)) | $golden | $mixed |"
done
