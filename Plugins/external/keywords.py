#!/usr/bin/env python3
"""Gleaner external plugin (gleaner.plugin/1): keyword extraction.

Adds the layer `keywords`: the document's key phrases, scored RAKE-style
(phrases are runs of content words between stop words and punctuation; a
word scores its degree over its frequency, a phrase the sum of its words),
each with the offsets of its first occurrence and how often it occurs.
Needs no other layer. Standard library only; stop words for English,
French and German.

Options:
  top        how many keywords (default 10)
  max_words  longest phrase in words (default 3)
"""
import json
import re
import sys
from collections import Counter, defaultdict

NAME = "keywords"
VERSION = "1.0.0"

STOP = set("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own said same says she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves one two new like may many much
would mr mrs ms
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon ne nos
notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous est sont été
être avoir a ont cette cet plus comme aussi
der die das den dem des ein eine einer eines einem einen und oder aber nicht ist sind war waren wird werden mit
von zu zum zur im in am an auf aus bei für über unter nach vor als auch es er sie wir ihr ich du sich dass wie
""".split())

WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)


def phrases(text, max_words):
    """Candidate phrases: (start, end, [lower-case words]) between stop words and punctuation."""
    current, out, last_end = [], [], 0

    def flush():
        if current:
            out.append((current[0][0], current[-1][1], [w for _, _, w in current]))
        current.clear()

    for m in WORD.finditer(text):
        word = m.group().lower()
        gap = text[last_end:m.start()]
        if any(c in ".,;:!?()[]{}\"“”«»—–\n" for c in gap):
            flush()
        if word in STOP or word.isdigit() or len(word) < 2:
            flush()
        else:
            current.append((m.start(), m.end(), word))
            if len(current) == max_words:
                flush()
        last_end = m.end()
    flush()
    return out


def extract(text, top, max_words):
    found = phrases(text, max_words)
    frequency, degree = Counter(), defaultdict(int)
    for _, _, words in found:
        for w in words:
            frequency[w] += 1
            degree[w] += len(words)
    first, count = {}, Counter()
    for start, end, words in found:
        key = " ".join(words)
        count[key] += 1
        first.setdefault(key, (start, end))
    scored = []
    for key, (start, end) in first.items():
        words = key.split(" ")
        score = sum(degree[w] / frequency[w] for w in words) * (1 + 0.5 * (count[key] - 1))
        scored.append((score, start, key, end))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [{"start": s, "end": e, "text": text[s:e], "keyword": k, "score": round(score, 3), "count": count[k]}
            for score, s, k, e in scored[:top]]


def send(obj):
    sys.stdout.buffer.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


def main():
    send({"protocol": "gleaner.plugin/1", "name": NAME, "version": VERSION,
          "requires": [], "provides": [NAME], "summary": "key phrases with the offsets of their first occurrence"})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            options = request.get("options") or {}
            layer = extract(request["text"], int(options.get("top", 10)), int(options.get("max_words", 3)))
            send({"id": request["id"], "layer": layer})
        except Exception as error:
            print(f"keywords: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            send({"id": request["id"], "error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
