#!/bin/sh
# Builds the tuning driver as one module from the core and plugin sources: /tmp/quotes-driver.
set -e
cd "$(dirname "$0")/../.."
T=$(mktemp -d)
for f in Sources/GleanerCore/*.swift Sources/GleanerCore/Layers/*.swift Plugins/QuoteExtraction/*.swift; do
  sed 's/^import GleanerCore$//' "$f" > "$T/$(basename "$f")"
done
cp Training/quotes/driver.swift "$T/main.swift"
swiftc -O -g -o /tmp/quotes-driver "$T"/*.swift 2>&1 | grep -v warning || true
