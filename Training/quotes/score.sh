#!/bin/sh
# Scores the quotes processor on PolNeAR: builds the driver, predicts, runs the shared scorer.
# Usage: Training/quotes/score.sh [dev|train]   (default dev)
set -e
SPLIT=${1:-dev}
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="$HERE/../../../shared/data/quotes/polnear/$SPLIT.jsonl"
"$HERE/build_driver.sh"
/tmp/quotes-driver < "$DATA" > "/tmp/quotes-$SPLIT.pred.jsonl"
python3 "$HERE/../../../shared/eval/quotes_score.py" "$DATA" "/tmp/quotes-$SPLIT.pred.jsonl" --title "quotes 1.0.0 on PolNeAR $SPLIT"
