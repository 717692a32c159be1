#!/usr/bin/env python3
"""Calibration on the dev sets: how often an answer given with confidence >= t is wrong.

  python3 Training/language/calibration.py /tmp/gleaner-lang/dev -- .build/release/gleaner language --lines
"""
import os, subprocess, sys

cut = sys.argv.index("--")
dev, command = sys.argv[1], sys.argv[cut + 1:]
print("| set | answers with conf >= 0.9 | their error rate | answers with conf >= 0.99 | their error rate | mean confidence | accuracy |")
print("|---|---|---|---|---|---|---|")
for s in ("sentences", "pairs", "words"):
    rows = []
    d = os.path.join(dev, s)
    for f in sorted(os.listdir(d)):
        lang = f[:-4]
        lines = [l.rstrip("\n") for l in open(os.path.join(d, f), encoding="utf-8") if l.strip()]
        out = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True, text=True).stdout.splitlines()
        for a in out:
            code, conf = a.split("\t")[:2]
            rows.append((code == lang, float(conf)))
    def band(t):
        sel = [r for r in rows if r[1] >= t]
        return f"{100*len(sel)/len(rows):.1f}%", f"{100*sum(1 for r in sel if not r[0])/max(1,len(sel)):.2f}%"
    a9, e9 = band(0.9); a99, e99 = band(0.99)
    mc = sum(r[1] for r in rows) / len(rows); acc = sum(r[0] for r in rows) / len(rows)
    print(f"| {s} | {a9} | {e9} | {a99} | {e99} | {mc:.3f} | {acc:.3f} |")
