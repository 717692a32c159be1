"""A tiny helper for writing Gleaner external plugins in Python (protocol gleaner.plugin/2, falling back to /1).

Standard library only; copy this file next to your plugin. docs/PLUGINS.md walks through it:

    from gleaner_plugin import Plugin, PluginError

    plugin = Plugin("shouting", version="1.0.0", summary="words in capitals",
                    options_schema={"type": "object", "additionalProperties": False,
                                    "properties": {"min_length": {"type": "integer", "minimum": 1}}},
                    render={"shouting": {"spans": True, "label": "shouting"}})

    @plugin.handler
    def shouting(doc):
        n = doc.options.get("min_length", 2)
        if not doc.text.strip():
            raise PluginError("empty", "nothing to read")
        return [doc.span(start, end) for start, end in ...]

    plugin.run()

The handler gets a Document (text, metadata, layers, options, log(), warn(), cancelled) and returns the layer's
JSON (or, for a plugin that provides several layers, a dict layer name -> JSON). Offsets count Unicode scalars,
as Python's str indices do. Raising PluginError gives a structured error; any other exception is reported as
the error "exception" with its message, and the worker goes on with the next document.
"""
import json
import queue
import sys
import threading
import traceback

PROTOCOLS = ["gleaner.plugin/2", "gleaner.plugin/1"]

__all__ = ["Plugin", "PluginError", "Document"]


class PluginError(Exception):
    """A document this plugin cannot process: a short code, a message, and optional JSON data."""

    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


class Document:
    """One request: the text, its metadata, the required layers and the options."""

    def __init__(self, plugin, request):
        self._plugin = plugin
        self.id = request["id"]
        self.text = request.get("text", "")
        self.metadata = request.get("metadata", {})
        self.layers = request.get("layers", {})
        self.options = request.get("options", {})
        self.warnings = []
        self.cancelled = False

    def span(self, start, end, **fields):
        """A span with its text, so that Gleaner checks the offsets against the text."""
        item = {"start": start, "end": end, "text": self.text[start:end]}
        item.update(fields)
        return item

    def warn(self, message):
        """A warning about this document: kept in the result with the processor's run."""
        self.warnings.append(str(message))

    def log(self, level, message):
        """A log line at a level (debug, info, notice, warning, error) in Gleaner's log, naming this document."""
        self._plugin.log(level, message)


class Plugin:
    def __init__(self, name, version="0.0.0", requires=(), provides=None, summary="", options_schema=None,
                 render=None, capabilities=("cancel", "log", "warnings")):
        self.name = name
        self.version = version
        self.requires = list(requires)
        self.provides = list(provides or [name])
        self.summary = summary
        self.options_schema = options_schema
        self.render = render
        self.capabilities = list(capabilities)
        self.protocol = 1  # until Gleaner answers the handshake
        self.accepted = set()
        self._handler = None
        self._out = sys.stdout.buffer
        self._lock = threading.Lock()
        self._current = None
        self._requests = queue.Queue()
        # Nothing but protocol lines may go to standard output: print() goes to standard error.
        sys.stdout = sys.stderr

    def handler(self, function):
        self._handler = function
        return function

    def send(self, message):
        line = json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
        with self._lock:
            self._out.write(line)
            self._out.flush()

    def log(self, level, message):
        if self.protocol >= 2 and "log" in self.accepted:
            self.send({"log": {"level": level, "message": str(message)}})
        else:
            print(f"{level.upper()}: {message}", file=sys.stderr, flush=True)

    def handshake(self):
        hello = {"protocol": PROTOCOLS[0], "protocols": PROTOCOLS, "name": self.name, "version": self.version,
                 "requires": self.requires, "provides": self.provides, "summary": self.summary,
                 "capabilities": self.capabilities}
        if self.options_schema is not None:
            hello["options_schema"] = self.options_schema
        if self.render is not None:
            hello["render"] = self.render
        return hello

    def _read(self):
        """Reads standard input on its own thread, so that a cancel can arrive while a document is processed."""
        for line in sys.stdin.buffer:
            try:
                message = json.loads(line)
            except ValueError:
                print(f"{self.name}: ignoring a line that is not JSON", file=sys.stderr, flush=True)
                continue
            if "cancel" in message:
                current = self._current
                if current is not None and current.id == message["cancel"]:
                    current.cancelled = True
                continue  # a cancel for a request already answered is ignored
            self._requests.put(message)
        self._requests.put(None)

    def _answer(self, doc):
        try:
            result = self._handler(doc)
            if doc.cancelled:
                raise PluginError("cancelled", "cancelled by Gleaner")
            response = {"id": doc.id}
            if len(self.provides) == 1:
                response["layer"] = result
            else:
                response["layers"] = result
            if doc.warnings:
                if self.protocol >= 2:
                    response["warnings"] = doc.warnings
                else:
                    for w in doc.warnings:
                        print(f"WARNING: {w}", file=sys.stderr, flush=True)
            return response
        except PluginError as error:
            if self.protocol >= 2:
                return {"id": doc.id, "error": {"code": error.code, "message": error.message, "data": error.data}}
            return {"id": doc.id, "error": f"{error.code}: {error.message}"}
        except Exception as error:  # one bad document must not end the worker
            print(traceback.format_exc(), file=sys.stderr, flush=True)
            if self.protocol >= 2:
                return {"id": doc.id, "error": {"code": "exception", "message": repr(error),
                                                "data": {"traceback": traceback.format_exc().splitlines()[-3:]}}}
            return {"id": doc.id, "error": repr(error)}

    def run(self):
        if self._handler is None:
            raise RuntimeError("decorate the function that processes a document with @plugin.handler")
        self.send(self.handshake())
        threading.Thread(target=self._read, daemon=True).start()
        first = True
        while True:
            message = self._requests.get()
            if message is None:
                return  # Gleaner closed our input: exit cleanly
            if first and "protocol" in message and "id" not in message:
                # Gleaner's answer to the handshake (version 2): what both sides will use.
                self.protocol = 2 if message.get("protocol") == "gleaner.plugin/2" else 1
                self.accepted = set(message.get("capabilities", []))
                first = False
                continue
            first = False
            doc = Document(self, message)
            self._current = doc
            response = self._answer(doc)
            self._current = None
            self.send(response)
