import Foundation
import GleanerText

/// Word documents (OOXML, `.docx`): body paragraphs and tables from
/// word/document.xml, footnotes and endnotes after the body, core properties
/// (title, creator, created) as metadata.
public struct DOCXExtractor: Extractor {
    public let name = "docx"
    public let version = "1.0.0"
    public let mediaTypes = [Sniffer.docx]
    public let extensions = ["docx"]
    public var isolated: Bool { true }

    public init() {}

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        var zip = try SafeZip(input.bytes, limits: input.limits, format: "DOCX")
        guard let body = try zip.read("word/document.xml") else {
            throw ExtractError(.malformed, "the DOCX file has no word/document.xml")
        }
        let flow = FlowCollector()
        try Self.walk(body, part: "word/document.xml", into: flow, notes: false)
        for part in ["word/footnotes.xml", "word/endnotes.xml"] {
            if let data = try zip.read(part) { try Self.walk(data, part: part, into: flow, notes: true) }
        }
        var doc = assemble(flow, format: "docx", mediaType: Sniffer.docx, name: name, version: version)
        if let core = try zip.read("docProps/core.xml") {
            let f = try XMLFields.read(core, part: "docProps/core.xml", names: ["dc:title", "dc:creator", "dcterms:created"])
            doc.title = f["dc:title"]?.first
            doc.authors = f["dc:creator"] ?? []
            doc.published = f["dcterms:created"]?.first.flatMap(DateText.iso8601)
        }
        return [doc]
    }

    static func walk(_ data: Data, part: String, into flow: FlowCollector, notes: Bool) throws(ExtractError) {
        var inText = false
        var skip = 0
        try XMLWalk.run(data, part: part, start: { name, attributes in
            if skip > 0 { if name == "mc:Fallback" || name == "w:del" { skip += 1 }; return }
            switch name {
            case "w:p": flow.beginParagraph()
            case "w:t": inText = true
            case "w:tab": flow.text("\t")
            case "w:br", "w:cr": flow.text("\n")
            case "w:noBreakHyphen": flow.text("-")
            case "w:tbl": flow.beginTable()
            case "mc:Fallback", "w:del": skip = 1
            case "w:footnote", "w:endnote":
                let type = attributes["w:type"] ?? ""
                if type == "separator" || type == "continuationSeparator" || type == "continuationNotice" { skip = 1 } else { flow.noteDepth += 1 }
            default: break
            }
        }, end: { name in
            if skip > 0 {
                if name == "mc:Fallback" || name == "w:del" || name == "w:footnote" || name == "w:endnote" { skip -= 1 }
                return
            }
            switch name {
            case "w:p": flow.endParagraph()
            case "w:t": inText = false
            case "w:tc": flow.endCell()
            case "w:tr": flow.endRow()
            case "w:tbl": flow.endTable()
            case "w:footnote", "w:endnote": flow.noteDepth -= 1
            default: break
            }
        }, text: { s in if inText && skip == 0 { flow.text(s) } })
        _ = notes
    }
}

/// OpenDocument text (`.odt`): paragraphs, headings, lists and tables from
/// content.xml, notes after the body, meta.xml as metadata.
public struct ODTExtractor: Extractor {
    public let name = "odt"
    public let version = "1.0.0"
    public let mediaTypes = [Sniffer.odt]
    public let extensions = ["odt"]
    public var isolated: Bool { true }

    public init() {}

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        var zip = try SafeZip(input.bytes, limits: input.limits, format: "ODT")
        guard let content = try zip.read("content.xml") else { throw ExtractError(.malformed, "the ODT file has no content.xml") }
        let flow = FlowCollector()
        var skip = 0
        var inBody = false
        try XMLWalk.run(content, part: "content.xml", start: { name, attributes in
            if name == "office:text" { inBody = true }
            guard inBody else { return }
            if skip > 0 {
                if ["text:note-citation", "office:annotation", "text:tracked-changes"].contains(name) { skip += 1 }
                return
            }
            switch name {
            case "text:p", "text:h": flow.beginParagraph()
            case "text:s": flow.text(String(repeating: " ", count: max(1, min(Int(attributes["text:c"] ?? "1") ?? 1, 1000))))
            case "text:tab": flow.text("\t")
            case "text:line-break": flow.text("\n")
            case "table:table": flow.beginTable()
            case "text:note": flow.noteDepth += 1
            case "text:note-citation", "office:annotation", "text:tracked-changes": skip = 1
            default: break
            }
        }, end: { name in
            guard inBody else { return }
            if skip > 0 {
                if ["text:note-citation", "office:annotation", "text:tracked-changes"].contains(name) { skip -= 1 }
                return
            }
            switch name {
            case "text:p", "text:h": flow.endParagraph()
            case "table:table-cell", "table:covered-table-cell": flow.endCell()
            case "table:table-row": flow.endRow()
            case "table:table": flow.endTable()
            case "text:note": flow.noteDepth -= 1
            case "office:text": inBody = false
            default: break
            }
        }, text: { s in
            if inBody && skip == 0 { flow.text(s.utf8.contains(10) ? s.replacingOccurrences(of: "\n", with: " ") : s) }
        })
        var doc = assemble(flow, format: "odt", mediaType: Sniffer.odt, name: name, version: version)
        if let meta = try zip.read("meta.xml") {
            let f = try XMLFields.read(meta, part: "meta.xml", names: ["dc:title", "meta:initial-creator", "dc:creator", "meta:creation-date", "dc:date"])
            doc.title = f["dc:title"]?.first
            doc.authors = f["meta:initial-creator"] ?? f["dc:creator"] ?? []
            doc.published = (f["meta:creation-date"]?.first ?? f["dc:date"]?.first).flatMap(DateText.iso8601)
        }
        return [doc]
    }
}

