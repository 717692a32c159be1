#!/usr/bin/env python3
"""Gleaner external plugin (gleaner.plugin/1): reading time and readability.

Adds the layer `readability`: counts of sentences, words and syllables,
reading time, Flesch reading ease and Flesch-Kincaid grade, and the longest
sentence with its offsets. It uses Gleaner's own `sentences` and `tokens`
layers, so its counts agree with the other processors. Standard library only.

Options (from the configuration's `options = { ... }`):
  words_per_minute   reading speed for the reading time (default 238)
"""
import json
import re
import sys

NAME = "readability"
VERSION = "1.0.0"

VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word):
    """English syllables by vowel groups: a heuristic, good enough for Flesch."""
    w = word.lower()
    if len(w) <= 3:
        return 1
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        w = w[:-1]
    if w.endswith(("es", "ed")) and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges")):
        w = w[:-2]
    return max(1, len(VOWEL_GROUPS.findall(w)))


def analyse(text, sentences, tokens, words_per_minute):
    words = [(s, e) for s, e in tokens if any(c.isalnum() for c in text[s:e])]
    n_words = len(words)
    n_sentences = max(1, len(sentences)) if n_words else 0
    n_syllables = sum(syllables(text[s:e]) for s, e in words)
    letters = sum(sum(1 for c in text[s:e] if c.isalpha()) for s, e in words)

    layer = {
        "sentences": len(sentences),
        "words": n_words,
        "syllables": n_syllables,
        "letters": letters,
        "reading_time_seconds": round(n_words / words_per_minute * 60, 1),
        "flesch_reading_ease": None,
        "flesch_kincaid_grade": None,
        "longest_sentence": None,
    }
    if n_words and n_sentences:
        wps = n_words / n_sentences
        spw = n_syllables / n_words
        layer["flesch_reading_ease"] = round(206.835 - 1.015 * wps - 84.6 * spw, 1)
        layer["flesch_kincaid_grade"] = round(0.39 * wps + 11.8 * spw - 15.59, 1)

    # Words per sentence: tokens are sorted, so one pass assigns them.
    longest, longest_words, i = None, 0, 0
    for s, e in sentences:
        while i < len(words) and words[i][0] < s:
            i += 1
        j = i
        while j < len(words) and words[j][1] <= e:
            j += 1
        if j - i > longest_words:
            longest, longest_words = (s, e), j - i
        i = j
    if longest:
        s, e = longest
        layer["longest_sentence"] = {"start": s, "end": e, "text": text[s:e], "words": longest_words}
    return layer


def send(obj):
    sys.stdout.buffer.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


def main():
    send({"protocol": "gleaner.plugin/1", "name": NAME, "version": VERSION,
          "requires": ["sentences", "tokens"], "provides": [NAME],
          "summary": "reading time, Flesch reading ease, sentence and word counts"})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            options = request.get("options") or {}
            wpm = float(options.get("words_per_minute", 238))
            layers = request["layers"]
            layer = analyse(request["text"], layers["sentences"] or [], layers["tokens"] or [], wpm)
            send({"id": request["id"], "layer": layer})
        except Exception as error:  # one bad document must not end the worker
            print(f"readability: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            send({"id": request["id"], "error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
