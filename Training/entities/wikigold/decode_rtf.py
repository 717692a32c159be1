#!/usr/bin/env python3
"""Rebuilds wikigold.conll from the RTF-escaped copy of wikigold.conll.txt.

The only copy of WikiGold reachable from this workplace is an RTF-saved file
(`Token TAG\\` lines, UTF-8 bytes as `\\'c3\\'a9`, a few `\\uN` escapes). This
turns it back into plain CoNLL: `TOKEN TAG` per line, blank line between
sentences, `-DOCSTART- O` lines kept. Tags stay as published (IOB1, types
PER/ORG/LOC/MISC), which conll_eval.py reads directly.

  python3 decode_rtf.py chunk-*.txt > wikigold.conll
"""
import re
import sys


def decode(rtf: str) -> str:
    out = bytearray()
    i = 0
    n = len(rtf)
    while i < n:
        c = rtf[i]
        if c == "\\" and i + 1 < n:
            d = rtf[i + 1]
            if d == "'" and i + 3 < n:
                out += bytes([int(rtf[i + 2:i + 4], 16)])
                i += 4
                continue
            if d == "\n":  # RTF line break: end of a CoNLL line
                out += b"\n"
                i += 2
                continue
            m = re.match(r"\\u(-?\d+) ?", rtf[i:])
            if m:
                # The RTF writer saved UTF-8 bytes it could not map to cp1252 (0x81, 0x8D, …) as \uN.
                v = int(m.group(1)) % 65536
                out += bytes([v]) if v < 256 else chr(v).encode("utf-8")
                i += m.end()
                continue
            m = re.match(r"\\[a-z]+-?\d* ?", rtf[i:])
            if m:  # a control word such as \uc0: no text
                i += m.end()
                continue
            out += d.encode("utf-8")  # \\, \{, \}
            i += 2
            continue
        out += c.encode("utf-8")
        i += 1
    return out.decode("utf-8", errors="replace")


def main() -> None:
    rtf = "".join(open(p, encoding="utf-8").read() for p in sys.argv[1:])
    text = decode(rtf)
    lines = ["-DOCSTART- O", ""]  # the stored copy starts after the first header line
    for line in text.split("\n"):
        line = line.rstrip()
        if not line:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        parts = line.rsplit(" ", 1)
        if len(parts) != 2 or not re.fullmatch(r"O|I-(PER|ORG|LOC|MISC)|B-(PER|ORG|LOC|MISC)", parts[1]):
            sys.exit(f"unexpected line: {line!r}")
        token = parts[0].replace(" ", "")
        if token == "-DOCSTART-" and lines and lines[-1] != "":
            lines.append("")
        lines.append(f"{token} {parts[1]}")
        if token == "-DOCSTART-":
            lines.append("")
    sys.stdout.write("\n".join(lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
