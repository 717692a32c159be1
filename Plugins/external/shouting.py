#!/usr/bin/env python3
"""Gleaner plugin (protocol 2, through gleaner_plugin.py): words written in capitals, as spans highlighted in the
HTML view, and the share of such words as a document-level fact shown as a column of the outbox index."""
import re

from gleaner_plugin import Plugin, PluginError

plugin = Plugin(
    "shouting", version="1.0.0", summary="words in capitals (highlighted), and their share",
    options_schema={
        "type": "object", "additionalProperties": False,
        "properties": {
            "min_length": {"type": "integer", "minimum": 2, "maximum": 20, "description": "shortest word counted"},
            "ignore": {"type": "array", "items": {"type": "string"}, "description": "words never counted (acronyms)"},
        },
    },
    render={"shouting": {"spans": "words", "label": "shouting", "facts": ["share"]}},
)

WORD = re.compile(r"\w+", re.UNICODE)


@plugin.handler
def shouting(doc):
    if not doc.text.strip():
        raise PluginError("empty", "the document has no text")
    shortest = doc.options.get("min_length", 2)
    ignore = set(doc.options.get("ignore", []))
    words = [m for m in WORD.finditer(doc.text) if not m.group().isdigit()]
    loud = [m for m in words if len(m.group()) >= shortest and m.group().isupper() and m.group() not in ignore]
    if len(words) < 5:
        doc.warn(f"only {len(words)} words: the share means little")
    doc.log("debug", f"{len(loud)} of {len(words)} words in capitals")
    return {
        "words": [doc.span(m.start(), m.end()) for m in loud],
        "share": round(len(loud) / len(words), 3) if words else 0.0,
    }


plugin.run()
