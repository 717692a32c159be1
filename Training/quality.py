#!/usr/bin/env python3
"""Reproduces every figure of docs/QUALITY.md with the repository's scoring scripts, writes them to a
machine-readable file and compares them with the checked-in baseline (docs/quality-baseline.json).

  python3 Training/quality.py [--bin .build/release/gleaner] [--steps language,entities,quotes,names]
                              [--out .build/quality/results.json] [--strict] [--update]

`make quality` runs this after the release build. Steps (each calls the script docs/QUALITY.md names):
  language  Training/language/make_dev.py (once, into .build/quality/lang), then Training/language/report.py
            (shared/eval/langid_score.py on the three dev sets), Training/language/calibration.py and
            langid_score.py on the English headlines dev set (PolNeAR titles, make_dev.py --headlines)
  entities  Training/score_entities.sh on CoNLL-2003 eng.testa and on WikiGold; Training/entities/multilingual/score.sh
            (the other languages' models on their development sets)
  quotes    Training/quotes/score.sh dev and train (shared/eval/quotes_score.py, then Training/quotes/names.py)
  names     Training/quotes/names/score.sh (the name-level gold), through `gleaner quotes --jsonl` and, as a
            check that the reader sees the same, through the result documents (--via process)
  quotes_lang  Training/quotes/lang_score.py fr and es (hand-made development gold), Training/quotes/de/score.py
            (German dev split): quotations with the right speaker and indirect speech, per language
Every figure that went down against the baseline is printed (a figure where lower is better, such as an
error rate or the number of split identities, counts as down when it rose). The exit status is non-zero only
with --strict and a figure down, or when a step fails. --update writes the fresh figures as the new baseline.
Speeds (texts/s) are not compared: they depend on the machine; `make bench` measures speed.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SHARED = os.environ.get("GLEANER_SHARED", os.path.normpath(os.path.join(ROOT, "../shared")))
BASELINE = os.path.join(ROOT, "docs/quality-baseline.json")

# Figures where lower is better; every other numeric figure is higher-is-better unless informational.
LOWER = re.compile(r"(error_rate|unresolved|wrong_name|missed|null_speaker_given_a_name|names_per_speaker|"
                   r"speakers_with_2plus_names|speakers_with_2plus_right_names|names_for_2plus_speakers|nonspeech_hit|no_name|wrong_name_count|unresolved_count)$")
INFO = re.compile(r"(\.gold|\.pred|\.tp|\.n|texts_per_s|quotations|with_name|null_name|speakers_shown|"
                  r"names_shown|names_right|person_like|proper_name_matched|_count_total|answers_ge_0\.9+|"
                  r"mean_confidence|names_on_quotations_not_in_gold)$")


def run(cmd, **kw):
    t = time.time()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"quality: {' '.join(cmd)} failed ({p.returncode})")
    print(f"  {' '.join(cmd)}  ({time.time() - t:.0f} s)", flush=True)
    return p.stdout


def num(s):
    return float(s.rstrip("%"))


def language(binary, fig):
    lang = os.path.join(ROOT, ".build/quality/lang")
    dev = os.path.join(lang, "dev")
    polnear = [os.path.join(SHARED, "data/quotes/polnear", f + ".jsonl") for f in ("train", "dev")]
    if not all(os.path.isdir(os.path.join(dev, s)) and len(os.listdir(os.path.join(dev, s))) >= 75
               for s in ("sentences", "pairs", "words")) or not os.path.exists(os.path.join(lang, "dev-headlines/en.txt")):
        run([sys.executable, "Training/language/make_dev.py", "--corpus", os.path.join(SHARED, "data/langid/train"),
             "--out", lang, "--headlines", ",".join(polnear)])
    env = dict(os.environ, LANGID_SCORE=os.path.join(SHARED, "eval/langid_score.py"))
    out = run([sys.executable, "Training/language/report.py", dev, "--", binary, "language", "--lines"], env=env)
    sets = ("sentences", "pairs", "words")
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in sets:
            fig[f"language.{cells[0]}.mean_accuracy"] = num(cells[1])
            fig[f"language.{cells[0]}.texts_per_s"] = num(cells[2])
        elif len(cells) == 4 and re.fullmatch(r"[a-z]{2,3}", cells[0]):
            for s, v in zip(sets, cells[1:]):
                fig[f"language.{s}.{cells[0]}"] = num(v)
    out = run([sys.executable, "Training/language/calibration.py", dev, "--", binary, "language", "--lines"])
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in sets:
            s = cells[0]
            fig[f"language.calibration.{s}.answers_ge_0.9"] = num(cells[1])
            fig[f"language.calibration.{s}.ge_0.9_error_rate"] = num(cells[2])
            fig[f"language.calibration.{s}.answers_ge_0.99"] = num(cells[3])
            fig[f"language.calibration.{s}.ge_0.99_error_rate"] = num(cells[4])
            fig[f"language.calibration.{s}.mean_confidence"] = num(cells[5])
            fig[f"language.calibration.{s}.pooled_accuracy"] = num(cells[6])
    out = run([sys.executable, os.path.join(SHARED, "eval/langid_score.py"), os.path.join(lang, "dev-headlines"), "--",
               binary, "language", "--lines"])
    m = re.search(r"^en\t([0-9.]+)\t", out, re.M)
    if m:
        fig["language.headlines.en"] = num(m.group(1))


def entities(binary, fig):
    for name, path in (("eng_testa", os.path.join(SHARED, "data/ner/conll2003/eng.testa")),
                       ("wikigold", "Training/entities/wikigold/wikigold.conll")):
        out = run(["sh", "Training/score_entities.sh", binary, path])
        for line in out.splitlines():
            m = re.fullmatch(r"(\S+)\s+([\d.]+)%\s+([\d.]+)%\s+([\d.]+)\s+(\d+)\s+(\d+)", line.strip())
            if m:
                ty = m.group(1)
                fig[f"entities.{name}.{ty}.precision"] = num(m.group(2))
                fig[f"entities.{name}.{ty}.recall"] = num(m.group(3))
                fig[f"entities.{name}.{ty}.f1"] = num(m.group(4))
                fig[f"entities.{name}.{ty}.gold"] = int(m.group(5))
                fig[f"entities.{name}.{ty}.pred"] = int(m.group(6))
    # Other languages' models on their development sets (docs/QUALITY.md, "Entities in other languages").
    out = run(["sh", "Training/entities/multilingual/score.sh", binary])
    name = None
    for line in out.splitlines():
        h = re.fullmatch(r"== (\w+) dev-(\w+)", line.strip())
        if h:
            name = f"{h.group(1)}_{h.group(2)}_dev"
            continue
        m = re.fullmatch(r"(\S+)\s+([\d.]+)%\s+([\d.]+)%\s+([\d.]+)\s+(\d+)\s+(\d+)", line.strip())
        if m and name:
            ty = m.group(1)
            fig[f"entities.{name}.{ty}.precision"] = num(m.group(2))
            fig[f"entities.{name}.{ty}.recall"] = num(m.group(3))
            fig[f"entities.{name}.{ty}.f1"] = num(m.group(4))
            fig[f"entities.{name}.{ty}.gold"] = int(m.group(5))
            fig[f"entities.{name}.{ty}.pred"] = int(m.group(6))


def quotes(binary, fig):
    for split in ("dev", "train"):
        # Its own prediction file: the default /tmp path is shared with anyone else scoring on this machine.
        pred = os.path.join(ROOT, f".build/quality/quotes-{split}.pred.jsonl")
        out = run(["sh", "Training/quotes/score.sh", split, binary], env=dict(os.environ, QUOTES_PRED=pred))
        p = f"quotes.polnear_{split}"
        for line in out.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 7 and cells[0] in ("quote_exact", "quote_iou50", "quote_overlap", "attributed_quote_overlap_head"):
                k = {"attributed_quote_overlap_head": "attributed"}.get(cells[0], cells[0])
                fig[f"{p}.{k}.P"], fig[f"{p}.{k}.R"], fig[f"{p}.{k}.F1"] = map(num, cells[1:4])
            m = re.match(r"speaker accuracy on (\d+) matched quotes: exact ([\d.]+)%, head ([\d.]+)%, token-overlap ([\d.]+)%", line)
            if m:
                fig[f"{p}.speaker_matched.n"] = int(m.group(1))
                fig[f"{p}.speaker_head_accuracy"] = num(m.group(3))
                fig[f"{p}.speaker_exact_accuracy"] = num(m.group(2))
            m = re.match(r"non-speech quote-marked spans predicted as quotes: (\d+) of (\d+)", line)
            if m:
                fig[f"{p}.nonspeech_hit"] = int(m.group(1))
            m = re.match(r"person-like speakers: (\d+); with a resolved name: (\d+) \(([\d.]+)%\)", line)
            if m:
                fig[f"{p}.person_like"] = int(m.group(1))
                fig[f"{p}.person_like_with_name_pct"] = num(m.group(3))
            m = re.match(r"gold proper-name speakers \(matched\): (\d+); resolved name right: (\d+) \(([\d.]+)%\); no name: (\d+)", line)
            if m:
                fig[f"{p}.proper_name_matched"] = int(m.group(1))
                fig[f"{p}.proper_name_head_right_pct"] = num(m.group(3))
                fig[f"{p}.proper_name_no_name"] = int(m.group(4))


def names(binary, fig):
    run([sys.executable, "Training/quotes/names/score_names.py", "--self-test"])
    out_json = os.path.join(ROOT, ".build/quality/names.json")
    print(run(["sh", "Training/quotes/names/score.sh", binary, "--json", out_json]), end="")
    res = json.load(open(out_json, encoding="utf-8"))
    for group, r in res.items():
        for k, v in r.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                fig[f"names.{group}.{k}"] = v
    # The same through the result documents (`gleaner process --stdout`, speaker.name: what a reader sees).
    doc_json = os.path.join(ROOT, ".build/quality/names-documents.json")
    run(["sh", "Training/quotes/names/score.sh", binary, "--via", "process", "--json", doc_json])
    res = json.load(open(doc_json, encoding="utf-8"))["all"]
    for k in ("name_precision", "name_recall", "unresolved", "speakers_with_2plus_names"):
        fig[f"names.documents.{k}"] = res[k]


def quotes_lang(binary, fig):
    """French, Spanish and German quotations: development sets (Training/quotes/README-lang.md)."""
    for lang in ("fr", "es"):
        out = run([sys.executable, "Training/quotes/lang_score.py", lang, binary])
        p = f"quotes_lang.{lang}"
        for line in out.splitlines():
            m = re.search(r"with the right speaker: precision ([\d.]+)  recall ([\d.]+)  F1 ([\d.]+)", line)
            if m:
                fig[f"{p}.quotes.precision"], fig[f"{p}.quotes.recall"], fig[f"{p}.quotes.F1"] = map(num, m.groups())
            m = re.search(r"with the right speaker: recall ([\d.]+)  precision ([\d.]+)", line)
            if m:
                fig[f"{p}.indirect.recall"], fig[f"{p}.indirect.precision"] = map(num, m.groups())
    out = run([sys.executable, "Training/quotes/de/score.py", binary])
    kind = None
    for line in out.splitlines():
        if "direct quotations" in line:
            kind = "direct"
        elif "indirect speech" in line:
            kind = "indirect"
        m = re.search(r"with the right speaker: precision ([\d.]+)  recall ([\d.]+)  F1 ([\d.]+)", line)
        if m and kind == "direct":
            fig["quotes_lang.de.direct.precision"], fig["quotes_lang.de.direct.recall"], fig["quotes_lang.de.direct.F1"] = map(num, m.groups())
        m = re.search(r"with the right speaker: recall ([\d.]+)  precision ([\d.]+)", line)
        if m and kind == "indirect":
            fig["quotes_lang.de.indirect.recall"], fig["quotes_lang.de.indirect.precision"] = map(num, m.groups())


STEPS = {"language": language, "entities": entities, "quotes": quotes, "names": names, "quotes_lang": quotes_lang}


def direction(key):
    if INFO.search(key):
        return None
    return "lower" if LOWER.search(key) else "higher"


def compare(base, fresh):
    down, up, missing = [], [], []
    for k, b in base.items():
        if k not in fresh:
            missing.append(k)
            continue
        f, d = fresh[k], direction(k)
        if d is None or f == b:
            continue
        worse = f < b if d == "higher" else f > b
        (down if worse else up).append((k, b, f))
    return down, up, missing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/gleaner"))
    ap.add_argument("--steps", default=",".join(STEPS))
    ap.add_argument("--out", default=os.path.join(ROOT, ".build/quality/results.json"))
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--strict", action="store_true", help="exit 1 when any figure went down")
    ap.add_argument("--update", action="store_true", help="write the fresh figures as the new baseline")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"quality: no binary at {binary}: run `make build` first")
    steps = [s for s in a.steps.split(",") if s]
    fig = {}
    for s in steps:
        if s not in STEPS:
            raise SystemExit(f"quality: unknown step {s} (known: {', '.join(STEPS)})")
        print(f"quality: {s}", flush=True)
        STEPS[s](binary, fig)
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    result = {
        "schema": "gleaner.quality/1",
        "measured": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
        "commit": git or None,
        "steps": steps,
        "figures": dict(sorted(fig.items())),
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"quality: {len(fig)} figures written to {os.path.relpath(a.out, ROOT)}")

    headline = [k for k in fig if re.search(
        r"(mean_accuracy|overall\.f1|attributed\.F1|quote_overlap\.F1|speaker_head_accuracy|"
        r"person_like_with_name_pct|proper_name_head_right_pct|all\.name_precision|all\.name_recall|"
        r"all\.unresolved|all\.speakers_with_2plus_names|quotes\.F1|direct\.F1|indirect\.recall)$", k)]
    for k in sorted(headline):
        print(f"  {k:55s} {fig[k]}")

    status = 0
    if os.path.exists(a.baseline):
        base_all = json.load(open(a.baseline, encoding="utf-8"))["figures"]
        base = {k: v for k, v in base_all.items() if k.split(".")[0] in steps}
        down, up, missing = compare(base, fig)
        print(f"quality: against {os.path.relpath(a.baseline, ROOT)}: {len(down)} figures down, {len(up)} up, "
              f"{len(base) - len(down) - len(up) - len(missing)} unchanged or informational")
        for k, b, f in down:
            print(f"  DOWN {k}: {b} -> {f}")
        for k, b, f in up:
            print(f"  up   {k}: {b} -> {f}")
        for k in missing:
            print(f"  MISSING {k} (in the baseline, not measured now)")
        if a.strict and (down or missing):
            status = 1
    else:
        print(f"quality: no baseline at {a.baseline}")
    if a.update:
        if os.path.exists(a.baseline) and set(steps) != set(STEPS):
            old = json.load(open(a.baseline, encoding="utf-8"))
            merged = {k: v for k, v in old["figures"].items() if k.split(".")[0] not in steps}
            merged.update(fig)
            result["figures"] = dict(sorted(merged.items()))
            result["steps"] = sorted(set(old.get("steps", [])) | set(steps))
        with open(a.baseline, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"quality: baseline {os.path.relpath(a.baseline, ROOT)} updated")
    sys.exit(status)


if __name__ == "__main__":
    main()
