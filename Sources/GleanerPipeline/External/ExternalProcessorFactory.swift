import GleanerCore

/// Makes processors that run as external worker programs (`kind = "exec"`).
public struct ExternalProcessorFactory: ProcessorFactory {
    public let name: String
    public let defaultTimeout: Duration?

    public init(name: String, defaultTimeout: Duration?) {
        self.name = name
        self.defaultTimeout = defaultTimeout
    }

    public var descriptor: ProcessorDescriptor {
        ProcessorDescriptor(name: name, version: "?", requires: [], provides: [LayerName(name)], summary: "external program")
    }

    public func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        throw ConfigurationError(
            .invalidValue, "external processors (kind = \"exec\") are not available in this build", at: options.location("kind"))
    }
}
