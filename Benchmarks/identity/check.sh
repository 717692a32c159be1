#!/bin/sh
# Identity across documents on the PolNeAR dev articles (a development set): processes them with the real binary
# into a temporary outbox (which fills the catalogue), then lists, from the catalogue, the people that appear under
# two catalogue entities and the entities that join two different people.
# Usage: Benchmarks/identity/check.sh [BINARY] [ALIASES]   (default .build/release/gleaner; `make build` first)
set -eu
BIN=${1:-.build/release/gleaner}
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="$HERE/../../../shared/data/quotes/polnear/dev.jsonl"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-identity.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/articles" "$WORK/inbox"
python3 - "$DATA" "$WORK/articles" <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    doc = json.loads(line)
    open(f"{sys.argv[2]}/{i:03d}-{doc['doc_id'][:40]}.txt", "w", encoding="utf-8").write(doc["text"])
PY
ALIASES=${2:-}
{
    echo "inbox = \"$WORK/inbox\""
    echo "outbox = \"$WORK/outbox\""
    echo "[catalogue]"
    [ -n "$ALIASES" ] && echo "aliases = \"$(cd "$(dirname "$ALIASES")" && pwd)/$(basename "$ALIASES")\""
    echo "enabled = true"
    printf '[processors.language]\n[processors.entities]\n[processors.quotes]\n'
} > "$WORK/gleaner.toml"
"$BIN" process --config "$WORK/gleaner.toml" "$WORK"/articles/*.txt 2>/dev/null
"$BIN" catalogue rebuild --config "$WORK/gleaner.toml" >/dev/null
python3 "$HERE/check.py" "$WORK/outbox/.gleaner/catalogue.sqlite"
