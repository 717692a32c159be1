import GleanerCore

// Placeholders with the real names, layers and requirements, producing empty
// layers until the processors land (the foundation issue allows this).
struct PendingProcessor: Processor {
    let descriptor: ProcessorDescriptor
    let make: @Sendable (inout Document) -> Void
    func process(_ document: inout Document) async throws { make(&document) }
}

struct PendingLanguageFactory: ProcessorFactory {
    var descriptor: ProcessorDescriptor {
        ProcessorDescriptor(name: "language", version: "0.0.0", requires: [], provides: [.language], summary: "language detection (pending)")
    }
    func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        try options.finish()
        return PendingProcessor(descriptor: descriptor) { $0.add(LanguageLayer(code: "und", confidence: 0, alternatives: [])) }
    }
}

struct PendingEntityFactory: ProcessorFactory {
    var descriptor: ProcessorDescriptor {
        ProcessorDescriptor(name: "entities", version: "0.0.0", requires: [.tokens, .sentences], provides: [.entities], summary: "entity tagging (pending)")
    }
    func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        try options.finish()
        return PendingProcessor(descriptor: descriptor) { $0.add(EntitiesLayer([])) }
    }
}

struct PendingQuoteFactory: ProcessorFactory {
    var descriptor: ProcessorDescriptor {
        ProcessorDescriptor(name: "quotes", version: "0.0.0", requires: [.paragraphs, .entities], provides: [.quotes], summary: "quote extraction (pending)")
    }
    func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        try options.finish()
        return PendingProcessor(descriptor: descriptor) { $0.add(QuotesLayer([])) }
    }
}
