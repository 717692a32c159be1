"""Shared loop for the test workers: handshake, then one answer per request line."""
import json
import sys


def send(obj):
    sys.stdout.buffer.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


def serve(name, answer, requires=(), provides=None, version="0.1.0"):
    send({"protocol": "gleaner.plugin/1", "name": name, "version": version,
          "requires": list(requires), "provides": list(provides or [name]), "summary": "test worker"})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        answer(request)
