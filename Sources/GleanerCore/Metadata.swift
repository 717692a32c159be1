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
