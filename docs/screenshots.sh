#!/usr/bin/env bash
# Screenshots of the demo's report.html at 800 and 1400 px, taken with headless Chromium, for
# docs/ (README links them). Anyone can rerun it:
#
#   bash docs/screenshots.sh            (needs chromium: apt-get install chromium)
#
# The overflow check at 800, 1400 and 1920 px is a test:
#   cargo test --release --test browser   (also run by .ci/run, which installs chromium when it can)
set -euo pipefail
cd "$(dirname "$0")/.."
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "docs/screenshots.sh: no chromium found; install it (apt-get install chromium) and rerun" >&2
  exit 1
fi
cargo build --release --quiet
work=$(mktemp -d)
./target/release/regclean run fixtures/demo/hubspot_contacts.csv fixtures/demo/nettbutikk_kunder.csv \
  --config fixtures/demo/config.toml --out "$work/out" --as-of 2025-06-01 --rules rules --quiet
for width in 800 1400; do
  "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$width,2600" --screenshot="docs/report-$width.png" "file://$work/out/report.html" 2>/dev/null
  echo "docs/report-$width.png"
done
rm -rf "$work"
