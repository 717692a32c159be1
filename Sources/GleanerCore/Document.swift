/// One document travelling through the pipeline: its text, what is known
/// about it, and the layers of standoff annotations processors add.
public struct Document: Sendable {
    public let text: DocumentText
    public var metadata: DocumentMetadata
    /// What each processor did, in the order they ran.
    public var runs: [ProcessorRun] = []
    /// Warnings the running processor gives about this document; the pipeline moves them into its run.
    public var pendingWarnings: [String] = []

    private var typedLayers: [LayerName: any Layer] = [:]
    private var jsonLayers: [LayerName: JSONValue] = [:]

    public init(text: String, metadata: DocumentMetadata) {
        self.text = DocumentText(text)
        self.metadata = metadata
    }

    /// A document made from a string alone, for tests and batch commands.
    public init(text: String, name: String = "-") {
        self.init(
            text: text,
            metadata: DocumentMetadata(sourceName: name, bytes: text.utf8.count, sha256: "", mediaType: "text/plain"))
    }

    /// The typed layer `L`, if a processor provided it.
    public subscript<L: Layer>(_ type: L.Type) -> L? {
        get { typedLayers[L.name] as? L }
        set {
            typedLayers[L.name] = newValue
            if newValue != nil { jsonLayers[L.name] = nil }
        }
    }

    /// Adds or replaces a typed layer.
    public mutating func add<L: Layer>(_ layer: L) { self[L.self] = layer }

    /// Adds a layer known only by its JSON form (from an external plugin).
    public mutating func add(layer name: LayerName, json: JSONValue) {
        typedLayers[name] = nil
        jsonLayers[name] = json
    }

    /// Removes a layer, typed or not.
    public mutating func removeLayer(_ name: LayerName) {
        typedLayers[name] = nil
        jsonLayers[name] = nil
    }

    public func hasLayer(_ name: LayerName) -> Bool { typedLayers[name] != nil || jsonLayers[name] != nil }

    /// All layers present, sorted by name.
    public var layerNames: [LayerName] { Set(typedLayers.keys).union(jsonLayers.keys).sorted() }

    /// Whether the layer is written into the result document.
    public func isPublished(_ name: LayerName) -> Bool {
        if let layer = typedLayers[name] { return type(of: layer).isPublished }
        return jsonLayers[name] != nil
    }

    /// The JSON form of any layer, typed or not.
    public func json(of name: LayerName) -> JSONValue? {
        if let layer = typedLayers[name] { return layer.jsonValue(in: text) }
        return jsonLayers[name]
    }

    /// Spans of the typed layer `name` that fall outside the text.
    public func invalidSpans(in name: LayerName) -> [Span] {
        guard let layer = typedLayers[name] else { return [] }
        return layer.spans.filter { !text.isValid($0) }
    }
}

/// The record of one processor's run over one document.
public struct ProcessorRun: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case ok
        case failed
        /// Not run because a layer it requires is missing (its provider failed).
        case skipped
    }

    public var name: String
    public var version: String
    public var durationMs: Double
    public var outcome: Outcome
    public var error: String?
    /// For a failed or skipped run, why (a `ProcessorError.Code`): `timeout`, `crashed`, `unavailable`…
    public var reason: String?
    /// Warnings the processor gave about this document (external plugins, protocol version 2).
    public var warnings: [String] = []
    /// A plugin's structured error (`{code, message, data}`), when it gave one.
    public var errorDetails: JSONValue?
    /// How views should show the processor's layers (a plugin's `render` hints: docs/PLUGINS.md).
    public var render: JSONValue?

    public init(name: String, version: String, durationMs: Double, outcome: Outcome, error: String? = nil, reason: String? = nil) {
        self.name = name
        self.version = version
        self.durationMs = durationMs
        self.outcome = outcome
        self.error = error
        self.reason = reason
    }
}
