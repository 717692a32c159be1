import GleanerCore

/// The processors Gleaner knows by name. Built-ins are registered in one
/// place (`GleanerBuiltins`); `kind = "exec"` sections make external ones.
public struct ProcessorRegistry: Sendable {
    private var factories: [String: any ProcessorFactory] = [:]
    private var order: [String] = []

    public init(_ factories: [any ProcessorFactory] = []) {
        for factory in factories { register(factory) }
    }

    public mutating func register(_ factory: any ProcessorFactory) {
        let name = factory.descriptor.name
        if factories[name] == nil { order.append(name) }
        factories[name] = factory
    }

    public func factory(named name: String) -> (any ProcessorFactory)? { factories[name] }
    public var names: [String] { order }
    public var all: [any ProcessorFactory] { order.compactMap { factories[$0] } }
}
