/// Where a configuration value came from.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line, when the parser knows it.
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// A mistake in the configuration, said so that a user can act on it:
/// where (file and line), what is wrong, and what would be right.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake. New codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let syntax = Code("syntax")
        public static let unknownKey = Code("unknown-key")
        public static let wrongType = Code("wrong-type")
        public static let invalidValue = Code("invalid-value")
        public static let missingKey = Code("missing-key")
        public static let unknownProcessor = Code("unknown-processor")
        public static let missingRequirement = Code("missing-requirement")
        public static let duplicateProvider = Code("duplicate-provider")
        public static let cycle = Code("cycle")
        public static let badPath = Code("bad-path")
        public static let unreadable = Code("unreadable")
        public static let noProcessors = Code("no-processors")
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    /// What would be right, e.g. "did you mean 'timeout'?".
    public var hint: String?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
    }

    public var description: String {
        var out = location.map { "\($0): " } ?? ""
        out += message
        if let hint { out += " (\(hint))" }
        return out
    }
}

/// Several configuration mistakes, reported together so a user fixes them in one pass.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]
    public init(_ errors: [ConfigurationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The closest candidate to `word` by edit distance, for "did you mean …?" hints.
public func closestMatch(to word: String, in candidates: some Sequence<String>) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let c = Array(candidate.lowercased())
        var previous = Array(0...c.count)
        for (i, a) in w.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: c.count)
            for (j, b) in c.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
            }
            previous = current
        }
        let d = previous[c.count]
        if d <= max(2, w.count / 3), best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
    }
    return best?.0
}
