#!/usr/bin/env python3
"""The seeded random sample of PolNeAR articles for the name-level gold (see README.md).

  python3 Training/quotes/names/sample.py [--seed 12] [--min-quotes 400]

Shuffles the doc_ids of dev.jsonl and of train.jsonl (each sorted first, then random.Random(seed).shuffle),
interleaves them (dev 1, train 1, dev 2, train 2, ...) and takes articles in that order until the chosen
articles hold at least --min-quotes gold quotations (all quotations of every chosen article are kept).
Prints one line per article: split, doc_id, number of quotations. Nothing is chosen by reading the text.
"""
import argparse
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "../../../../shared/data/quotes/polnear"))


def load(split):
    with open(os.path.join(DATA, split + ".jsonl"), encoding="utf-8") as f:
        return {o["doc_id"]: o for o in map(json.loads, filter(str.strip, f))}


def sample(seed=12, min_quotes=400):
    splits = {s: load(s) for s in ("dev", "train")}
    orders = {}
    for s, docs in splits.items():
        ids = sorted(docs)
        random.Random(seed).shuffle(ids)
        orders[s] = ids
    chosen, total = [], 0
    for i in range(max(len(v) for v in orders.values())):
        for s in ("dev", "train"):
            if total >= min_quotes or i >= len(orders[s]):
                continue
            doc = splits[s][orders[s][i]]
            chosen.append((s, doc))
            total += len(doc["quotes"])
        if total >= min_quotes:
            break
    return chosen


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--min-quotes", type=int, default=400)
    a = ap.parse_args()
    for s, doc in sample(a.seed, a.min_quotes):
        print(f"{s}\t{doc['doc_id']}\t{len(doc['quotes'])}")
