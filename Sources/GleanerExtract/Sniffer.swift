import Foundation

/// Tells a file's format by its content (magic bytes) first and its extension second.
public enum Sniffer {
    public static let pdf = "application/pdf"
    public static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    public static let odt = "application/vnd.oasis.opendocument.text"
    public static let epub = "application/epub+zip"
    public static let eml = "message/rfc822"
    public static let mbox = "application/mbox"
    public static let zip = "application/zip"

    /// Media types by extension, for the built-in formats.
    public static let byExtension: [String: String] = [
        "txt": "text/plain", "text": "text/plain", "": "text/plain",
        "md": "text/markdown", "markdown": "text/markdown",
        "html": "text/html", "htm": "text/html", "xhtml": "text/html",
        "pdf": pdf, "docx": docx, "odt": odt, "epub": epub, "eml": eml, "mbox": mbox,
    ]

    public static func fileExtension(_ name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        guard base.contains("."), !base.hasPrefix(".") else { return "" }
        return base.split(separator: ".").last.map { $0.lowercased() } ?? ""
    }

    /// The media type that the bytes prove, or nil for text-like content.
    public static func byContent(_ b: [UInt8]) -> String? {
        if b.starts(with: Array("%PDF-".utf8)) { return pdf }
        // A PDF may have a little junk before its header (the spec allows 1024 bytes).
        if let i = find(Array("%PDF-".utf8), in: b.prefix(1024)), i > 0 { return pdf }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) || b.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return zipKind(b) }
        let images: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "image/png"), ([0xFF, 0xD8, 0xFF], "image/jpeg"), (Array("GIF8".utf8), "image/gif"),
            ([0x49, 0x49, 0x2A, 0x00], "image/tiff"), ([0x4D, 0x4D, 0x00, 0x2A], "image/tiff"),
            ([0xD0, 0xCF, 0x11, 0xE0], "application/x-ole-storage"), (Array("{\\rtf".utf8), "application/rtf"),
            ([0x1F, 0x8B], "application/gzip"), ([0x7F, 0x45, 0x4C, 0x46], "application/x-executable"),
        ]
        for (magic, type) in images where b.starts(with: magic) { return type }
        return nil
    }

    /// ODF and EPUB name their type in a first, stored entry `mimetype`; OOXML has a `word/` part.
    static func zipKind(_ b: [UInt8]) -> String {
        if b.count > 38, b[30..<38].elementsEqual(Array("mimetype".utf8)) {
            let head = String(decoding: b[38..<min(b.count, 38 + 80)], as: UTF8.self)
            if head.hasPrefix(odt) { return odt }
            if head.hasPrefix(epub) { return epub }
        }
        let tail = Array(b.suffix(1 << 16))
        if find(Array("word/document.xml".utf8), in: tail[...]) != nil || find(Array("word/document.xml".utf8), in: b.prefix(1 << 16)) != nil {
            return docx
        }
        return zip
    }

    /// For text-like content: an mbox starts with a `From ` line, a message with header fields.
    static func textKind(_ b: [UInt8]) -> String? {
        let head = String(decoding: b.prefix(2048), as: UTF8.self)
        if head.hasPrefix("From ") { return mbox }
        var fields = 0
        for line in head.split(separator: "\n", omittingEmptySubsequences: false).prefix(40) {
            if line.isEmpty || line == "\r" { break }
            if line.first == " " || line.first == "\t" { continue }
            guard let colon = line.firstIndex(of: ":"),
                line[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !line[..<colon].isEmpty
            else { return nil }
            let name = line[..<colon].lowercased()
            if ["from", "to", "subject", "date", "message-id", "received", "mime-version", "return-path", "delivered-to"].contains(name) {
                fields += 1
            }
        }
        return fields >= 2 ? eml : nil
    }

    public struct Choice: Sendable, Hashable {
        public var mediaType: String?
        public var warning: String?
    }

    /// The media type to read `bytes` named `fileName` as, with a warning when
    /// content and extension disagree; `known` are the media types some extractor reads.
    public static func choose(_ b: [UInt8], fileName: String, extensionTypes: [String: String]) -> Choice {
        let ext = fileExtension(fileName)
        let named = extensionTypes[ext]
        if let strong = byContent(b) {
            if let named, named != strong {
                return Choice(mediaType: strong, warning: "content-mismatch: the file is named .\(ext) but its content is \(strong); read as \(strong)")
            }
            return Choice(mediaType: strong)
        }
        let binaryNamed: Set<String> = [pdf, docx, odt, epub, zip]
        if let named, binaryNamed.contains(named) || named.hasPrefix("image/") {
            let actual = textKind(b) ?? "text/plain"
            return Choice(mediaType: actual, warning: "content-mismatch: the file is named .\(ext) but its content is text; read as \(actual)")
        }
        if ext.isEmpty, let kind = textKind(b) { return Choice(mediaType: kind) }
        if named == eml || named == mbox {
            let kind = textKind(b)
            if named == mbox, kind != mbox {
                return Choice(mediaType: eml, warning: "content-mismatch: the file is named .mbox but does not start with a 'From ' line; read as one message")
            }
        }
        return Choice(mediaType: named)
    }

    static func find(_ needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= hay.count, let first = needle.first else { return nil }
        var i = hay.startIndex
        let last = hay.endIndex - needle.count
        while i <= last {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return i - hay.startIndex }
            i += 1
        }
        return nil
    }
}
