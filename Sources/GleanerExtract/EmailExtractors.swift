import Foundation
import GleanerText

/// E-mail (`.eml`, RFC 5322 / MIME): the text part, or the HTML part through
/// the HTML extractor; subject, sender and date as metadata; the headers
/// kept for the view; attachments that are documents become documents of
/// their own (named after the message, see docs/FORMAT.md).
public struct EmailExtractor: Extractor {
    public let name = "email"
    public let version = "1.0.0"
    public let mediaTypes = [Sniffer.eml]
    public let extensions = ["eml"]
    public var isolated: Bool { true }

    public init() {}

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        [try Self.message(input.bytes[...], limits: input.limits, extractor: self)]
    }

    static let shownHeaders = ["From", "To", "Cc", "Date", "Subject", "Reply-To", "Organization"]

    static func message(_ bytes: ArraySlice<UInt8>, limits: ExtractLimits, extractor: some Extractor) throws(ExtractError) -> ExtractedDocument {
        let root = try MIME.parse(bytes, maxParts: limits.maxParts)
        guard !root.headers.isEmpty else { throw ExtractError(.malformed, "the message has no header fields") }
        var plain: MIMEPart?, html: MIMEPart?
        var attachments: [PendingAttachment] = []
        var warnings: [String] = []
        var index = 0
        func visit(_ part: MIMEPart, top: Bool) {
            index += 1
            let type = part.contentType.type
            if type.hasPrefix("multipart/") {
                for child in part.children { visit(child, top: false) }
                return
            }
            let isAttachment = part.disposition.type == "attachment" || (part.fileName != nil && !type.hasPrefix("text/"))
                || (part.fileName != nil && part.disposition.type != "inline")
            if !isAttachment && !(type == "message/rfc822") {
                if type == "text/plain" || type.isEmpty, plain == nil { plain = part; return }
                if type == "text/html", html == nil { html = part; return }
            }
            if !isAttachment && !top && !type.hasPrefix("message/") { return }
            var name = part.fileName ?? (type == "message/rfc822" ? "message-\(index).eml" : "part-\(index)")
            name = (name as NSString).lastPathComponent
            // Estimate before decoding: base64 is 4 bytes for 3.
            let estimate = (part.header("Content-Transfer-Encoding") ?? "").lowercased().contains("base64") ? part.body.count * 3 / 4 : part.body.count
            if estimate > limits.maxAttachmentBytes {
                warnings.append("attachment-too-large: '\(name)' (\(estimate) bytes) is larger than extract.max_attachment_bytes (\(limits.maxAttachmentBytes)) and was not read")
                return
            }
            let ext = Sniffer.fileExtension(name)
            let documentLike = Sniffer.byExtension[ext] != nil && !ext.isEmpty || type == "message/rfc822"
                || [Sniffer.pdf, Sniffer.docx, Sniffer.odt, Sniffer.epub].contains(type)
            guard documentLike else {
                warnings.append("attachment '\(name)' (\(type)) is not a document; not read")
                return
            }
            if ext.isEmpty || Sniffer.byExtension[ext] == nil {
                let extFor: [String: String] = [Sniffer.pdf: "pdf", Sniffer.docx: "docx", Sniffer.odt: "odt", Sniffer.epub: "epub", "message/rfc822": "eml"]
                if let e = extFor[type] { name += "." + e }
            }
            attachments.append(PendingAttachment(fileName: name, bytes: part.decodedBody))
        }
        visit(root, top: true)
        var text = ""
        var mediaType = Sniffer.eml
        if let plain, case let t = plain.text, t.contains(where: { !$0.isWhitespace }) {
            text = t
        } else if let html {
            text = HTMLExtractor.extract(html.text)
            mediaType = Sniffer.eml
        }
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        if plain?.contentType.parameters["format"]?.lowercased() == "flowed" { text = unflow(text) }
        var builder = TextBuilder()
        for p in text.components(separatedBy: "\n\n") { builder.paragraph(p) }
        let headers = shownHeaders.compactMap { n in root.header(n).map { ExtractedDocument.Header(name: n, value: $0) } }
        if builder.text.isEmpty {
            if attachments.isEmpty {
                throw ExtractError(.empty, "the message has no text part, no HTML part and no document attached")
            }
            warnings.append("the message has no text of its own; its attachments are documents of their own")
            builder.paragraph(root.header("Subject") ?? "(no subject)")
        }
        var doc = ExtractedDocument(
            text: builder.text, mediaType: mediaType, format: "eml", extractorName: extractor.name, extractorVersion: extractor.version,
            encoding: (plain ?? html)?.contentType.parameters["charset"]?.lowercased() ?? "utf-8",
            normalizations: builder.normalized ? ["nfc"] : [], title: root.header("Subject").flatMap { $0.isEmpty ? nil : $0 },
            authors: root.header("From").map { [sender($0)] } ?? [], published: root.header("Date").flatMap(DateText.iso8601),
            outlet: root.header("Organization"), headers: headers, warnings: warnings)
        doc.pendingAttachments = attachments
        return doc
    }

    /// "Jane Doe <jane@example.org>" → "Jane Doe"; a bare address stays.
    static func sender(_ from: String) -> String {
        if let lt = from.firstIndex(of: "<") {
            let name = MIMEHeaderText.unquote(from[..<lt].trimmed)
            if !name.isEmpty { return name }
            return String(from[from.index(after: lt)...].prefix { $0 != ">" })
        }
        return from.trimmed
    }

    /// format=flowed: a line ending in a space continues on the next.
    static func unflow(_ s: String) -> String {
        var out = ""
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            out += line
            out += line.hasSuffix(" ") && !line.hasPrefix("-- ") ? "" : "\n"
        }
        return out
    }
}

