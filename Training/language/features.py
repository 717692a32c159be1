#!/usr/bin/env python3
"""Independent re-implementation of the feature hashing in
Plugins/LanguageDetection/Features.swift, used to check that the Swift code
(training and inference share it) hashes exactly as specified.

  python3 Training/language/features.py "Gleaner språk" "Ÿes, ДА"

Prints the feature ids (bucket bits 17) of each argument. Word scalars are
letters and combining marks (not letter-numbers), lower-cased with the simple
one-scalar mapping; everything else separates words. Per word, padded with a
space each side: every n-gram of 1..5 scalars except a lone boundary space,
in order of start position then length; then (words of at most 24 letters) the
whole word, hashed after the marker scalar 1. FNV-1a 32-bit, one scalar per step;
bucket = (h ^ (h >> 15)) & (2**bits - 1).
"""
import sys
import unicodedata

OFFSET, PRIME, MASK32 = 2166136261, 16777619, 0xFFFFFFFF


def fold(c):
    cat = unicodedata.category(c)
    if not (cat.startswith("L") and cat != "Nl" or cat in ("Mn", "Mc", "Me")):
        return None
    low = c.lower()
    return low if len(low) == 1 else c


def step(h, v):
    return ((h ^ v) * PRIME) & MASK32


def features(text, bits=17):
    mask = (1 << bits) - 1
    out, words, cur = [], [], []
    for c in text:
        f = fold(c)
        if f is not None:
            cur.append(ord(f))
        elif cur:
            words.append(cur); cur = []
    if cur:
        words.append(cur)
    for w in words:
        p = [0x20] + w + [0x20]
        n = len(p)
        for i in range(n):
            h = OFFSET
            for j in range(i, min(n, i + 5)):
                h = step(h, p[j])
                if j == i and (i == 0 or i == n - 1):
                    continue
                out.append((h ^ (h >> 15)) & mask)
        if len(w) <= 24:
            h = step(OFFSET, 1)
            for v in w:
                h = step(h, v)
            out.append((h ^ (h >> 15)) & mask)
    return out


if __name__ == "__main__":
    for t in sys.argv[1:] or ["Gleaner språk"]:
        print(repr(t), features(t))
