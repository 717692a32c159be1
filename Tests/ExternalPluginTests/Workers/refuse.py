#!/usr/bin/env python3
"""Answers `error` for any document containing REFUSE, and its pid for the others."""
import os
from common import send, serve


def answer(request):
    if "REFUSE" in request["text"]:
        send({"id": request["id"], "error": "this document is not for me"})
    else:
        send({"id": request["id"], "layer": {"pid": os.getpid()}})


serve("refuse", answer)
