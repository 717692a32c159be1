#!/usr/bin/env python3
"""Answers every request with a line that is not JSON."""
import sys
from common import serve


def answer(request):
    sys.stdout.write("Traceback? no: this is not JSON at all\n")
    sys.stdout.flush()


serve("garbage", answer)
