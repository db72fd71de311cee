#!/usr/bin/env bash
# Inputs without end or without shape (issue 17): how fast they are refused and how much memory
# a run takes, against the size of what it was given.
#
#   bash bench/endless.sh
#
# Cases: /dev/zero and a FIFO nobody writes to (refused before reading), one 300 MiB line
# without a line end (refused at the header), a 300 MiB file of 1 MiB+ lines under a normal
# header (every row quarantined), and a generated 100k register for scale. Prints one Markdown
# row each: exit code, wall time, peak RSS, and the input's size.
set -uo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/regclean
[ -f "$work/g.csv" ] || "$bin" generate --rows 100000 --out "$work/g.csv" --seed 1 2>/dev/null
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
with open(f"{w}/one_line.csv", "w") as f:
    f.write("a" * (300 << 20))
with open(f"{w}/long_rows.csv", "w") as f:
    f.write("first_name,last_name,email\n")
    row = "x" * ((1 << 20) + 10) + ",y,z\n"
    for _ in range(290):
        f.write(row)
PY
rm -f "$work/fifo" && mkfifo "$work/fifo"
echo "| input | exit code | wall time (s) | peak RSS (MiB) | input size (MiB) |"
echo "|---|---|---|---|---|"
for input in /dev/zero "$work/fifo" "$work/one_line.csv" "$work/long_rows.csv" "$work/g.csv"; do
  rm -rf "$work/out"
  /usr/bin/time -f "%e %M" -o "$work/time" timeout 120 "$bin" run "$input" --out "$work/out" --as-of 2025-06-01 >/dev/null 2>&1
  code=$?
  read -r secs kb < <(tail -1 "$work/time") || true
  size=$( [ -f "$input" ] && echo $(( $(stat -c %s "$input") >> 20 )) || echo "-")
  echo "| $(basename "$input") | $code | $secs | $(( ${kb:-0} / 1024 )) | $size |"
done
