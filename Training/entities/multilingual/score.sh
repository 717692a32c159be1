#!/bin/sh
# Development F1 of the entity models of other languages, through `gleaner entities --conll --lang LANG`
# and the shared scorer (shared/eval/conll_eval.py).
# Usage: Training/entities/multilingual/score.sh [BINARY] [LANG…]   (default: .build/release/gleaner, every model)
# The development sets are made by prepare.py (the last 10% of WikiNEuRal; CoNLL-2002 dev for es and nl) into
# .build/quality/ner/LANG/. They were used to choose the epoch and the features: development figures, not test.
set -e
BIN=${1:-.build/release/gleaner}
[ $# -gt 0 ] && shift
LANGS=${*:-$(ls Plugins/EntityTagging/Model | sed -n 's/^entities-\([a-z]*\)\.bin$/\1/p')}
SHARED=${GLEANER_SHARED:-../shared}
for L in $LANGS; do
    D=.build/quality/ner/$L
    python3 Training/entities/multilingual/prepare.py "$SHARED/data/ner/multilingual" "$L" "$D" 2>/dev/null
    for f in "$D"/dev-*.txt; do
        echo "== $L $(basename "$f" .txt)"
        GLEANER_LANG=$L sh Training/score_entities.sh "$BIN" "$f"
    done
done
