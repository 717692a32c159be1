#!/usr/bin/env python3
"""Name-level scorer: is the speaker *name* a reader sees right? Scores against gold.jsonl (see README.md).

  python3 Training/quotes/names/score_names.py [--bin .build/release/gleaner] [--pred PRED.jsonl]
                                               [--json OUT.json] [--errors]

Runs `BIN quotes --jsonl` on the gold articles (their PolNeAR text; the batch form's `name` is the
resolved name the result document has in `quotes[].speaker.name`), or with --via process the result documents
of `BIN process --stdout` (one .txt per article, the embedded default configuration), or reads an existing
prediction file with --pred, and matches every gold quotation to at most one predicted quotation by span overlap (greatest
character overlap first, as Jaccard over code points; a pair must share at least one non-space character).

Figures (all over the 400 gold quotations, also per split):
  name precision   names shown on matched quotations that are right / names shown on matched quotations
                   (a name shown where the gold speaker has no name, e.g. "a White House official", is wrong)
  name recall      gold quotations with a non-null canonical name whose matched quotation shows a right name
                   / gold quotations with a non-null canonical name (missed quotations count as not found)
  unresolved       gold quotations with a non-null name, matched, that show no name / those matched
  missed           gold quotations with a non-null name that no predicted quotation overlaps
  split identities for each real speaker of a document (gold speaker key) that is shown with any name: the
                   number of distinct names shown (case, spacing, punctuation and a possessive ignored);
                   the mean, and how many speakers are shown under 2 or more names (wrong ones included),
                   and how many under 2 or more *right* forms ("Donald J. Trump" and "Donald Trump")
  merged           names shown for 2 or more different real speakers of one document

A name is right when, after normalisation (case, periods, apostrophes, a possessive, a leading "the"), it is
the canonical name, one of the gold's acceptable variants (which list the surname alone only when no other
person in the article has it, and title + surname only when the article never gives the full name), the
canonical name with its middle names or initials or a Jr./Sr./II/III left out ("Joseph R. Biden Jr." →
"Joseph Biden"), or one of these full forms (two or more words) preceded by titles ("Sen. Elizabeth Warren").
"""
import argparse
import bisect
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../../.."))
sys.path.insert(0, HERE)
from sample import load  # noqa: E402  (the PolNeAR articles)

SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
PARTICLES = {"de", "da", "di", "del", "della", "van", "von", "der", "den", "la", "le", "al", "bin", "ibn", "st"}
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "former", "sen", "senator", "rep", "representative", "gov", "governor", "mayor",
    "rev", "reverend", "father", "pope", "archbishop", "bishop", "judge", "justice", "chief", "secretary",
    "gen", "general", "col", "colonel", "capt", "captain", "speaker", "house", "leader", "minister",
    "prime", "chairman", "chairwoman", "comedian", "activist", "the",
}


def norm(s):
    """Lower case, curly apostrophes straight, periods and commas out, a possessive and a leading "the" off."""
    s = (s or "").replace("\u2019", "'").replace("\u2018", "'").lower()
    s = re.sub(r"[.,]", " ", s)
    s = re.sub(r"'s\b", "", s)
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def full_forms(canonical):
    """The canonical name and its forms without middle names/initials or a generational suffix."""
    words = norm(canonical).split()
    forms = {" ".join(words)}
    core = [w for w in words if w not in SUFFIXES] or words
    forms.add(" ".join(core))
    if len(core) >= 3:
        # Surname: from the first particle after the given name, else the last word.
        i = next((k for k in range(1, len(core) - 1) if core[k] in PARTICLES), len(core) - 1)
        forms.add(" ".join([core[0]] + core[i:]))
    return forms


def accepted(gold):
    """All normalised strings that count as the right name for this gold quotation."""
    forms = full_forms(gold["name"]) | {norm(v) for v in gold["variants"]}
    return forms


def is_right(name, gold):
    if gold.get("name") is None or not name:
        return False
    n = norm(name)
    forms = accepted(gold)
    if n in forms:
        return True
    # Titles before a full form (two or more words): "Sen. Elizabeth Warren", "President Barack Obama".
    words = n.split()
    while words and words[0] in TITLES:
        words = words[1:]
        rest = " ".join(words)
        if len(words) >= 2 and rest in forms:
            return True
    return False


