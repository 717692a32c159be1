#!/usr/bin/env python3
"""A protocol-2 worker built on Plugins/external/gleaner_plugin.py: FAIL gives a structured error, SLOW works
until cancelled, LOG sends a log message, SHORT gives a warning; otherwise it answers its pid."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Plugins", "external"))
from gleaner_plugin import Plugin, PluginError  # noqa: E402

plugin = Plugin("v2", version="2.0.0", summary="protocol 2 test worker",
                options_schema={"type": "object", "additionalProperties": False,
                                "properties": {"mode": {"enum": ["fast", "slow"]}, "level": {"type": "integer", "minimum": 1}}},
                render={"v2": {"spans": "marks", "label": "v2 marks", "facts": ["pid"]}})


@plugin.handler
def answer(doc):
    if "FAIL" in doc.text:
        raise PluginError("bad-input", "this document is not for me", data={"at": doc.text.index("FAIL")})
    if "SLOW" in doc.text:
        for _ in range(600):
            if doc.cancelled:
                raise PluginError("cancelled", "stopped on request")
            time.sleep(0.05)
    if "LOG" in doc.text:
        doc.log("warning", "a LOG document")
    if "SHORT" in doc.text:
        doc.warn("a short document")
    i = doc.text.find("MARK")
    return {"pid": os.getpid(), "marks": [doc.span(i, i + 4, label="a mark")] if i >= 0 else []}


plugin.run()
