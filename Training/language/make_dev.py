#!/usr/bin/env python3
"""Split the shared langid corpus into a training part and held-out dev sets.

  python3 Training/language/make_dev.py [--corpus /work/shared/data/langid/train]
                                        [--out /tmp/gleaner-lang] [--holdout 500]

For each language the LAST --holdout lines of train/<iso>.txt are held out and
never trained on. Writes:
  OUT/train/<iso>.txt      the remaining lines (the trainer reads only these)
  OUT/dev/sentences/<iso>.txt   the held-out lines (one sentence per line)
  OUT/dev/pairs/<iso>.txt       up to 1000 distinct pairs of adjacent words from them
  OUT/dev/words/<iso>.txt       up to 1000 distinct single words (>= 3 letters) from them
Words are whitespace tokens with surrounding punctuation stripped that consist of
letters (and combining marks) only; for zh, ja and th (no spaces) a "word" is a
random run of 2-4 (th: 3-6) letters. Sampling is token-frequency weighted, seed 4.
With --headlines PATH.jsonl[,PATH2.jsonl] (PolNeAR-style JSON lines with a "text"
field, e.g. shared/data/quotes/polnear/{train,dev}.jsonl) it also writes
  OUT/dev-headlines/en.txt      the first line (the headline) of each article, one trailing
                                full stop removed, deduplicated, in file order
English news headlines (many names, few function words) for a separate development figure.
The dev sets are in the format of /work/shared/eval/langid_score.py.
"""
import argparse, json, os, random, unicodedata

NOSPACE = {"zh": (2, 4), "ja": (2, 4), "th": (3, 6)}


def is_word_char(c):
    cat = unicodedata.category(c)
    return cat.startswith("L") or cat.startswith("M")


def words_of(line, iso, rng):
    if iso in NOSPACE:
        lo, hi = NOSPACE[iso]
        runs, cur = [], []
        for c in line:
            if is_word_char(c):
                cur.append(c)
            else:
                if cur: runs.append("".join(cur))
                cur = []
        if cur: runs.append("".join(cur))
        out = []
        for r in runs:
            i = 0
            while i < len(r):
                n = rng.randint(lo, hi)
                piece = r[i:i + n]
                if len(piece) >= lo and not any(c.isascii() for c in piece): out.append(piece)
                i += n
        return out
    out = []
    for tok in line.split():
        tok = tok.strip(".,;:!?\"'()[]{}«»“”„‘’‚‹›-–—…/\\*#%&¿¡。、")
        if tok and all(is_word_char(c) for c in tok):
            out.append(tok)
    return out


def write_headlines(paths, out):
    os.makedirs(out, exist_ok=True)
    seen, heads = set(), []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                text = json.loads(line)["text"]
                head = " ".join(text.split("\n", 1)[0].split())
                if head.endswith(".") and not head.endswith(".."):
                    head = head[:-1]
                if len(head) >= 3 and head.lower() not in seen:
                    seen.add(head.lower()); heads.append(head)
    with open(os.path.join(out, "en.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(heads) + "\n")
    print("headlines", len(heads))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/work/shared/data/langid/train")
    ap.add_argument("--out", default="/tmp/gleaner-lang")
    ap.add_argument("--holdout", type=int, default=500)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--headlines", default="", help="comma-separated JSON-lines files of English articles")
    a = ap.parse_args()
    if a.headlines:
        write_headlines(a.headlines.split(","), os.path.join(a.out, "dev-headlines"))
    for d in ("train", "dev/sentences", "dev/pairs", "dev/words"):
        os.makedirs(os.path.join(a.out, d), exist_ok=True)
    langs = sorted(f[:-4] for f in os.listdir(a.corpus) if f.endswith(".txt"))
    for iso in langs:
        rng = random.Random(4)
        with open(os.path.join(a.corpus, iso + ".txt"), encoding="utf-8") as f:
            lines = [l.strip() for l in f if l.strip()]
        train, held = lines[:-a.holdout], lines[-a.holdout:]
        with open(os.path.join(a.out, "train", iso + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(train) + "\n")
        with open(os.path.join(a.out, "dev/sentences", iso + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(held) + "\n")
        singles, pairs = [], []
        for line in held:
            ws = words_of(line, iso, rng)
            singles += [w for w in ws if len(w) >= 3 or iso in NOSPACE]
            pairs += [ws[i] + " " + ws[i + 1] for i in range(len(ws) - 1)]
        for name, items in (("words", singles), ("pairs", pairs)):
            rng.shuffle(items)
            seen, picked = set(), []
            for w in items:
                if w.lower() not in seen:
                    seen.add(w.lower()); picked.append(w)
                if len(picked) >= a.n: break
            with open(os.path.join(a.out, "dev", name, iso + ".txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(picked) + "\n")
        print(iso, len(train), len(held), len(singles), len(pairs))


if __name__ == "__main__":
    main()
