#!/usr/bin/env python3
"""Exits with status 3 on any document containing CRASH, after a message on standard error."""
import sys
from common import send, serve


def answer(request):
    if "CRASH" in request["text"]:
        print("crash: RuntimeError: cannot handle this document", file=sys.stderr, flush=True)
        sys.exit(3)
    send({"id": request["id"], "layer": {"ok": True}})


serve("crash", answer)
