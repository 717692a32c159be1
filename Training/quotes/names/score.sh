#!/bin/sh
# Scores the speaker names Gleaner shows against the name-level gold (Training/quotes/names/gold.jsonl).
# Usage: Training/quotes/names/score.sh [BINARY] [score_names.py options: --json OUT, --errors, --pred FILE]
#   default binary: .build/release/gleaner (run `make build` first)
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN=.build/release/gleaner
case "$1" in -*|"") ;; *) BIN=$1; shift ;; esac
python3 "$HERE/make_gold.py" --check >/dev/null || { echo "gold.jsonl is out of date: python3 $HERE/make_gold.py" >&2; exit 1; }
exec python3 "$HERE/score_names.py" --bin "$BIN" "$@"
