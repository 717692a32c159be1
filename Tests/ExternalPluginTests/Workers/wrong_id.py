#!/usr/bin/env python3
"""Answers with an id that was never asked for."""
from common import send, serve


def answer(request):
    send({"id": "not-" + str(request["id"]), "layer": {}})


serve("wrong_id", answer)
