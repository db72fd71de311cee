#!/usr/bin/env bash
# Speed, memory and accuracy at scale: generate registers, run the full pipeline with the
# shipped rules, and score against the generator's truth.
#
#   bash bench/scale.sh [ROWS...]        (default: 100000 1000000; 10000000 takes minutes and ~14 GB)
#
# For each size it prints one Markdown table row per stage (wall time) and one summary row
# (total wall time, peak RSS from /usr/bin/time, pairwise precision, recall, F1).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
work=${BENCH_DIR:-$(mktemp -d)}
cargo build --release --quiet
bin=$PWD/target/release/regclean
for n in "${sizes[@]}"; do
  reg="$work/gen$n.csv"
  [ -f "$reg" ] || "$bin" generate --rows "$n" --out "$reg" 2>/dev/null
  out="$work/out$n"
  # Start from an empty output directory: replacing the previous run's gigabytes of output
  # costs the file system (ext4 with discard) a second or more that is not regclean's work.
  rm -rf "$out"
  # Read the register once so the run finds it in the page cache: we measure regclean, not
  # the disk (a cold read of the 1M register took 0.2 to 5 s on this machine).
  cat "$reg" > /dev/null
  REGCLEAN_TIMINGS=1 /usr/bin/time -v "$bin" run "$reg" --out "$out" --as-of 2026-11-23 --rules rules \
    2> "$work/log$n.txt" || true
  echo "### $n rows"
  echo
  echo "| stage | wall time (s) | RSS at end (MiB) | peak so far (MiB) |"
  echo "|---|---|---|---|"
  grep 'regclean: timing' "$work/log$n.txt" |
    sed -E 's/regclean: timing (.*[^ ]) +([0-9.]+) s +rss +([0-9]+) MiB +peak +([0-9]+) MiB/| \1 | \2 | \3 | \4 |/'
  rss=$(awk '/Maximum resident/ {print $NF}' "$work/log$n.txt")
  "$bin" evaluate "$out" --truth entity_id > "$work/eval$n.txt"
  v() { awk -v k="$1" '$0 ~ "^"k {print $NF}' "$work/eval$n.txt"; }
  echo
  echo "peak RSS $((rss / 1024)) MiB; precision $(v precision), recall $(v recall), F1 $(v f1)"
  echo
done
