#!/usr/bin/env python3
"""Share of predicted quotations whose speaker is a person mention that get a resolved `name`.

  python3 Training/quotes/names.py PRED.jsonl      (the output of `gleaner quotes --jsonl`)

A person mention here: a personal pronoun (he, she, him, her, il, elle, lui), the relative
"who", or a proper name (every word capitalised, not I/We/They/It). Counts non-null names,
not correct ones (correctness is what quotes_score.py's speaker figures measure).
"""
import json
import sys

PRONOUNS = {"he", "she", "him", "her", "il", "elle", "lui", "who"}
PARTICLES = {"de", "van", "von", "al", "bin", "da", "di", "del", "la", "le", "of"}


def person_like(s: str) -> bool:
    if s.lower() in PRONOUNS:
        return True
    words = s.split()
    if not words or s.lower() in {"i", "we", "they", "it"}:
        return False
    return all(w[:1].isupper() or w.lower() in PARTICLES for w in words)


n = named = 0
for line in open(sys.argv[1], encoding="utf-8"):
    for q in json.loads(line)["quotes"]:
        s = q.get("speaker")
        if s and person_like(s):
            n += 1
            named += q.get("name") is not None
print(f"person-like speakers: {n}; with a resolved name: {named} ({100 * named / max(n, 1):.1f}%)")
