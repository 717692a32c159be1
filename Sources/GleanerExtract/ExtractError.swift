/// Why a file could not be turned into documents. Each code is one reason a
/// file lands in `failed/` (`NAME.error.json`), one log line and one metric
/// label; the message says what a user can do. Codes are open: an external
/// extractor may report its own.
public struct ExtractError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }
        public var description: String { rawValue }

        // The text extractor's reasons (GleanerText.ExtractionError), kept as they were.
        public static let empty = Code("empty")
        public static let tooLarge = Code("too-large")
        public static let binary = Code("binary")
        public static let invalidEncoding = Code("invalid-encoding")
        public static let unsupportedType = Code("unsupported-type")

        /// A PDF whose pages carry no text (scanned images): an OCR extractor can be plugged in.
        public static let noTextLayer = Code("no-text-layer")
        /// A PDF (or other container) that cannot be opened without a password.
        public static let encrypted = Code("encrypted")
        /// A ZIP container that would expand past the size or ratio limits.
        public static let zipBomb = Code("zip-bomb")
        /// The file is cut short or its structure is broken.
        public static let malformed = Code("malformed")
        /// The extractor ran past its time limit and was stopped.
        public static let timeout = Code("extract-timeout")
        /// The extractor's process crashed (or hit its memory limit).
        public static let crashed = Code("extractor-crashed")
        /// A MIME message with more parts than `extract.max_parts`.
        public static let tooManyParts = Code("too-many-parts")
        /// A helper program (pdftotext) is missing or could not start.
        public static let toolMissing = Code("extractor-unavailable")
        /// An external extractor reported an error.
        public static let extractorFailed = Code("extractor-failed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
