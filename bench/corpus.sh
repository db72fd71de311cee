#!/usr/bin/env bash
# Cleaning agreement with reference libraries: runs every value of bench/corpus/values.csv through
# regclean's normalisers and prints one Markdown table (field, values, agreement) followed by the
# first disagreements of each field.
#
#   bash bench/corpus.sh             (the committed corpus)
#   REGENERATE=1 bash bench/corpus.sh   (first rebuild the corpus from the Python references:
#                                        pip install --user phonenumbers python-stdnum
#                                        email-validator pycountry Faker babel)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${REGENERATE:-}" ]; then
  python3 bench/corpus/make_corpus.py
fi
# The test fails below 98% for a field; the table is printed either way.
cargo test --release --quiet --test corpus -- --nocapture 2>&1 | sed -n '/^| field/,$p' | grep -v '^test result\|^failures\|^---- \|^thread \|^note:\|^test agreement' || true
