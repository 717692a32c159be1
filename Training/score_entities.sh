#!/bin/sh
# Scores `gleaner entities --conll` on CoNLL-2003 eng.testa with the shared scorer.
# Usage: Training/score_entities.sh [BINARY]   (default .build/release/gleaner)
set -e
BIN=${1:-.build/release/gleaner}
T=../shared/data/ner/conll2003/eng.testa
OUT=$(mktemp)
"$BIN" entities --conll < "$T" > "$OUT.pred"
# token gold pred; -DOCSTART- lines become sentence breaks.
paste -d' ' "$T" "$OUT.pred" | awk '
    NF == 0 || $1 == "-DOCSTART-" { print ""; next }
    { split($0, parts, "\t"); print $1, $4, parts[2] }' > "$OUT"
python3 ../shared/eval/conll_eval.py "$OUT"
rm -f "$OUT" "$OUT.pred"
