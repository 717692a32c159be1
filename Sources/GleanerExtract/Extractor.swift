import Foundation

/// The limits every extraction runs under (`[extract]` in the configuration).
public struct ExtractLimits: Sendable, Hashable, Codable {
    /// Largest input file, in bytes (`input.max_bytes`).
    public var maxBytes: Int
    /// Most bytes a ZIP container (DOCX, ODT, EPUB) may expand to, all entries together.
    public var maxExpandedBytes: Int
    /// Largest ratio of an entry's expanded to compressed size.
    public var maxExpansionRatio: Int
    /// Most MIME parts in one message.
    public var maxParts: Int
    /// Largest attachment made into a document of its own; larger ones are skipped with a warning.
    public var maxAttachmentBytes: Int
    /// Most messages read from one mbox file.
    public var maxMessages: Int
    /// Time limit of one extraction (child process or helper program).
    public var timeLimit: Duration
    /// Address-space limit of an extraction child process, in bytes (0: none).
    public var memoryLimit: Int

    public init(
        maxBytes: Int = 16 << 20, maxExpandedBytes: Int = 256 << 20, maxExpansionRatio: Int = 200, maxParts: Int = 1000,
        maxAttachmentBytes: Int = 32 << 20, maxMessages: Int = 10_000, timeLimit: Duration = .seconds(30),
        memoryLimit: Int = 2 << 30
    ) {
        self.maxBytes = maxBytes
        self.maxExpandedBytes = maxExpandedBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.maxParts = maxParts
        self.maxAttachmentBytes = maxAttachmentBytes
        self.maxMessages = maxMessages
        self.timeLimit = timeLimit
        self.memoryLimit = memoryLimit
    }

    enum CodingKeys: String, CodingKey {
        case maxBytes, maxExpandedBytes, maxExpansionRatio, maxParts, maxAttachmentBytes, maxMessages, timeLimitMs, memoryLimit
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxBytes: try c.decode(Int.self, forKey: .maxBytes), maxExpandedBytes: try c.decode(Int.self, forKey: .maxExpandedBytes),
            maxExpansionRatio: try c.decode(Int.self, forKey: .maxExpansionRatio), maxParts: try c.decode(Int.self, forKey: .maxParts),
            maxAttachmentBytes: try c.decode(Int.self, forKey: .maxAttachmentBytes),
            maxMessages: try c.decode(Int.self, forKey: .maxMessages),
            timeLimit: .milliseconds(try c.decode(Int.self, forKey: .timeLimitMs)), memoryLimit: try c.decode(Int.self, forKey: .memoryLimit))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxBytes, forKey: .maxBytes)
        try c.encode(maxExpandedBytes, forKey: .maxExpandedBytes)
        try c.encode(maxExpansionRatio, forKey: .maxExpansionRatio)
        try c.encode(maxParts, forKey: .maxParts)
        try c.encode(maxAttachmentBytes, forKey: .maxAttachmentBytes)
        try c.encode(maxMessages, forKey: .maxMessages)
        try c.encode(Int(timeLimit.components.seconds * 1000 + timeLimit.components.attoseconds / 1_000_000_000_000_000), forKey: .timeLimitMs)
        try c.encode(memoryLimit, forKey: .memoryLimit)
    }
}

/// What an extractor is given: the bytes of one file and its name.
public struct ExtractionInput: Sendable {
    public var bytes: [UInt8]
    /// The file name as received (the path relative to the inbox).
    public var fileName: String
    /// Where the bytes are on disk, when they are (helper programs read the file itself).
    public var path: String?
    /// The media type chosen for the file (by content first, extension second).
    public var mediaType: String
    public var limits: ExtractLimits

    public init(bytes: [UInt8], fileName: String, path: String? = nil, mediaType: String, limits: ExtractLimits) {
        self.bytes = bytes
        self.fileName = fileName
        self.path = path
        self.mediaType = mediaType
        self.limits = limits
    }
}

/// Turns a file of one or more formats into documents: text plus source
/// metadata. Built-in extractors cover text, Markdown, HTML, PDF, DOCX, ODT,
/// EPUB, e-mail and mbox; external ones (`kind = "extractor"`) add others.
public protocol Extractor: Sendable {
    var name: String { get }
    var version: String { get }
    /// Media types read, e.g. `application/pdf`.
    var mediaTypes: [String] { get }
    /// File extensions read (lower case, no dot).
    var extensions: [String] { get }
    /// True when parsing an untrusted container format, which then runs in a
    /// child process (`gleaner extract --child`) so a crash cannot reach the daemon.
    var isolated: Bool { get }
    /// One document or more (an e-mail with attachments, an mbox).
    func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument]
}

extension Extractor {
    public var isolated: Bool { false }
}
