import Foundation

/// What is known about a document apart from its text.
public struct DocumentMetadata: Sendable, Hashable {
    /// The file name as received (for the daemon, the path relative to the inbox).
    public var sourceName: String
    /// Size of the original bytes.
    public var bytes: Int
    /// Lower-case hex SHA-256 of the original bytes.
    public var sha256: String
    /// `text/plain`, `text/markdown` or `text/html`.
    public var mediaType: String
    /// The encoding the bytes were decoded from, e.g. `utf-8`, `utf-16le`, `windows-1252`.
    public var encoding: String
    /// Normalisations applied to reach `text` (`crlf`, `nfc`, `bom`), in order.
    public var normalizations: [String]
    public var receivedAt: Date

    // What the extractor read from the file itself (docs/FORMAT.md, `source`):
    /// The headline or title the document states, when it states one.
    public var title: String?
    public var authors: [String] = []
    /// ISO 8601 date or date-time of publication (or creation) the document states.
    public var published: String?
    /// The outlet, site or publisher.
    public var outlet: String?
    /// Short format name: `text`, `markdown`, `html`, `pdf`, `docx`, `odt`, `epub`, `eml`, `mbox`, or an external extractor's.
    public var format: String?
    /// The extractor that made the text, and its version.
    public var extractorName: String?
    public var extractorVersion: String?
    /// Pages, chapters, footnotes as spans of `text` (Unicode scalar offsets).
    public var parts: [Part] = []
    /// Message headers of an e-mail, in order.
    public var headers: [Header] = []
    /// Things a reader should know about the extraction (a content/extension mismatch, skipped attachments…).
    public var warnings: [String] = []

    public struct Part: Sendable, Hashable {
        public var kind: String
        public var start: Int
        public var end: Int
        public var number: Int?
        public init(kind: String, start: Int, end: Int, number: Int? = nil) {
            self.kind = kind
            self.start = start
            self.end = end
            self.number = number
        }
    }

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        sourceName: String, bytes: Int, sha256: String, mediaType: String,
        encoding: String = "utf-8", normalizations: [String] = [], receivedAt: Date = Date()
    ) {
        self.sourceName = sourceName
        self.bytes = bytes
        self.sha256 = sha256
        self.mediaType = mediaType
        self.encoding = encoding
        self.normalizations = normalizations
        self.receivedAt = receivedAt
    }
}
