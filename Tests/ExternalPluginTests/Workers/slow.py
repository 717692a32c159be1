#!/usr/bin/env python3
"""Takes 300 ms per document and says when: shows that several workers answer at once."""
import os
import time
from common import send, serve


def answer(request):
    started = time.monotonic()
    time.sleep(0.3)
    send({"id": request["id"], "layer": {"pid": os.getpid(), "started": started, "ended": time.monotonic()}})


serve("slow", answer)
