"""Reads a Gleaner catalogue and lists identity problems across documents among people.

- split: one person under two catalogue entities with full names: the names agree once middle names and
  initials are set aside (same first and last word, e.g. "Hillary Clinton" / "Hillary Rodham Clinton"), or differ
  only by a one-word title the entity tagger kept. Each listed pair is to be judged by a reader.
- one-word: people named by one word only in a document (never merged across documents by design) whose word
  is the last word of exactly one full-name person of the catalogue: the likely person, for the reader to judge.
- merged: one entity whose names have different first words that are not initials of each other
  ("George W. Bush" with "George H. W. Bush" cannot happen: initials are compared), i.e. possibly two people.
Share of people under two entities = split groups / people (full-name entities, a split group counted once).
"""
import collections, sqlite3, sys, unicodedata, re

def words(name):
    s = unicodedata.normalize("NFKD", name.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"['’.]", "", s)
    return [w for w in re.split(r"[^\w]+", s) if w]

db = sqlite3.connect(sys.argv[1])
people = db.execute("SELECT id, name, local FROM entity WHERE type = 'PERSON'").fetchall()
names = collections.defaultdict(list)
for eid, name in db.execute("SELECT entity_id, name FROM entity_name WHERE type = 'PERSON'"):
    names[eid].append(name)
docs = dict(db.execute("SELECT entity_id, count(*) FROM document_entity GROUP BY entity_id").fetchall())
full = [(i, n) for i, n, local in people if not local]
local = [(i, n) for i, n, local in people if local]

def key(n):
    w = words(n)
    return (w[0], w[-1]) if len(w) >= 2 else None

by_key = collections.defaultdict(list)
for i, n in full:
    k = key(n)
    if k: by_key[k].append((i, n))
splits = [group for group in by_key.values() if len(group) > 1]
# A different first word but the same last word and one name inside the other ("Mr Donald Trump").
by_last = collections.defaultdict(list)
for i, n in full:
    by_last[words(n)[-1]].append((i, n))
for last, group in by_last.items():
    for a in group:
        for b in group:
            wa, wb = words(a[1]), words(b[1])
            if a[0] < b[0] and len(wa) != len(wb) and (set(wa) < set(wb) or set(wb) < set(wa)) and key(a[1]) != key(b[1]):
                splits.append([a, b])

merged = []
for i, n in full:
    firsts = {words(x)[0] for x in names[i] if len(words(x)) >= 2}
    long_firsts = {f for f in firsts if len(f) > 1}
    if len(long_firsts) > 1:
        merged.append((i, n, sorted(names[i])))

one_word = []
for i, n in local:
    w = words(n)
    if len(w) == 1:
        cands = by_last.get(w[0], [])
        if len(cands) == 1:
            one_word.append((n, cands[0][1]))

split_entities = {i for g in splits for i, _ in g}
# Each group is one person (if the reader agrees) under len(group) entities.
people_count = len(full) - (len(split_entities) - len(splits))
print(f"full-name person entities (across documents): {len(full)}")
print(f"people named by one word only in their document (kept apart by design): {len(local)}")
print(f"people under two full-name entities: {len(splits)} of about {people_count} people "
      f"= {100.0 * len(splits) / max(1, people_count):.2f}% ({len(split_entities)} entities)")
for g in splits:
    print("  split:", " | ".join(f"{n} ({docs.get(i, 0)} docs)" for i, n in g))
print(f"entities that may join two different people: {len(merged)}")
for i, n, ns in merged:
    print(f"  merged? {n}: {ns}")
print(f"one-word names whose only full-name candidate is in the catalogue: {len(one_word)} (not merged)")
for n, c in sorted(set(one_word))[:40]:
    print(f"  one-word: {n} → {c}?")
multi = [(i, n, sorted(set(names[i]))) for i, n in full if len(set(names[i])) > 1]
print(f"entities found under more than one name (merges to check): {len(multi)}")
for i, n, ns in multi:
    print(f"  {n} ({docs.get(i, 0)} docs): {' / '.join(ns)}")
