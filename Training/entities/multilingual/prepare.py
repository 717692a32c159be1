#!/usr/bin/env python3
"""Training and development files for one language's entity model.

Reads ../shared/data/ner/multilingual/LANG/ (INDEX<TAB>TOKEN<TAB>IOB2 tag) and writes the
trainer's format (TOKEN TAG per line, `-DOCSTART-` between documents) into OUT:

  train.txt             what the model is trained on
  dev-wikineural.txt    the LAST 10% of wikineural.conllu's sentences (our development set)
  dev-conll2002.txt     conll2002-dev.conllu (es, nl), the published development split
  dev-wikiann.txt       wikiann-dev.conllu (de es nl pl ru), when --wikiann is given

The split is deterministic: sentence order in the file, no shuffling. The sources have no
document boundaries, so consecutive sentences are grouped into pseudo-documents (10 for
WikiNEuRal and WikiANN, whose neighbours are often unrelated; 20 for CoNLL-2002 news-wire,
whose neighbours are one article) for the tagger's document-history feature.

Run: python3 prepare.py DATA_DIR LANG OUT_DIR [--wikiann] [--conll-weight N]
(--conll-weight N repeats the CoNLL-2002 news-wire training sentences N times: the news domain weighs more.)
"""
import os
import sys


def read(path):
    sents, cur = [], []
    for line in open(path, encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3:
            if cur:
                sents.append(cur)
            cur = []
            continue
        tok = cols[1].replace(" ", "_")
        if tok:
            cur.append((tok, cols[2]))
    if cur:
        sents.append(cur)
    return sents


def write(path, groups):
    with open(path, "w", encoding="utf-8") as f:
        for sents, per_doc in groups:
            for i, s in enumerate(sents):
                if i % per_doc == 0:
                    f.write("-DOCSTART- O\n\n")
                for tok, tag in s:
                    f.write(f"{tok} {tag}\n")
                f.write("\n")


def main():
    data, lang, out = sys.argv[1], sys.argv[2], sys.argv[3]
    wikiann = "--wikiann" in sys.argv
    weight = int(sys.argv[sys.argv.index("--conll-weight") + 1]) if "--conll-weight" in sys.argv else 1
    d = os.path.join(data, lang)
    os.makedirs(out, exist_ok=True)
    wn = read(os.path.join(d, "wikineural.conllu"))
    cut = len(wn) - len(wn) // 10
    train = [(wn[:cut], 10)]
    write(os.path.join(out, "dev-wikineural.txt"), [(wn[cut:], 10)])
    if os.path.exists(os.path.join(d, "conll2002-train.conllu")):
        train += [(read(os.path.join(d, "conll2002-train.conllu")), 20)] * weight
        write(os.path.join(out, "dev-conll2002.txt"), [(read(os.path.join(d, "conll2002-dev.conllu")), 20)])
    if wikiann and os.path.exists(os.path.join(d, "wikiann-train.conllu")):
        train.append((read(os.path.join(d, "wikiann-train.conllu")), 10))
        write(os.path.join(out, "dev-wikiann.txt"), [(read(os.path.join(d, "wikiann-dev.conllu")), 10)])
    write(os.path.join(out, "train.txt"), train)
    print(f"{lang}: train {sum(len(s) for s, _ in train)} sentences, wikineural dev {len(wn) - cut}", file=sys.stderr)


main()
