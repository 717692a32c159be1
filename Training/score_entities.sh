#!/bin/sh
# Scores `gleaner entities --conll` with the shared scorer (shared/eval/conll_eval.py).
# Usage: Training/score_entities.sh [BINARY] [CONLL-FILE]
#   default binary: .build/release/gleaner
#   default file:   ../shared/data/ner/conll2003/eng.testa (CoNLL-2003 dev, news)
#   out of domain:  Training/entities/wikigold/wikigold.conll (WikiGold, Wikipedia; see its README)
# The gold tag is the file's last column; -DOCSTART- lines become sentence breaks.
# GLEANER_LANG=fr tags with that language's model (`--lang fr`); unset, the command detects each document's language.
set -e
BIN=${1:-.build/release/gleaner}
T=${2:-../shared/data/ner/conll2003/eng.testa}
OUT=$(mktemp)
"$BIN" entities --conll ${GLEANER_LANG:+--lang "$GLEANER_LANG"} < "$T" > "$OUT.pred"
paste -d' ' "$T" "$OUT.pred" | awk '
    NF == 0 || $1 == "-DOCSTART-" { print ""; next }
    { n = split($0, a, /[ \t]+/); print a[1], a[n - 2], a[n] }' > "$OUT"
python3 ../shared/eval/conll_eval.py "$OUT"
rm -f "$OUT" "$OUT.pred"
