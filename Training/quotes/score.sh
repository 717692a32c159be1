#!/bin/sh
# Scores the quotes processor on PolNeAR through the CLI, with the shared scorer, and counts resolved names.
# Usage: Training/quotes/score.sh [dev|train] [BINARY]   (default dev, .build/release/gleaner; run `make build` first)
set -e
SPLIT=${1:-dev}
BIN=${2:-.build/release/gleaner}
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="$HERE/../../../shared/data/quotes/polnear/$SPLIT.jsonl"
OUT="${QUOTES_PRED:-/tmp/quotes-$SPLIT.pred.jsonl}"   # QUOTES_PRED: another path (make quality uses .build/quality/)
"$BIN" quotes --jsonl < "$DATA" > "$OUT"
python3 "$HERE/../../../shared/eval/quotes_score.py" "$DATA" "$OUT" --title "quotes on PolNeAR $SPLIT"
python3 "$HERE/names.py" "$OUT" "$DATA"
