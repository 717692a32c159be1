#!/usr/bin/env python3
"""Gleaner external plugin that does nothing: measures the protocol's overhead per document."""
import json
import sys

out = sys.stdout.buffer
out.write(b'{"protocol":"gleaner.plugin/1","name":"noop","version":"1.0.0","requires":[],"provides":["noop"],'
          b'"summary":"does nothing (benchmark)"}\n')
out.flush()
for line in sys.stdin.buffer:
    out.write(json.dumps({"id": json.loads(line)["id"], "layer": {}}).encode() + b"\n")
    out.flush()
