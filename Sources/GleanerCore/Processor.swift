/// What a processor is: its name, version, and the layers it needs and adds.
public struct ProcessorDescriptor: Sendable, Hashable {
    public var name: String
    public var version: String
    public var requires: [LayerName]
    public var provides: [LayerName]
    /// One line for `gleaner plugins`.
    public var summary: String

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
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
