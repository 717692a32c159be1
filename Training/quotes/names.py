#!/usr/bin/env python3
"""How often predicted quotations get a resolved speaker `name`, and how often it is right.

  python3 Training/quotes/names.py PRED.jsonl [GOLD.jsonl]

PRED is the output of `gleaner quotes --jsonl`. First figure: the share of predicted
quotations whose speaker is a person mention (a personal pronoun he, she, him, her, il,
elle, lui, the relative "who", or a proper name: every word capitalised, not I/We/They/It)
that get a non-null `name`. With GOLD (PolNeAR form), second figure: for quotations
matched to a gold quotation whose gold speaker is a proper name, the share whose resolved
`name` contains the gold speaker's head word (quotes_score.py's head), i.e. names that are
right, not just present.
"""
import json
import os
import sys

PRONOUNS = {"he", "she", "him", "her", "il", "elle", "lui", "who"}
PARTICLES = {"de", "van", "von", "al", "bin", "da", "di", "del", "la", "le", "of", "the"}


def person_like(s: str) -> bool:
    if s.lower() in PRONOUNS:
        return True
    words = s.split()
    if not words or s.lower() in {"i", "we", "they", "it"}:
        return False
    return all(w[:1].isupper() or w.lower() in PARTICLES for w in words)


def load(path):
    with open(path, encoding="utf-8") as f:
        return {o["doc_id"]: o for o in map(json.loads, filter(str.strip, f))}


pred = load(sys.argv[1])
n = named = 0
for doc in pred.values():
    for q in doc["quotes"]:
        s = q.get("speaker")
        if s and person_like(s):
            n += 1
            named += q.get("name") is not None
print(f"person-like speakers: {n}; with a resolved name: {named} ({100 * named / max(n, 1):.1f}%)")

if len(sys.argv) > 2:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/eval"))
    from quotes_score import head, nonspace, trim  # the shared scorer's own matching and head rule

    gold = load(sys.argv[2])
    total = right = missing = 0
    for doc_id, g in gold.items():
        text = g["text"]
        gq, pq = g["quotes"], pred.get(doc_id, {"quotes": []})["quotes"]
        gs = [nonspace(text, *trim(text, q["start"], q["end"])) for q in gq]
        ps = [nonspace(text, *trim(text, q["start"], q["end"])) for q in pq]
        pairs = sorted(((len(a & b) / len(a | b), i, j) for i, a in enumerate(gs) for j, b in enumerate(ps) if a & b), reverse=True)
        used_g, used_p = set(), set()
        for _, i, j in pairs:
            if i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            speaker = gq[i].get("speaker") or ""
            words = speaker.split(",")[0].split()
            h = head(speaker)
            if not h or not words or not all(w[:1].isupper() or w.lower() in PARTICLES for w in words):
                continue
            total += 1
            name = pq[j].get("name")
            if name is None:
                missing += 1
                continue
            parts = [w.strip(".").lower().replace("’s", "").replace("'s", "") for w in name.split()]
            right += h in parts
    print(f"gold proper-name speakers (matched): {total}; resolved name right: {right} ({100 * right / max(total, 1):.1f}%); no name: {missing}")
