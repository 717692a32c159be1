#!/usr/bin/env python3
"""German quotations on the dev split of Petersen-Frey & Biemann (2024), through `gleaner quotes --jsonl --lang de`.

  python3 Training/quotes/de/score.py [BINARY] [SPLIT]      (default .build/release/gleaner, dev)

This is a DEVELOPMENT set: its errors were read to write the German word lists and rules.
The dataset's test split is not in ../shared and is not used.

Criterion (the data README's "simpler criterion"): a gold quotation is found when one predicted quotation
covers at least half of its non-space characters (marks excluded); its speaker is right when the predicted
speaker mention overlaps the gold speaker span, or the predicted resolved name contains the last word of the
gold speaker text. Gold quotations without a speaker count as right when the prediction has no speaker either.
  * direct: gold `Direct` against predicted marked quotations (direct, partial, interview, question);
    precision over predicted marked quotations, recall over gold Direct, F1 with the right speaker.
  * indirect: gold `Indirect` against predicted `indirect`; recall with the right speaker, and the precision of
    predicted indirect quotations (right when they cover half of any gold annotation with the right speaker).
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/gleaner"
SPLIT = sys.argv[2] if len(sys.argv) > 2 else "dev"
DATA = os.path.join(HERE, "../../../../shared/data/quotes/de", SPLIT)
MARKS = set("„“”\"»«‚‘’›‹")


def chars(text, a, b):
    return {i for i in range(a, b) if not text[i].isspace() and text[i] not in MARKS}


def spans(role):
    return [(s["charBegin"], s["charEnd"]) for s in (role or {}).get("spans", [])]


docs = []
for name in sorted(os.listdir(DATA)):
    if name.endswith(".json"):
        with open(os.path.join(DATA, name), encoding="utf-8") as f:
            docs.append((name[:-5], json.load(f)))

inp = "".join(json.dumps({"doc_id": d, "text": j["originalText"]}, ensure_ascii=False) + "\n" for d, j in docs)
out = subprocess.run([BIN, "quotes", "--jsonl", "--indirect", "--lang", "de"], input=inp, capture_output=True, text=True, check=True).stdout
pred = {o["doc_id"]: o["quotes"] for o in map(json.loads, filter(str.strip, out.splitlines()))}


def speaker_right(text, g, p):
    gs = spans(g.get("speaker"))
    if not gs:
        return p.get("speaker") is None
    if p.get("speaker_start") is not None:
        for a, b in gs:
            if p["speaker_start"] < b and a < p["speaker_end"]:
                return True
    name = (p.get("name") or "").lower().split()
    gtext = (g["speaker"].get("text") or "").split()
    return bool(name and gtext and gtext[-1].lower().strip(".,") in name)


def evaluate(gold_types, pred_kinds):
    n_gold = n_pred = found = right = pred_right = 0
    for doc_id, j in docs:
        text = j["originalText"]
        gold = [a for a in j["annotations"] if a["type"] in gold_types and spans(a["quote"])]
        allgold = [a for a in j["annotations"] if spans(a["quote"])]
        ps = [p for p in pred.get(doc_id, []) if p["kind"] in pred_kinds]
        n_gold += len(gold)
        n_pred += len(ps)
        pc = [chars(text, p["start"], p["end"]) for p in ps]
        for g in gold:
            gc = set().union(*(chars(text, a, b) for a, b in spans(g["quote"])))
            if not gc:
                continue
            best = max(range(len(ps)), key=lambda k: len(gc & pc[k]), default=None)
            if best is None or 2 * len(gc & pc[best]) < len(gc):
                continue
            found += 1
            right += speaker_right(text, g, ps[best])
        for k, p in enumerate(ps):
            for g in allgold:
                gc = set().union(*(chars(text, a, b) for a, b in spans(g["quote"])))
                if gc and 2 * len(gc & pc[k]) >= min(len(gc), len(pc[k])) and speaker_right(text, g, p):
                    pred_right += 1
                    break
    return n_gold, n_pred, found, right, pred_right


def pct(a, b):
    return 100.0 * a / b if b else 0.0


g, p, f, r, pr = evaluate({"Direct"}, {"direct", "partial", "interview", "question"})
prec, rec = pct(pr, p), pct(r, g)
f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
print(f"German {SPLIT} ({len(docs)} documents), direct quotations: gold {g}, predicted {p}, found {f} ({pct(f, g):.1f}%)")
print(f"  with the right speaker: precision {prec:.1f}  recall {rec:.1f}  F1 {f1:.1f}")
g, p, f, r, pr = evaluate({"Indirect"}, {"indirect"})
print(f"German {SPLIT}, indirect speech: gold {g}, predicted {p}, found {f} ({pct(f, g):.1f}%)")
print(f"  with the right speaker: recall {pct(r, g):.1f}  precision {pct(pr, p):.1f}")
