#!/usr/bin/env python3
"""Hangs on any document containing HANG (ignoring SIGTERM with --ignore-term); answers the others."""
import signal
import sys
import time
from common import send, serve

if "--ignore-term" in sys.argv:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def answer(request):
    if "HANG" in request["text"]:
        print("hang: going to sleep", file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)
    send({"id": request["id"], "layer": {"ok": True}})


serve("hang", answer)