/// Body paragraphs, then notes as a part of their own.
func assemble(_ flow: FlowCollector, format: String, mediaType: String, name: String, version: String) -> ExtractedDocument {
    var builder = TextBuilder()
    for p in flow.paragraphs { builder.paragraph(p) }
    var parts: [SourcePart] = []
    if !flow.notes.isEmpty {
        let start = builder.nextStart
        for n in flow.notes { builder.paragraph(n) }
        parts.append(SourcePart(kind: "footnotes", start: start, end: builder.scalars))
    }
    return ExtractedDocument(
        text: builder.text, mediaType: mediaType, format: format, extractorName: name, extractorVersion: version,
        normalizations: builder.normalized ? ["nfc"] : [], parts: parts)
}

/// E-books (`.epub`): the XHTML documents of the spine, in reading order,
/// through the HTML extractor; the package's Dublin Core metadata.
public struct EPUBExtractor: Extractor {
    public let name = "epub"
    public let version = "1.0.0"
    public let mediaTypes = [Sniffer.epub]
    public let extensions = ["epub"]
    public var isolated: Bool { true }

    public init() {}

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        var zip = try SafeZip(input.bytes, limits: input.limits, format: "EPUB")
        guard let container = try zip.read("META-INF/container.xml") else {
            throw ExtractError(.malformed, "the EPUB file has no META-INF/container.xml")
        }
        var opfPath: String?
        try XMLWalk.run(container, part: "META-INF/container.xml", start: { name, a in
            if name == "rootfile" || name.hasSuffix(":rootfile"), opfPath == nil { opfPath = a["full-path"] }
        }, end: { _ in }, text: { _ in })
        guard let opfPath, let opf = try zip.read(opfPath) else {
            throw ExtractError(.malformed, "the EPUB file names no readable package document")
        }
        var manifest: [String: (href: String, type: String)] = [:]
        var spine: [String] = []
        var fields: [String: [String]] = [:]
        var current: String?
        var buffer = ""
        try XMLWalk.run(opf, part: opfPath, start: { name, a in
            let local = name.split(separator: ":").last.map(String.init) ?? name
            switch local {
            case "item": if let id = a["id"], let href = a["href"] { manifest[id] = (href, a["media-type"] ?? "") }
            case "itemref": if let id = a["idref"], a["linear"] != "no" { spine.append(id) }
            case "title", "creator", "date", "publisher":
                if name.hasPrefix("dc:") { current = local; buffer = "" }
            default: break
            }
        }, end: { name in
            let local = name.split(separator: ":").last.map(String.init) ?? name
            if local == current {
                let t = buffer.trimmed
                if !t.isEmpty { fields[local, default: []].append(t) }
                current = nil
            }
        }, text: { s in if current != nil { buffer += s } })
        let base = (opfPath as NSString).deletingLastPathComponent
        var builder = TextBuilder()
        var parts: [SourcePart] = []
        var warnings: [String] = []
        for (i, id) in spine.enumerated() {
            guard let item = manifest[id] else { continue }
            let href = (item.href.split(separator: "#").first.map(String.init) ?? item.href).removingPercentEncoding ?? item.href
            let path = base.isEmpty ? href : ((base as NSString).appendingPathComponent(href) as NSString).standardizingPath
            guard let data = try zip.read(path) else {
                warnings.append("the spine names \(path), which the EPUB does not hold")
                continue
            }
            let html: String
            do { html = try TextDecoder.decode([UInt8](data)).string } catch {
                warnings.append("\(path): \(error.message)")
                continue
            }
            let start = builder.nextStart
            let before = builder.scalars
            for p in HTMLExtractor.extract(html).components(separatedBy: "\n\n") { builder.paragraph(p) }
            if builder.scalars > before {
                parts.append(SourcePart(kind: "chapter", start: start, end: builder.scalars, number: i + 1))
            }
        }
        return [ExtractedDocument(
            text: builder.text, mediaType: Sniffer.epub, format: "epub", extractorName: name, extractorVersion: version,
            normalizations: builder.normalized ? ["nfc"] : [], title: fields["title"]?.first, authors: fields["creator"] ?? [],
            published: fields["date"]?.first.flatMap(DateText.iso8601), outlet: fields["publisher"]?.first, parts: parts,
            warnings: warnings)]
    }
}
