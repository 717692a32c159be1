#!/usr/bin/env python3
"""Answers with an annotation past the end of the text (or, with options.mode = "text", a wrong text)."""
from common import send, serve


def answer(request):
    text = request["text"]
    if request["options"].get("mode") == "text":
        span = {"start": 0, "end": 3, "text": "xyz"}
    else:
        span = {"start": 2, "end": len(text) + 5, "text": None}
    send({"id": request["id"], "layer": {"items": [{"start": 0, "end": 1}, span]}})


serve("out_of_range", answer)
