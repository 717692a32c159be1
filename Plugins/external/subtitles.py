#!/usr/bin/env python3
"""Gleaner external *extractor* (kind = "extractor"): subtitle files (.srt, .vtt) as text.

Interviews and speeches often arrive as subtitle files. This extractor drops
the cue numbers, timings and WebVTT settings and markup, joins the lines of
each cue, and starts a new paragraph where the speech pauses (a gap of
`pause_seconds` between cues, default 2) or the speaker changes (`- ` or
`<v Name>`). Standard library only; protocol: docs/PLUGINS.md.
"""
import json
import re
import sys

TIMING = re.compile(r"^\s*(\d+:)?\d{1,2}:\d{2}[.,]\d{3}\s*-->\s*((\d+:)?\d{1,2}:\d{2}[.,]\d{3})")
TAG = re.compile(r"</?[^>]+>")
VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>")


def seconds(stamp):
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for p in parts:
        total = total * 60 + float(p)
    return total


def extract(text, pause):
    cues = []  # (start, end, lines)
    current = None
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip("\ufeff").rstrip()
        m = TIMING.match(line)
        if m:
            start = seconds(line.split("-->")[0].strip())
            end = seconds(m.group(2))
            current = (start, end, [])
            cues.append(current)
            continue
        if not line.strip():
            current = None
            continue
        if current is None:
            continue  # a cue number, the WEBVTT header, NOTE or STYLE blocks
        voice = VOICE.search(line)
        clean = TAG.sub("", line).strip()
        if voice:
            clean = voice.group(1).strip() + ": " + clean
        if clean:
            current[2].append(clean)
    paragraphs, words, last_end = [], [], None
    for start, end, lines in cues:
        if not lines:
            continue
        new_speaker = lines[0].startswith("- ") or ": " in lines[0][:40] and lines[0][0].isupper() and lines[0].split(": ")[0].count(" ") < 3
        if words and ((last_end is not None and start - last_end >= pause) or new_speaker):
            paragraphs.append(" ".join(words))
            words = []
        words.extend(l[2:] if l.startswith("- ") else l for l in lines)
        last_end = end
    if words:
        paragraphs.append(" ".join(words))
    return "\n\n".join(paragraphs)


def main():
    out = sys.stdout.buffer
    out.write(json.dumps({"protocol": "gleaner.plugin/1", "name": "subtitles", "version": "1.0.0",
                          "summary": "subtitles (.srt, .vtt) as text"}).encode() + b"\n")
    out.flush()
    for line in sys.stdin.buffer:
        request = json.loads(line)
        answer = {"id": request["id"]}
        try:
            job = request["extract"]
            with open(job["path"], "rb") as f:
                data = f.read()
            text = extract(data.decode("utf-8", errors="replace"), float(request.get("options", {}).get("pause_seconds", 2)))
            if not text.strip():
                answer["error"] = "empty: the subtitle file has no cue text"
            else:
                answer["layer"] = {"text": text, "format": "vtt" if data.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT") else "srt"}
        except Exception as e:  # one bad file must not stop the worker
            answer["error"] = f"malformed: {e}"
        out.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
