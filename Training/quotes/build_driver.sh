#!/bin/sh
# Builds the tuning driver as one module from the core and plugin sources: /tmp/quotes-driver.
# The word lists are found beside the sources (Plugins/QuoteExtraction/Model/lexicon) or in GLEANER_MODEL_DIR.
set -e
cd "$(dirname "$0")/../.."
T=$(mktemp -d)
for f in Sources/GleanerCore/*.swift Sources/GleanerCore/Layers/*.swift Sources/GleanerText/ModelFile.swift Plugins/QuoteExtraction/*.swift; do
  sed 's/^import GleanerCore$//; s/^import GleanerText$//' "$f" > "$T/$(basename "$f")"
done
cp Training/quotes/driver.swift "$T/main.swift"
swiftc -O -g -o /tmp/quotes-driver "$T"/*.swift 2>&1 | grep -v warning || true
