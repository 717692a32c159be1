#!/usr/bin/env python3
"""Scores extraction on this corpus: for each file, the share of its source text's words that the
extracted text has in the same order (recall) and the share of extracted words that are the source's
(precision), by a word-level longest common subsequence — the measure FixtureExtractionTests asserts.

Usage: python3 score.py [path/to/gleaner]   (default: .build/release/gleaner, else .build/debug/gleaner)
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CASES = [  # file, source, text the file has beyond its source
    ("fr-45037.pdf", "fr-45037.txt", ""),
    ("fr-45037-2col.pdf", "fr-45037.txt", ""),
    ("fr-44374.pdf", "fr-44374.txt", ""),
    ("fr-45364.docx", "fr-45364.txt", "Lieu Date Paris 2012 Source : Wikinews."),
    ("fr-45364.odt", "fr-45364.txt", "Lieu Date Paris 2012 Source : Wikinews."),
    ("es-test-100.docx", "es-test-100.txt", ""),
    ("es-test-100.odt", "es-test-100.txt", ""),
    ("es-test-100.epub", "es-test-100.txt", ""),
    ("fr-45037.eml", "fr-45037.txt", ""),
    ("es-test-100.eml", "es-test-100.txt", ""),
]


def words(s):
    return re.findall(r"\w+", s)


def lcs(a, b):
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else next(
        p for p in (os.path.join(ROOT, ".build/release/gleaner"), os.path.join(ROOT, ".build/debug/gleaner")) if os.path.exists(p))
    print("| file | source words | recall | precision |\n|---|---|---|---|")
    for name, source, extra in CASES:
        out = subprocess.run([binary, "extract", os.path.join(HERE, name)], capture_output=True, text=True, check=True).stdout
        text = json.loads(out.splitlines()[0])["text"]
        with open(os.path.join(HERE, "source", source), encoding="utf-8") as f:
            src = words(f.read() + "\n" + extra)
        ext = words(text)
        common = lcs(src, ext)
        print(f"| {name} | {len(src)} | {100 * common / len(src):.2f}% | {100 * common / max(len(ext), 1):.2f}% |")


if __name__ == "__main__":
    main()
