/// What a processor is: its name, version, and the layers it needs and adds.
public struct ProcessorDescriptor: Sendable, Hashable {
    public var name: String
    public var version: String
    public var requires: [LayerName]
    public var provides: [LayerName]
    /// One line for `gleaner plugins`.
    public var summary: String
    /// How views show its layers (an external plugin's `render` hints), recorded in each run.
    public var render: JSONValue?

    public init(name: String, version: String, requires: [LayerName], provides: [LayerName], summary: String = "") {
        self.name = name
        self.version = version
        self.requires = requires
        self.provides = provides
        self.summary = summary
    }
}

/// A configured processor: reads the layers it requires from the document and
/// adds the layers it provides.
///
/// A processor must be safe to call for several documents at once. It never
/// reads another processor's internals, only the layers in the document.
public protocol Processor: Sendable {
    var descriptor: ProcessorDescriptor { get }
    /// Adds this processor's layers to `document`. Throwing records the error on
    /// the document; processors that depend on this one are then skipped.
    func process(_ document: inout Document) async throws
    /// Releases resources (worker processes) when the pipeline is replaced.
    func shutdown() async
}

extension Processor {
    public func shutdown() async {}
}

/// Makes a processor from its configuration: the configure step, where every
/// option is validated before any document is processed.
public protocol ProcessorFactory: Sendable {
    var descriptor: ProcessorDescriptor { get }
    func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor
}

/// An error a processor reports for one document.
public struct ProcessorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Why it failed, for metrics (`gleaner_processor_failures_total{reason=…}`), status and logs.
    public var code: Code
    /// Structured detail a plugin gave (`{code, message, data}` of protocol version 2), kept in the result.
    public var details: JSONValue?
    public init(_ message: String, code: Code = .error) {
        self.message = message
        self.code = code
    }
    public var description: String { message }

    /// An extensible failure reason: a short snake_case word.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        /// The processor threw (or a plugin reported an error for the document).
        public static let error = Code(rawValue: "error")
        /// It ran past its time limit.
        public static let timeout = Code(rawValue: "timeout")
        /// An external worker exited or closed its output during the request.
        public static let crashed = Code(rawValue: "crashed")
        /// An external worker answered outside the protocol.
        public static let invalidResponse = Code(rawValue: "invalid_response")
        /// Its layer had spans outside the text.
        public static let invalidOutput = Code(rawValue: "invalid_output")
        /// The request was abandoned (the document's own limit, or shutdown).
        public static let cancelled = Code(rawValue: "cancelled")
        /// An optional processor (`required = false`) whose plugin is not running.
        public static let unavailable = Code(rawValue: "unavailable")
        /// Every code Gleaner itself uses: metrics start them at zero.
        public static let known: [Code] = [.error, .timeout, .crashed, .invalidResponse, .invalidOutput, .cancelled, .unavailable]
    }
}
