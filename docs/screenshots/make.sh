#!/bin/sh
# Regenerates the screenshots of the HTML view of each sample.
# The view test writes sample-NNN.html to $GLEANER_VIEW_OUT; headless Chromium
# (Debian: apt-get install chromium) takes a desktop and a phone-width shot;
# the test also writes the outbox index of the samples (index.png).
# Then the web app (gleaner serve, issue #15): the samples and the PolNeAR dev articles processed by the
# built binary into a temporary outbox, and a shot of each page (serve-*.png).
# Usage: docs/screenshots/make.sh [--demo | --serve-only]
#   --demo  fill the layers that pending processors leave empty with hand-made
#           ones (Tests/GleanerViewTests/Fixtures.swift), as for the first shots.
#   --serve-only  only the web app's shots (needs .build/debug/gleaner or $GLEANER_BINARY)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${TMPDIR:-/tmp}/gleaner-view-shots
rm -rf "$out"
mkdir -p "$out"
demo=0
[ "${1:-}" = "--demo" ] && demo=1
cd "$root"
chrome=$(command -v chromium || command -v chromium-headless-shell || command -v google-chrome || true)
[ -n "$chrome" ] || { echo "no chromium found: apt-get install chromium" >&2; exit 1; }

# The web app's pages.
serve_shots() {
    bin=${GLEANER_BINARY:-$root/.build/debug/gleaner}
    work=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-serve-shots.XXXXXX")
    mkdir -p "$work/articles" "$work/inbox"
    cp "$root"/../shared/samples/*.txt "$work/articles/" 2>/dev/null || true
    data="$root/../shared/data/quotes/polnear/dev.jsonl"
    [ -f "$data" ] && python3 - "$data" "$work/articles" <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    if i >= 40: break
    doc = json.loads(line)
    open(f"{sys.argv[2]}/{doc['doc_id'][:48]}.txt", "w", encoding="utf-8").write(doc["text"])
PY
    printf 'inbox = "%s/inbox"\noutbox = "%s/outbox"\n[processors.language]\n[processors.entities]\n[processors.quotes]\n' "$work" "$work" > "$work/gleaner.toml"
    "$bin" process --config "$work/gleaner.toml" "$work"/articles/*.txt 2>/dev/null || true
    mkdir -p "$work/outbox/failed"
    printf '{"name": "scan.pdf", "reason": "binary", "message": "the file is a PDF document, not text; Gleaner reads plain text, Markdown and HTML", "processor": null, "time": "2026-12-01T09:00:00Z"}\n' \
        > "$work/outbox/failed/scan.pdf.error.json"
    port=18765
    "$bin" serve --config "$work/gleaner.toml" --listen 127.0.0.1:$port 2>"$work/serve.log" &
    pid=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    person=$(curl -s "http://127.0.0.1:$port/api/entities?type=PERSON" | python3 -c '
import json, sys
people = [e for e in json.load(sys.stdin) if not e["local"]]
print(people[0]["id"] if people else 1)')
    doc=$(curl -s "http://127.0.0.1:$port/api/documents" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"][0]["id"])')
    shot() { # path png height
        "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
            --screenshot="$root/docs/screenshots/$2" --window-size="1280,$3" "http://127.0.0.1:$port$1" >/dev/null 2>&1
    }
    shot "/" serve-documents.png 1100
    shot "/?q=campaign" serve-search.png 1100
    shot "/entity/$person" serve-person.png 1400
    shot "/doc/$doc" serve-document.png 1100
    shot "/entities?type=PERSON" serve-people.png 900
    shot "/failures" serve-failures.png 500
    kill $pid
    rm -rf "$work"
}
if [ "${1:-}" = "--serve-only" ]; then
    serve_shots
    ls -l "$root"/docs/screenshots/serve-*.png
    exit 0
fi
GLEANER_VIEW_OUT="$out" GLEANER_VIEW_DEMO=$demo \
    swift test --filter 'HTMLViewSamples/samplesRenderThroughTheRealPipeline'
shoot() { # html png width height
    "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --screenshot="$2" --window-size="$3,$4" "file://$1" >/dev/null 2>&1
}
for html in "$out"/sample-*.html; do
    stem=$(basename "$html" .html)
    shoot "$html" "$root/docs/screenshots/$stem.png" 1280 1600
    shoot "$html" "$root/docs/screenshots/$stem-phone.png" 390 1500
done
[ -f "$out/index.html" ] && shoot "$out/index.html" "$root/docs/screenshots/index.png" 1280 640
serve_shots
if command -v optipng >/dev/null; then optipng -quiet -o2 "$root"/docs/screenshots/*.png; fi
ls -l "$root"/docs/screenshots/*.png