def spans_match(gq, pq):
    """Greedy one-to-one matching by overlap (Jaccard over code points), best first."""
    pairs = []
    for i, g in enumerate(gq):
        for j, p in enumerate(pq):
            lo, hi = max(g["start"], p["start"]), min(g["end"], p["end"])
            if hi <= lo:
                continue
            inter = hi - lo
            union = max(g["end"], p["end"]) - min(g["start"], p["start"])
            pairs.append((inter / union, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g, used_p, out = set(), set(), {}
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out[i] = j
    return out


def predict(binary, docs):
    """Runs `BIN quotes --jsonl` over the gold articles; returns {doc_id: [quotes]}."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for d in docs.values():
            f.write(json.dumps({"doc_id": d["doc_id"], "text": d["text"]}, ensure_ascii=False) + "\n")
        path = f.name
    try:
        with open(path, encoding="utf-8") as inp:
            out = subprocess.run([binary, "quotes", "--jsonl"], stdin=inp, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    return parse_pred(out.splitlines())


def predict_documents(binary, docs):
    """The reader's view: `BIN process --stdout` on one .txt file per article (the embedded default
    configuration), `quotes[].speaker.name` of the result documents; quoted terms left out as in the batch form."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for d in docs.values():
            path = os.path.join(tmp, d["doc_id"] + ".txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(d["text"])
            paths.append(path)
        p = subprocess.run([binary, "process", "--stdout"] + paths, capture_output=True, text=True, cwd=tmp)
        if p.returncode != 0:
            raise SystemExit(f"{binary} process --stdout failed: {p.stderr[-500:]}")
    pred = {}
    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        o = json.loads(line)
        doc_id = os.path.basename(o["source"]["name"])[:-4]
        back = offsets_back(docs[doc_id]["text"], o.get("text") or "")
        pred[doc_id] = [{"start": back(q["start"]), "end": back(q["end"]), "speaker": (q.get("speaker") or {}).get("text"),
                         "name": (q.get("speaker") or {}).get("name")}
                        # Marked quotations only, as the batch form gives by default: the gold (PolNeAR) has no
                        # reported speech without marks, which the result documents carry as kind "indirect".
                        for q in (o.get("quotes") or []) if q.get("kind") not in ("term", "indirect")]
    return pred


def offsets_back(original, document):
    """Maps offsets in the result document's text back to the article's: the daemon composes text to NFC
    (docs/FORMAT.md, source.normalizations), which can shorten an article with combining marks."""
    if original == document:
        return lambda j: j
    if unicodedata.normalize("NFC", original) != document:
        raise SystemExit("a result document's text differs from its article beyond NFC: offsets would not match")
    forward = [len(unicodedata.normalize("NFC", original[:i])) for i in range(len(original) + 1)]
    return lambda j: bisect.bisect_left(forward, j)


def parse_pred(lines):
    pred = {}
    for line in lines:
        if line.strip():
            o = json.loads(line)
            pred[o["doc_id"]] = o.get("quotes") or []
    return pred


def score(gold_rows, articles, pred):
    by_doc = defaultdict(list)
    for r in gold_rows:
        by_doc[r["doc_id"]].append(r)
    groups = {"all": lambda r: True, "dev": lambda r: r["split"] == "dev", "train": lambda r: r["split"] == "train"}
    c = {g: defaultdict(int) for g in groups}
    shown = defaultdict(set)          # (doc, speaker key) -> distinct names shown
    shown_right = defaultdict(set)    # (doc, speaker key) -> distinct right names shown
    shown_split = {}                  # (doc, speaker key) -> split
    names_for = defaultdict(set)      # (doc, normalised name) -> gold speaker keys it was shown for
    errors = []
    unmatched_named = 0
    for doc_id, rows in by_doc.items():
        rows.sort(key=lambda r: r["q"])
        pq = pred.get(doc_id, [])
        match = spans_match(rows, pq)
        for j, p in enumerate(pq):
            if j not in match.values() and p.get("name"):
                unmatched_named += 1
        for i, r in enumerate(rows):
            p = pq[match[i]] if i in match else None
            name = p.get("name") if p else None
            right = is_right(name, r)
            for g, f in groups.items():
                if not f(r):
                    continue
                k = c[g]
                k["gold"] += 1
                k["matched"] += p is not None
                if name:
                    k["shown"] += 1
                    k["shown_right"] += right
                if r["name"] is not None:
                    k["gold_named"] += 1
                    k["found"] += right
                    if p is None:
                        k["missed"] += 1
                    else:
                        k["named_matched"] += 1
                        k["unresolved"] += not name
                        k["wrong"] += bool(name) and not right
                else:
                    k["gold_null"] += 1
                    k["null_given_name"] += bool(name)
            if name and r["speaker_key"]:
                shown[(doc_id, r["speaker_key"])].add(norm(name))
                if right:
                    shown_right[(doc_id, r["speaker_key"])].add(norm(name))
                shown_split[(doc_id, r["speaker_key"])] = r["split"]
                names_for[(doc_id, norm(name))].add(r["speaker_key"])
            if (r["name"] is not None and not right) or (r["name"] is None and name):
                errors.append({"doc_id": doc_id, "q": r["q"], "split": r["split"], "gold": r["name"],
                               "shown": name, "mention": p.get("speaker") if p else None,
                               "matched": p is not None, "quote": r["quote"][:40]})
    out = {}
    for g in groups:
        k = c[g]
        keys = [key for key in shown if g == "all" or shown_split[key] == g]
        counts = [len(shown[key]) for key in keys]
        merged = sum(1 for (d, n), ks in names_for.items() if len(ks) > 1 and any(
            shown_split.get((d, s)) == g or g == "all" for s in ks))
        out[g] = {
            "quotations": k["gold"], "with_name": k["gold_named"], "null_name": k["gold_null"],
            "matched": k["matched"],
            "names_shown": k["shown"], "names_right": k["shown_right"],
            "name_precision": pct(k["shown_right"], k["shown"]),
            "name_recall": pct(k["found"], k["gold_named"]),
            "unresolved": pct(k["unresolved"], k["named_matched"]),
            "unresolved_count": k["unresolved"], "wrong_name_count": k["wrong"],
            "missed": k["missed"], "null_speaker_given_a_name": k["null_given_name"],
            "speakers_shown": len(counts),
            "names_per_speaker": round(sum(counts) / len(counts), 3) if counts else None,
            "speakers_with_2plus_names": sum(1 for n in counts if n >= 2),
            "speakers_with_2plus_right_names": sum(1 for key in keys if len(shown_right[key]) >= 2),
            "names_for_2plus_speakers": merged,
        }
    out["all"]["names_on_quotations_not_in_gold"] = unmatched_named
    return out, errors


def pct(a, b):
    return round(100 * a / b, 1) if b else None


def table(res):
    rows = [
        ("quotations (with a name / null)", lambda r: f"{r['quotations']} ({r['with_name']} / {r['null_name']})"),
        ("matched by span", lambda r: r["matched"]),
        ("name precision", lambda r: f"{r['name_precision']}% ({r['names_right']}/{r['names_shown']})"),
        ("name recall", lambda r: f"{r['name_recall']}%"),
        ("unresolved (matched, no name)", lambda r: f"{r['unresolved']}% ({r['unresolved_count']})"),
        ("wrong name (matched)", lambda r: r["wrong_name_count"]),
        ("missed quotations (named)", lambda r: r["missed"]),
        ("unnamed speaker given a name", lambda r: r["null_speaker_given_a_name"]),
        ("names per real speaker", lambda r: r["names_per_speaker"]),
        ("speakers shown under 2+ names", lambda r: f"{r['speakers_with_2plus_names']} of {r['speakers_shown']}"),
        ("  of which under 2+ right forms", lambda r: r["speakers_with_2plus_right_names"]),
        ("one name for 2+ speakers", lambda r: r["names_for_2plus_speakers"]),
    ]
    cols = ["all", "dev", "train"]
    lines = ["| figure | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for label, f in rows:
        lines.append(f"| {label} | " + " | ".join(str(f(res[c])) for c in cols) + " |")
    return "\n".join(lines)


def self_test(gold_rows):
    """Checks the scorer on values: the gold as a prediction scores 100%; the name rules on written cases."""
    perfect = defaultdict(list)
    for r in gold_rows:
        perfect[r["doc_id"]].append({"start": r["start"], "end": r["end"], "name": r["name"]})
    res, errors = score(gold_rows, {}, perfect)
    assert res["all"]["name_precision"] == 100.0 and res["all"]["name_recall"] == 100.0 and not errors, res["all"]
    assert res["all"]["speakers_with_2plus_names"] == 0
    g = {"name": "Joseph R. Biden Jr.", "variants": ["Biden"]}
    for name, ok in [("Joseph R. Biden Jr.", True), ("Joseph Biden", True), ("Vice President Joseph R. Biden Jr.", True),
                     ("Biden's", True), ("Mr. Biden", False), ("Joseph", False), ("Beau Biden", False), (None, False)]:
        assert is_right(name, g) is ok, name
    assert is_right("Bill de Blasio", {"name": "Bill de Blasio", "variants": []})
    assert is_right("The White House", {"name": "White House", "variants": []})
    assert is_right("O\u2019Neill", {"name": "James O'Neill", "variants": ["O'Neill"]})
    assert not is_right("Hillary Clinton", {"name": None, "variants": []})
    # Shifted spans still match by overlap; a wrong name on a null speaker counts against precision.
    rows = [{"doc_id": "d", "q": 1, "split": "dev", "start": 10, "end": 20, "name": "Ann Lee", "variants": ["Lee"],
             "speaker_key": "A", "quote": "x"},
            {"doc_id": "d", "q": 2, "split": "dev", "start": 30, "end": 40, "name": None, "variants": [],
             "speaker_key": None, "quote": "y"},
            {"doc_id": "d", "q": 3, "split": "dev", "start": 50, "end": 60, "name": "Ann Lee", "variants": ["Lee"],
             "speaker_key": "A", "quote": "z"}]
    pred = {"d": [{"start": 9, "end": 21, "name": "Ann Lee"}, {"start": 30, "end": 40, "name": "Bo Park"},
                  {"start": 50, "end": 60, "name": "Lee"}]}
    res, _ = score(rows, {}, pred)
    r = res["all"]
    assert (r["names_shown"], r["names_right"], r["name_recall"], r["speakers_with_2plus_names"]) == (3, 2, 100.0, 1), r
    print("score_names self-test: ok")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/gleaner"))
    ap.add_argument("--pred", help="score this `gleaner quotes --jsonl` output instead of running the binary")
    ap.add_argument("--via", choices=("quotes", "process"), default="quotes",
                    help="quotes: `gleaner quotes --jsonl` (default); process: the result documents of "
                         "`gleaner process --stdout` (speaker.name, what the reader sees)")
    ap.add_argument("--gold", default=os.path.join(HERE, "gold.jsonl"))
    ap.add_argument("--json", help="also write the figures as JSON to this file ('-' for stdout)")
    ap.add_argument("--errors", action="store_true", help="list every wrong or missing name")
    ap.add_argument("--self-test", action="store_true", help="check the scorer itself and stop")
    a = ap.parse_args()
    gold_rows = [json.loads(l) for l in open(a.gold, encoding="utf-8") if l.strip()]
    if a.self_test:
        self_test(gold_rows)
        return
    want = {r["doc_id"] for r in gold_rows}
    articles = {}
    for split in ("dev", "train"):
        for doc_id, d in load(split).items():
            if doc_id in want:
                articles[doc_id] = d
    if a.pred:
        with open(a.pred, encoding="utf-8") as f:
            pred = parse_pred(f)
    elif a.via == "process":
        pred = predict_documents(a.bin, articles)
    else:
        pred = predict(a.bin, articles)
    res, errors = score(gold_rows, articles, pred)
    print(f"speaker names on the {len(want)} PolNeAR articles with quotations of the name gold (Training/quotes/names/gold.jsonl; development set)")
    print(table(res))
    print(f"names shown on predicted quotations that are not gold quotations (not judged): {res['all']['names_on_quotations_not_in_gold']}")
    if a.errors:
        for e in errors:
            print(json.dumps(e, ensure_ascii=False))
    if a.json:
        text = json.dumps(res, indent=2, ensure_ascii=False) + "\n"
        if a.json == "-":
            sys.stdout.write(text)
        else:
            with open(a.json, "w", encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    main()
