#!/usr/bin/env python3
"""Writes log lines with levels to standard error for every document, then answers."""
import sys
from common import send, serve


def answer(request):
    print(f"WARNING: looking at {len(request['text'])} characters", file=sys.stderr, flush=True)
    print("debug: a detail nobody wants at info", file=sys.stderr, flush=True)
    print("a plain line", file=sys.stderr, flush=True)
    send({"id": request["id"], "layer": {"characters": len(request["text"])}})


serve("chatty", answer)
