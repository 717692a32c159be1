#!/usr/bin/env python3
"""Annotation aid: prints a sampled article with its PolNeAR quotations and speaker mentions marked inline.

  python3 Training/quotes/names/show.py N [N2 ...]     (N: position in sample.py's list, from 1)
  python3 Training/quotes/names/show.py DOC_ID

In the text, ⟦Qk …⟧ encloses quotation k and ⟨Sk:mention⟩ marks the speaker mention PolNeAR gives at the cue.
After the text, one line per quotation: k, the mention, the cue, the first words. The annotator reads the
whole article and writes the speaker's canonical name in annotations.txt (see README.md).
"""
import sys

from sample import load, sample


def render(split, doc):
    text, qs = doc["text"], doc["quotes"]
    marks = []  # (position, order, string)
    for k, q in enumerate(qs, 1):
        marks.append((q["start"], 1, f"⟦Q{k} "))
        marks.append((q["end"], 0, f"⟧"))
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            marks.append((q["speaker_start"], 2, f"⟨S{k}:"))
            marks.append((q["speaker_end"], -1, "⟩"))
    out, last = [], 0
    for pos, _, s in sorted(marks):
        out.append(text[last:pos])
        out.append(s)
        last = pos
    out.append(text[last:])
    print(f"==== {split} {doc['doc_id']} ({len(qs)} quotations)")
    print("".join(out))
    print("----")
    for k, q in enumerate(qs, 1):
        print(f"Q{k}\t{q.get('speaker')!r}\tcue={q.get('cue')!r}\t{text[q['start']:q['end']][:60]!r}")


if __name__ == "__main__":
    chosen = sample()
    for arg in sys.argv[1:]:
        if arg.isdigit():
            render(*chosen[int(arg) - 1])
        else:
            for s in ("dev", "train"):
                d = load(s)
                if arg in d:
                    render(s, d[arg])