enum MIMEHeaderText {
    static func unquote(_ s: String) -> String {
        var t = s
        if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = String(t.dropFirst().dropLast()) }
        return t.replacingOccurrences(of: "\\\"", with: "\"").trimmed
    }
}

/// Mailboxes (`.mbox`): one document per message, split at `From ` lines.
public struct MboxExtractor: Extractor {
    public let name = "mbox"
    public let version = "1.0.0"
    public let mediaTypes = [Sniffer.mbox]
    public let extensions = ["mbox"]
    public var isolated: Bool { true }

    public init() {}

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        let messages = Self.split(input.bytes)
        if messages.count > input.limits.maxMessages {
            throw ExtractError(.tooManyParts, "the mailbox holds \(messages.count) messages, more than extract.max_messages (\(input.limits.maxMessages))")
        }
        var out: [ExtractedDocument] = []
        var failures: [String] = []
        for (i, m) in messages.enumerated() {
            do {
                var doc = try EmailExtractor.message(unescape(m), limits: input.limits, extractor: self)
                doc.format = "mbox"
                doc.suffix = "message"
                out.append(doc)
            } catch {
                failures.append("message \(i + 1): \(error.code): \(error.message)")
            }
        }
        guard !out.isEmpty else {
            throw ExtractError(.empty, "the mailbox holds no readable message" + (failures.first.map { " (\($0))" } ?? ""))
        }
        if !failures.isEmpty { out[0].warnings += failures.map { "skipped \($0)" } }
        return out
    }

    static func split(_ b: [UInt8]) -> [ArraySlice<UInt8>] {
        var starts: [Int] = []
        var i = 0
        var lineStart = true
        var previousBlank = true
        while i < b.count {
            if lineStart, previousBlank || starts.isEmpty, b.count - i >= 5, b[i] == 0x46, b[i + 1] == 0x72, b[i + 2] == 0x6F, b[i + 3] == 0x6D, b[i + 4] == 0x20 {
                starts.append(i)
            }
            var j = i
            while j < b.count && b[j] != 0x0A { j += 1 }
            let blank = j == i || (j == i + 1 && b[i] == 0x0D)
            previousBlank = blank
            lineStart = true
            i = j + 1
        }
        var out: [ArraySlice<UInt8>] = []
        for (k, s) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : b.count
            var lineEnd = s
            while lineEnd < end && b[lineEnd] != 0x0A { lineEnd += 1 }
            out.append(b[min(lineEnd + 1, end)..<end])
        }
        return out
    }

    /// mboxrd: ">From " at a line start was "From ".
    func unescape(_ m: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard m.firstRange(of: Array("\n>From ".utf8)) != nil else { return m }
        let s = String(decoding: m, as: UTF8.self).replacingOccurrences(of: "\n>From ", with: "\nFrom ")
        return Array(s.utf8)[...]
    }
}
