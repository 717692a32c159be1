#!/usr/bin/env python3
"""Quotations with the right speaker on a hand-made development gold, per language, through the CLI.

  python3 Training/quotes/lang_score.py LANG [BINARY] [--detect] [--show]
      LANG: fr (../shared/data/quotes/fr/wikinews, gold Training/quotes/fr/gold.tsv)
            es (../shared/data/quotes/es/texts,   gold Training/quotes/es/gold.tsv)
      BINARY: default .build/release/gleaner
      --detect: let Gleaner detect each document's language instead of passing --lang LANG
      --show: print every miss and wrong speaker

These are DEVELOPMENT sets: the gold was written by hand for this purpose and the errors seen on it were used
to write the word lists and rules (README-lang.md). They say nothing about unseen data.

Matching: a gold quotation (its EXCERPT, the first words of the quotation, found in the text; "#n" picks the
n-th occurrence) is found when one predicted quotation covers at least half of the excerpt's characters.
Its speaker is right when, for one of the gold variants (A|B|C), the variant's last word is a word of the
predicted resolved name (or of the mention as written when no name is resolved); a gold speaker "-" (the text
names no one) is right when the prediction names no one.
  * quotations (KIND q): predicted direct/partial/interview/question quotations; precision over them,
    recall over gold q, F1, all with the right speaker;
  * indirect (KIND i): predicted `indirect` quotations; recall with the right speaker, and precision.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "../../../shared/data/quotes")
TEXTS = {"fr": os.path.join(SHARED, "fr/wikinews"), "es": os.path.join(SHARED, "es/texts")}
MARKED = {"direct", "partial", "interview", "question"}

args = [a for a in sys.argv[1:] if not a.startswith("--")]
LANG = args[0] if args else "fr"
BIN = args[1] if len(args) > 1 else ".build/release/gleaner"
DETECT = "--detect" in sys.argv
SHOW = "--show" in sys.argv

gold = []
with open(os.path.join(HERE, LANG, "gold.tsv"), encoding="utf-8") as f:
    for line in f:
        if not line.strip() or line.startswith("#"):
            continue
        doc, kind, speaker, excerpt = line.rstrip("\n").split("\t")
        gold.append((doc, kind, speaker, excerpt))

docs = sorted(n[:-4] for n in os.listdir(TEXTS[LANG]) if n.endswith(".txt"))
texts = {}
for d in docs:
    with open(os.path.join(TEXTS[LANG], d + ".txt"), encoding="utf-8") as f:
        texts[d] = f.read()

cmd = [BIN, "quotes", "--jsonl", "--indirect"] + ([] if DETECT else ["--lang", LANG])
inp = "".join(json.dumps({"doc_id": d, "text": texts[d]}, ensure_ascii=False) + "\n" for d in docs)
out = subprocess.run(cmd, input=inp, capture_output=True, text=True, check=True).stdout
pred = {o["doc_id"]: o["quotes"] for o in map(json.loads, filter(str.strip, out.splitlines()))}


def locate(text, excerpt):
    n = 1
    m = re.match(r"^(.*)#(\d+)$", excerpt)
    if m:
        excerpt, n = m.group(1), int(m.group(2))
    at = -1
    for _ in range(n):
        at = text.find(excerpt, at + 1)
        if at < 0:
            raise SystemExit(f"excerpt not found: {excerpt!r}")
    return at, at + len(excerpt)


def words(s):
    return set(w.strip(".,;:«»“”\"'’()").lower() for w in s.split())


def speaker_right(gs, p):
    shown = p.get("name") or p.get("speaker")
    if gs == "-":
        return p.get("name") is None
    if not shown:
        return False
    ws = words(shown)
    return any(v.split()[-1].lower() in ws for v in gs.split("|"))


def covering(text, a, b, ps):
    best, cov = None, 0
    for p in ps:
        c = max(0, min(b, p["end"]) - max(a, p["start"]))
        if c > cov:
            best, cov = p, c
    return best if best is not None and 2 * cov >= (b - a) else None


def score(kind, kinds):
    n_gold = found = right = 0
    used = set()
    misses = []
    for doc, k, gs, ex in gold:
        if k != kind:
            continue
        text = texts[doc]
        a, b = locate(text, ex)
        ps = [p for p in pred.get(doc, []) if p["kind"] in kinds]
        n_gold += 1
        p = covering(text, a, b, ps)
        if p is None:
            misses.append(f"MISS  {doc} [{gs}] {ex}")
            continue
        found += 1
        if speaker_right(gs, p):
            right += 1
            used.add((doc, p["start"]))
        else:
            misses.append(f"WRONG {doc} [{gs}] {ex} -> {p.get('name')!r} ({p.get('speaker')!r})")
    n_pred = sum(1 for d in docs for p in pred.get(d, []) if p["kind"] in kinds)
    return n_gold, n_pred, found, right, len(used), misses


def pct(a, b):
    return 100.0 * a / b if b else 0.0


g, p, f, r, pr, misses = score("q", MARKED)
prec, rec = pct(pr, p), pct(r, g)
f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
mode = "detected language" if DETECT else f"--lang {LANG}"
print(f"{LANG} development gold ({len(docs)} documents, {mode}), quotations: gold {g}, predicted {p}, found {f} ({pct(f, g):.1f}%)")
print(f"  with the right speaker: precision {prec:.1f}  recall {rec:.1f}  F1 {f1:.1f}")
g2, p2, f2, r2, pr2, misses2 = score("i", {"indirect"})
print(f"{LANG} indirect speech: gold {g2}, predicted {p2}, found {f2} ({pct(f2, g2):.1f}%)")
print(f"  with the right speaker: recall {pct(r2, g2):.1f}  precision {pct(pr2, p2):.1f}")
if SHOW:
    print("\n".join(misses + misses2))
