#!/usr/bin/env bash
# Speed, memory and accuracy at scale: generate registers, run the full pipeline with the
# shipped rules, and score against the generator's truth.
#
#   bash bench/scale.sh [ROWS...]        (default: 100000 1000000)
#   RUNS=1 bash bench/scale.sh 10000000  (about 8 minutes, 7.5 GiB and 26 GB of output)
#
# For each size it prints the stage table of the last run (wall time, CPU time, resident and peak memory
# at the end of each stage), the wall time of every run, the peak RSS (from /usr/bin/time) and
# pairwise precision, recall and F1 against the generator's truth.
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
  # RUNS (default 3) timed runs; the stage table is from the last, the summary gives them all.
  walls=()
  for ((r = 1; r <= ${RUNS:-3}; r++)); do
    rm -rf "$out"
    # Read the register once so the run finds it in the page cache: we measure regclean, not
    # the disk (a cold read of the 1M register took 0.2 to 5 s on this machine).
    cat "$reg" > /dev/null
    REGCLEAN_TIMINGS=1 /usr/bin/time -v "$bin" run "$reg" --out "$out" --as-of 2026-11-23 --rules rules \
      2> "$work/log$n.txt" || true
    walls+=("$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$work/log$n.txt")")
  done
  echo "### $n rows"
  echo
  echo "| stage | wall time (s) | CPU time (s) | RSS at end (MiB) | peak so far (MiB) |"
  echo "|---|---|---|---|---|"
  grep 'regclean: timing' "$work/log$n.txt" |
    sed -E -e 's/regclean: timing (.*[^ ]) +([0-9.]+) s +cpu +([0-9.]+) s +rss +([0-9]+) MiB +peak +([0-9]+) MiB/| \1 | \2 | \3 | \4 | \5 |/' \
      -e 's/regclean: timing total +([0-9.]+) s/| total | \1 | | | |/'
  rss=$(awk '/Maximum resident/ {print $NF}' "$work/log$n.txt")
  "$bin" evaluate "$out" --truth entity_id > "$work/eval$n.txt"
  v() { awk -v k="$1" '$0 ~ "^"k {print $NF}' "$work/eval$n.txt"; }
  echo
  echo "wall times (m:ss) of the runs: ${walls[*]}"
  echo "peak RSS $((rss / 1024)) MiB; precision $(v precision), recall $(v recall), F1 $(v f1)"
  echo
done
