import Foundation

/// A span of the extracted text that belongs to one page, chapter, message or
/// attachment (Unicode scalar offsets, `end` exclusive).
public struct SourcePart: Sendable, Hashable, Codable {
    /// `page`, `chapter`, `footnotes`, `headers`.
    public var kind: String
    public var start: Int
    public var end: Int
    /// The page or chapter number, from 1.
    public var number: Int?
    public var label: String?

    public init(kind: String, start: Int, end: Int, number: Int? = nil, label: String? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.number = number
        self.label = label
    }
}

/// One document made from an input file: its text and what the file says about it.
/// An e-mail with attachments or an mbox gives several.
public struct ExtractedDocument: Sendable, Hashable, Codable {
    public var text: String
    /// The media type read: `application/pdf`, `message/rfc822`, `text/html`, …
    public var mediaType: String
    /// The character encoding the text was decoded from.
    public var encoding: String
    public var normalizations: [String]
    /// Short name of the format (`pdf`, `docx`, `odt`, `epub`, `eml`, `html`, `markdown`, `text`, …).
    public var format: String
    public var extractorName: String
    public var extractorVersion: String
    public var title: String?
    public var authors: [String]
    /// ISO 8601 date or date-time, as precise as the source says.
    public var published: String?
    /// The outlet, site or publisher.
    public var outlet: String?
    public var parts: [SourcePart]
    /// Message headers (e-mail), in order, decoded.
    public var headers: [Header]
    public var warnings: [String]
    /// How this document is named after the input: nil for the main one,
    /// e.g. `#2-attachment.pdf` for an attachment, `#3-message` for an mbox message.
    public var suffix: String?

    /// Attachments an e-mail extractor found, extracted next (never serialised).
    public var pendingAttachments: [PendingAttachment] = []

    enum CodingKeys: String, CodingKey {
        case text, mediaType, encoding, normalizations, format, extractorName, extractorVersion, title, authors, published, outlet
        case parts, headers, warnings, suffix
    }

    public struct Header: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        text: String, mediaType: String, format: String, extractorName: String, extractorVersion: String,
        encoding: String = "utf-8", normalizations: [String] = [], title: String? = nil, authors: [String] = [],
        published: String? = nil, outlet: String? = nil, parts: [SourcePart] = [], headers: [Header] = [],
        warnings: [String] = [], suffix: String? = nil
    ) {
        self.text = text
        self.mediaType = mediaType
        self.format = format
        self.extractorName = extractorName
        self.extractorVersion = extractorVersion
        self.encoding = encoding
        self.normalizations = normalizations
        self.title = title
        self.authors = authors
        self.published = published
        self.outlet = outlet
        self.parts = parts
        self.headers = headers
        self.warnings = warnings
        self.suffix = suffix
    }
}

/// Builds a text from paragraphs separated by blank lines, each composed to
/// NFC on the way in, and knows the Unicode scalar offset where it ends, so
/// page and part spans are exact.
public struct TextBuilder: Sendable {
    public private(set) var text = ""
    public private(set) var scalars = 0
    public private(set) var normalized = false

    public init() {}

    /// Appends a paragraph (trimmed; nothing when blank), after a blank line.
    public mutating func paragraph(_ s: String) {
        var p = Self.trim(s)
        guard !p.isEmpty else { return }
        if !Self.isSurelyNFC(p) {
            let composed = p.precomposedStringWithCanonicalMapping
            if !composed.unicodeScalars.elementsEqual(p.unicodeScalars) { normalized = true; p = composed }
        }
        if !text.isEmpty {
            text += "\n\n"
            scalars += 2
        }
        text += p
        scalars += p.unicodeScalars.count
    }

    /// White space off both ends, without going through NSString (this runs once per paragraph).
    static func trim(_ s: String) -> String {
        let u = s.unicodeScalars
        guard let first = u.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = u.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == u.startIndex && u.index(after: last) == u.endIndex { return s }
        return String(u[first...last])
    }

    /// True when no character can change under NFC (as in GleanerText): Latin up to U+02FF, general
    /// punctuation, currency signs, Cyrillic, kana, CJK ideographs. Most news needs no NFC pass.
    static func isSurelyNFC(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { c in
            let v = c.value
            return v < 0x0300 || (0x2002...0x206F).contains(v) || (0x20A0...0x20CF).contains(v)
                || (0x0400...0x0482).contains(v) || (0x048A...0x052F).contains(v)
                || (0x3040...0x3096).contains(v) || (0x30A0...0x30FF).contains(v) || (0x4E00...0x9FFF).contains(v)
        }
    }

    /// The offset the next paragraph will start at (after its separator).
    public var nextStart: Int { text.isEmpty ? 0 : scalars + 2 }
}

/// An attachment's bytes, waiting to be extracted as a document of its own.
public struct PendingAttachment: Sendable, Hashable {
    public var fileName: String
    public var bytes: [UInt8]
    public init(fileName: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.bytes = bytes
    }
}

enum PendingAttachments {
    static func take(_ d: inout ExtractedDocument) -> [PendingAttachment]? {
        guard !d.pendingAttachments.isEmpty else { return nil }
        defer { d.pendingAttachments = [] }
        return d.pendingAttachments
    }
}
