#!/usr/bin/env python3
"""Builds the quote processor's first-name gender lists from the 1990 US Census name files.

Source: PyPI names 0.3.0 (MIT); its files dist.male.first and dist.female.first are the
public-domain 1990 US Census first-name frequency lists (the same files the entity
tagger's FIRST gazetteer comes from, Training/entities/build_gazetteers.py).
A name goes to one list only when its frequency in that list is at least 20 times its
frequency in the other (so Leslie, Jordan, Jean … go to neither). The lists are used
only to keep a pronoun ("he", "she") from being resolved to a person whose first name
points the other way when nothing better (a title, an earlier pronoun) is known.
Run: pip install names==0.3.0 && python3 Training/quotes/build_first_names.py
"""
import os
import sys

# This folder's names.py (the scorer) would shadow the package.
sys.path = [p for p in sys.path if os.path.abspath(p or '.') != os.path.dirname(os.path.abspath(__file__))]
import names  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "../../Plugins/QuoteExtraction/Model/lexicon/en")
D = os.path.dirname(names.__file__)


def load(f):
    out = {}
    with open(os.path.join(D, f)) as lines:
        for line in lines:
            p = line.split()
            out[p[0].lower()] = float(p[1])
    return out


male, female = load("dist.male.first"), load("dist.female.first")
HEAD = ("# First names given to {who} at least 20 times as often as to {other} in the 1990 US Census.\n"
        "# Language: en (US usage). Source: 1990 US Census first-name lists (public domain), via PyPI names 0.3.0\n"
        "# (MIT); built by Training/quotes/build_first_names.py. Used only to check a pronoun's gender.\n")
for code, a, b, who, other in (("m", male, female, "men", "women"), ("f", female, male, "women", "men")):
    keep = sorted(n for n, f in a.items() if f >= 20 * b.get(n, 0.0005) and len(n) > 1)
    with open(os.path.join(OUT, f"first-names-{code}.txt"), "w") as o:
        o.write(HEAD.format(who=who, other=other))
        o.write("".join(n + "\n" for n in keep))
    print(code, len(keep))
