import Foundation

/// A file's bytes turned into the plain text a document is made of.
public struct ExtractedText: Sendable, Hashable {
    public var text: String
    public var mediaType: String
    public var encoding: String
    /// What was normalised on the way (`bom`, `crlf`, `nfc`), in order.
    public var normalizations: [String]
}

/// Turns dropped files into plain text: decodes the encoding, strips markup
/// by media type, normalises line ends and Unicode composition (NFC), and
/// refuses binary, unknown or oversize input with a typed error.
public struct Extractor: Sendable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int

    public init(maxBytes: Int = 16 * 1024 * 1024) { self.maxBytes = maxBytes }

    public static let mediaTypes: [String: String] = [
        "txt": "text/plain", "text": "text/plain", "": "text/plain",
        "md": "text/markdown", "markdown": "text/markdown",
        "html": "text/html", "htm": "text/html", "xhtml": "text/html",
    ]

    /// The media type for a file name, or nil when its extension is not supported.
    public static func mediaType(forFileName name: String) -> String? {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        let ext = base.contains(".") && !base.hasPrefix(".") ? (base.split(separator: ".").last.map { $0.lowercased() } ?? "") : ""
        return mediaTypes[ext]
    }

    public func extract(_ bytes: [UInt8], fileName: String) throws(ExtractionError) -> ExtractedText {
        guard !bytes.isEmpty else { throw ExtractionError(.empty, "the file is empty (0 bytes)") }
        guard bytes.count <= maxBytes else {
            throw ExtractionError(.tooLarge, "the file has \(bytes.count) bytes, more than the limit of \(maxBytes) (input.max_bytes)")
        }
        if let kind = Self.binarySignature(bytes) {
            throw ExtractionError(.binary, "the file is \(kind), not text; Gleaner reads plain text, Markdown and HTML")
        }
        guard var mediaType = Self.mediaType(forFileName: fileName) else {
            let ext = fileName.split(separator: ".").last.map(String.init) ?? ""
            throw ExtractionError(
                .unsupportedType, "unsupported file type '.\(ext)': Gleaner reads .txt, .md and .html files")
        }
        let decoded = try TextDecoder.decode(bytes)
        var normalizations: [String] = decoded.hadBOM ? ["bom"] : []
        var raw = decoded.string
        if mediaType == "text/plain" && Self.looksLikeHTML(raw) { mediaType = "text/html" }

        // Line ends first, so markup extraction sees one convention.
        if raw.utf8.contains(0x0D) {
            raw = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            normalizations.append("crlf")
        }
        var text: String
        switch mediaType {
        case "text/html": text = HTMLExtractor.extract(raw)
        case "text/markdown": text = MarkdownExtractor.extract(raw)
        default: text = raw
        }
        if !Self.isSurelyNFC(text) {
            let composed = text.precomposedStringWithCanonicalMapping
            if !composed.unicodeScalars.elementsEqual(text.unicodeScalars) {
                normalizations.append("nfc")
                text = composed
            }
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw ExtractionError(.empty, "the file has no text (\(bytes.count) bytes of white space or markup only)")
        }
        if let bad = Self.controlCharacterRatio(text), bad > 0.01 {
            throw ExtractionError(.binary, "\(Int(bad * 100))% of the characters are control characters: this is not text")
        }
        return ExtractedText(text: text, mediaType: mediaType, encoding: decoded.encoding, normalizations: normalizations)
    }

    /// True when no character of `s` can change under NFC: ASCII and Latin up to U+02FF, general
    /// punctuation from U+2002 (curly quotes, dashes), currency signs, Cyrillic letters, kana and
    /// CJK ideographs are all stable (no combining marks, no singletons, no composition partners).
    /// Most news needs no normalisation pass, which costs more than the rest of extraction.
    static func isSurelyNFC(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { c in
            let v = c.value
            return v < 0x0300 || (0x2002...0x206F).contains(v) || (0x20A0...0x20CF).contains(v)
                || (0x0400...0x0482).contains(v) || (0x048A...0x052F).contains(v)
                || (0x3040...0x3096).contains(v) || (0x30A0...0x30FF).contains(v) || (0x4E00...0x9FFF).contains(v)
        }
    }

    static func looksLikeHTML(_ s: String) -> Bool {
        let head = s.prefix(512).lowercased().trimmingWhitespace()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }

    static func controlCharacterRatio(_ s: String) -> Double? {
        var controls = 0, total = 0
        for c in s.unicodeScalars {
            total += 1
            if c.value < 0x20 && c != "\n" && c != "\t" && c != "\u{0C}" { controls += 1 }
            else if (0x7F...0x9F).contains(c.value) { controls += 1 }
        }
        return total == 0 ? nil : Double(controls) / Double(total)
    }

    /// Recognises common binary formats by their magic numbers, to say what a file is.
    static func binarySignature(_ b: [UInt8]) -> String? {
        let signatures: [([UInt8], String)] = [
            (Array("%PDF".utf8), "a PDF document"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            (Array("GIF8".utf8), "a GIF image"),
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or an Office document)"),
            ([0x1F, 0x8B], "a gzip archive"),
            ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
            ([0xD0, 0xCF, 0x11, 0xE0], "an old Microsoft Office document"),
            (Array("{\\rtf".utf8), "an RTF document"),
            ([0x42, 0x5A, 0x68], "a bzip2 archive"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "an xz archive"),
            (Array("SQLite format 3".utf8), "an SQLite database"),
            (Array("OggS".utf8), "an Ogg media file"),
            (Array("RIFF".utf8), "a RIFF media file"),
        ]
        for (magic, name) in signatures where b.starts(with: magic) { return name }
        return nil
    }
}
