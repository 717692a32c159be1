#!/bin/sh
# Regenerates the screenshots of the HTML view of each sample.
# The view test writes sample-NNN.html to $GLEANER_VIEW_OUT; headless Chromium
# (Debian: apt-get install chromium) takes a desktop and a phone-width shot;
# the test also writes the outbox index of the samples (index.png).
# Usage: docs/screenshots/make.sh [--demo]
#   --demo  fill the layers that pending processors leave empty with hand-made
#           ones (Tests/GleanerViewTests/Fixtures.swift), as for the first shots.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${TMPDIR:-/tmp}/gleaner-view-shots
rm -rf "$out"
mkdir -p "$out"
demo=0
[ "${1:-}" = "--demo" ] && demo=1
cd "$root"
GLEANER_VIEW_OUT="$out" GLEANER_VIEW_DEMO=$demo \
    swift test --filter 'HTMLViewSamples/samplesRenderThroughTheRealPipeline'
chrome=$(command -v chromium || command -v chromium-headless-shell || command -v google-chrome || true)
[ -n "$chrome" ] || { echo "no chromium found: apt-get install chromium" >&2; exit 1; }
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
if command -v optipng >/dev/null; then optipng -quiet -o2 "$root"/docs/screenshots/*.png; fi
ls -l "$root"/docs/screenshots/*.png
