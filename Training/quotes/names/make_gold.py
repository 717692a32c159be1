#!/usr/bin/env python3
"""Builds gold.jsonl from annotations.txt (the hand-written judgements) and the PolNeAR articles.

  python3 Training/quotes/names/make_gold.py [--check]

Checks that the annotated articles are exactly sample.py's articles, in its order, and that every quotation
of every article has exactly one judgement. Writes one line per quotation (see README.md):
  {"doc_id", "split", "q", "start", "end", "quote", "speaker_mention", "speaker_key", "name", "type",
   "variants", "note"}
With --check it only validates and compares with the existing gold.jsonl.
"""
import json
import os
import re
import sys

from sample import sample

HERE = os.path.dirname(os.path.abspath(__file__))


def parse(path):
    docs, cur = [], None
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if line.startswith("## "):
            split, doc_id = line[3:].split()
            cur = {"split": split, "doc_id": doc_id, "speakers": {}, "marks": {}, "line": n}
            docs.append(cur)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if cur is None:
            raise SystemExit(f"{path}:{n}: judgement before any article")
        body, _, note = line.partition(" ; ")
        body, note = body.strip(), note.strip() or None
        m = re.fullmatch(r"([A-Z]) = (ORG )?([^|]+?)(?: \| (.+))?", body)
        if m:
            key, org, name, variants = m.groups()
            cur["speakers"][key] = {
                "name": name.strip(),
                "type": "ORG" if org else "PER",
                "variants": [v.strip() for v in (variants or "").split(";") if v.strip()],
                "note": note,
            }
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))? ([A-Z]|-)", body)
        if not m:
            raise SystemExit(f"{path}:{n}: cannot read {line!r}")
        a, b, key = int(m.group(1)), int(m.group(2) or m.group(1)), m.group(3)
        for k in range(a, b + 1):
            if k in cur["marks"]:
                raise SystemExit(f"{path}:{n}: quotation {k} judged twice")
            if key != "-" and key not in cur["speakers"]:
                raise SystemExit(f"{path}:{n}: unknown speaker {key}")
            cur["marks"][k] = (key, note)
    return docs


def build():
    docs = parse(os.path.join(HERE, "annotations.txt"))
    chosen = sample()
    if [(d["split"], d["doc_id"]) for d in docs] != [(s, d["doc_id"]) for s, d in chosen]:
        raise SystemExit("annotations.txt does not list sample.py's articles in its order")
    rows = []
    for ann, (split, doc) in zip(docs, chosen):
        qs = doc["quotes"]
        if sorted(ann["marks"]) != list(range(1, len(qs) + 1)):
            raise SystemExit(f"{doc['doc_id']}: judgements {sorted(ann['marks'])} for {len(qs)} quotations")
        for k, q in enumerate(qs, 1):
            key, note = ann["marks"][k]
            sp = ann["speakers"].get(key) if key != "-" else None
            rows.append({
                "doc_id": doc["doc_id"], "split": split, "q": k,
                "start": q["start"], "end": q["end"], "quote": doc["text"][q["start"]:q["end"]][:60],
                "speaker_mention": q.get("speaker"),
                "speaker_key": key if sp else None,
                "name": sp["name"] if sp else None,
                "type": sp["type"] if sp else None,
                "variants": sp["variants"] if sp else [],
                "note": note or (sp or {}).get("note"),
            })
    return rows


if __name__ == "__main__":
    rows = build()
    out = os.path.join(HERE, "gold.jsonl")
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    named = sum(r["name"] is not None for r in rows)
    docs = len({r["doc_id"] for r in rows})
    print(f"{len(rows)} quotations in {docs} articles with quotations; {named} with a name, {len(rows) - named} null")
    if "--check" in sys.argv:
        same = os.path.exists(out) and open(out, encoding="utf-8").read() == text
        print("gold.jsonl is up to date" if same else "gold.jsonl differs from annotations.txt: run make_gold.py")
        sys.exit(0 if same else 1)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
