#!/usr/bin/env python3
"""Runs shared/eval/langid_score.py on the three dev sets and prints a Markdown
per-language table (used for docs/models/language.md and docs/quality/language.md).

  python3 Training/language/report.py /tmp/gleaner-lang/dev -- .build/release/gleaner language --lines
"""
import json, os, subprocess, sys, tempfile

SCORE = os.path.join(os.path.dirname(__file__), "../../../shared/eval/langid_score.py")


def main():
    cut = sys.argv.index("--")
    dev, command = sys.argv[1], sys.argv[cut + 1:]
    score = os.environ.get("LANGID_SCORE", "/work/shared/eval/langid_score.py")
    results = {}
    for s in ("sentences", "pairs", "words"):
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            subprocess.run([sys.executable, score, os.path.join(dev, s), "--json", f.name, "--"] + command,
                           check=True, stdout=subprocess.DEVNULL)
            results[s] = json.load(open(f.name))
    print("| set | mean accuracy | texts/s (incl. process start per language) |\n|---|---|---|")
    for s, r in results.items():
        print(f"| {s} | {r['mean']:.2f}% | {r['texts_per_second']:.0f} |")
    print("\n| lang | sentences | word pairs | single words |\n|---|---|---|---|")
    for lang in sorted(results["sentences"]["per_language"]):
        print(f"| {lang} | " + " | ".join(f"{results[s]['per_language'][lang]:.1f}" for s in results) + " |")


if __name__ == "__main__":
    main()
