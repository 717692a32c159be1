/// Why a file's bytes could not be turned into a document. Each code is one
/// reason a file lands in `failed/`; the message says what a user can do.
public struct ExtractionError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let empty = Code("empty")
        public static let tooLarge = Code("too-large")
        public static let binary = Code("binary")
        public static let invalidEncoding = Code("invalid-encoding")
        public static let unsupportedType = Code("unsupported-type")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
