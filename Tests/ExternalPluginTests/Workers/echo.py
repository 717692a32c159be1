#!/usr/bin/env python3
"""Reports what it received: the layers, metadata keys, options, its pid, environment and folder.
Arguments: NAME [REQUIRED_LAYER...]."""
import os
import sys
from common import send, serve

name = sys.argv[1] if len(sys.argv) > 1 else "echo"
requires = sys.argv[2:]


def answer(request):
    layers = request["layers"]
    send({"id": request["id"], "layer": {
        "layers_seen": sorted(layers),
        "entity_count": len(layers.get("entities") or []),
        "metadata_keys": sorted(request["metadata"]),
        "options": request["options"],
        "pid": os.getpid(),
        "env": dict(os.environ),
        "cwd": os.getcwd(),
        "first_word": {"start": 0, "end": len(request["text"].split(" ")[0]), "text": request["text"].split(" ")[0]},
    }})


serve(name, answer, requires=requires)
