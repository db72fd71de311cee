#!/usr/bin/env bash
# Accuracy on the FEBRL benchmark registers alone: the FEBRL rows of bench/accuracy.sh.
#
#   bash bench/febrl.sh [FEBRL_DIR]     (default ../shared/datasets/febrl)
set -euo pipefail
cd "$(dirname "$0")/.."
FEBRL_DIR=${1:-../shared/datasets/febrl} SETS="febrl1 febrl2 febrl3 febrl4" exec bash bench/accuracy.sh
