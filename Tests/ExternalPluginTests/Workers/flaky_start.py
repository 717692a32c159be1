#!/usr/bin/env python3
"""Crashes on CRASH, and then refuses to start (exit 1 before the handshake)
while the file named by its first argument exists."""
import os
import sys
from common import send, serve

marker = sys.argv[1]
if os.path.exists(marker):
    print("flaky_start: not today", file=sys.stderr, flush=True)
    sys.exit(1)


def answer(request):
    if "CRASH" in request["text"]:
        open(marker, "w").close()
        sys.exit(3)
    send({"id": request["id"], "layer": {"pid": os.getpid()}})


serve("flaky_start", answer)
