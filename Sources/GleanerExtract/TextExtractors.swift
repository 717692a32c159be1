import Foundation
import GleanerText

/// Plain text, Markdown and HTML: GleanerText's extraction (decoding, markup,
/// NFC), plus the headline, date, authors and outlet the file states.
public struct PlainTextExtractor: Extractor {
    public let name = "text"
    public let version = "1.0.0"
    public let mediaTypes = ["text/plain", "text/markdown", "text/html"]
    public let extensions = ["txt", "text", "md", "markdown", "html", "htm", "xhtml"]

    public init() {}

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        // The name tells GleanerText which markup to strip.
        let ext: String
        switch input.mediaType {
        case "text/html": ext = "html"
        case "text/markdown": ext = "md"
        default: ext = "txt"
        }
        let extracted: ExtractedText
        do {
            extracted = try GleanerText.Extractor(maxBytes: input.limits.maxBytes).extract(input.bytes, fileName: "file.\(ext)")
        } catch {
            throw ExtractError(ExtractError.Code(error.code.rawValue), error.message)
        }
        var doc = ExtractedDocument(
            text: extracted.text, mediaType: extracted.mediaType, format: Self.format(extracted.mediaType), extractorName: name,
            extractorVersion: version, encoding: extracted.encoding, normalizations: extracted.normalizations)
        switch extracted.mediaType {
        case "text/html":
            let head = (try? TextDecoder.decode(Array(input.bytes.prefix(1 << 18))).string) ?? ""
            let m = HTMLMetadata.read(head)
            doc.title = m.title
            doc.authors = m.authors
            doc.published = m.published
            doc.outlet = m.outlet
        case "text/markdown":
            let raw = (try? TextDecoder.decode(Array(input.bytes.prefix(1 << 16))).string) ?? ""
            let m = MarkdownMetadata.read(raw)
            doc.title = m.title
            doc.authors = m.authors
            doc.published = m.published
            doc.outlet = m.outlet
        default:
            doc.title = PlainTextMetadata.headline(extracted.text)
        }
        return [doc]
    }

    static func format(_ type: String) -> String {
        switch type {
        case "text/html": "html"
        case "text/markdown": "markdown"
        default: "text"
        }
    }
}

/// What a document says about itself: headline, authors, date, outlet.
public struct StatedMetadata: Sendable, Hashable {
    public var title: String?
    public var authors: [String] = []
    public var published: String?
    public var outlet: String?
}

/// `<title>`, Open Graph and article meta tags, `<time datetime>`, bylines.
public enum HTMLMetadata {
    public static func read(_ html: String) -> StatedMetadata {
        var m = StatedMetadata()
        var meta: [String: String] = [:]
        var authors: [String] = []
        var firstTime: String?
        var titleTag: String?
        var h1: String?
        let s = html
        var i = s.startIndex
        while let lt = s[i...].firstIndex(of: "<") {
            guard let gt = s[lt...].firstIndex(of: ">") else { break }
            let tag = s[s.index(after: lt)..<gt]
            let nameEnd = tag.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "/" || $0 == "\r" }) ?? tag.endIndex
            let tagName = tag[..<nameEnd].lowercased()
            i = s.index(after: gt)
            switch tagName {
            case "meta":
                let a = attributes(tag[nameEnd...])
                guard let content = a["content"]?.trimmed, !content.isEmpty else { continue }
                let key = (a["property"] ?? a["name"] ?? a["itemprop"] ?? "").lowercased()
                if key.isEmpty { continue }
                if ["author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author"].contains(key) {
                    authors.append(content)
                } else if meta[key] == nil {
                    meta[key] = content
                }
            case "title":
                if titleTag == nil, let end = s[i...].range(of: "</title", options: .caseInsensitive) {
                    titleTag = text(String(s[i..<end.lowerBound]))
                }
            case "h1":
                if h1 == nil, let end = s[i...].range(of: "</h1", options: .caseInsensitive) {
                    h1 = text(String(s[i..<end.lowerBound]))
                }
            case "time":
                if firstTime == nil, let dt = attributes(tag[nameEnd...])["datetime"] { firstTime = dt }
            case "a", "span", "div", "p", "address":
                let a = attributes(tag[nameEnd...])
                let rel = (a["rel"] ?? "").lowercased(), prop = (a["itemprop"] ?? "").lowercased()
                if rel == "author" || prop == "author" {
                    if let end = s[i...].range(of: "</\(tagName)", options: .caseInsensitive) {
                        let t = text(String(s[i..<end.lowerBound]))
                        if !t.isEmpty && t.count <= 80 { authors.append(t) }
                    }
                }
            case "script", "style":
                if let end = s[i...].range(of: "</\(tagName)", options: .caseInsensitive) { i = end.upperBound }
            default: break
            }
        }
        m.outlet = meta["og:site_name"] ?? meta["application-name"] ?? meta["dc.publisher"]
        var title = meta["og:title"] ?? meta["twitter:title"] ?? meta["dc.title"] ?? meta["title"]
        if title == nil, var t = titleTag, !t.isEmpty {
            // "Headline | Outlet": drop the outlet the page names.
            if let outlet = m.outlet {
                for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] where t.hasSuffix(sep + outlet) {
                    t = String(t.dropLast(sep.count + outlet.count))
                }
            }
            title = t
        }
        if title == nil, let h1, !h1.isEmpty { title = h1 }
        m.title = title.map { text($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let dateKeys = [
            "article:published_time", "datepublished", "og:article:published_time", "date", "pubdate", "publishdate", "publish-date",
            "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
        ]
        m.published = dateKeys.lazy.compactMap { meta[$0] }.compactMap(DateText.iso8601).first ?? firstTime.flatMap(DateText.iso8601)
        var seen = Set<String>()
        m.authors = authors.map(cleanByline).filter { !$0.isEmpty && !$0.hasPrefix("http") && seen.insert($0).inserted }
        return m
    }

    /// "By Jane Doe" → "Jane Doe".
    static func cleanByline(_ s: String) -> String {
        var t = text(s)
        for prefix in ["By ", "by ", "BY "] where t.hasPrefix(prefix) { t = String(t.dropFirst(prefix.count)) }
        return t.trimmed
    }

    /// Inner text of a fragment: tags dropped, references decoded, white space collapsed.
    static func text(_ fragment: String) -> String {
        HTMLExtractor.extract(fragment).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    static func attributes(_ s: Substring) -> [String: String] {
        var out: [String: String] = [:]
        let c = Array(s.unicodeScalars)
        var i = 0
        while i < c.count {
            while i < c.count, c[i].properties.isWhitespace || c[i] == "/" { i += 1 }
            let nameStart = i
            while i < c.count, !c[i].properties.isWhitespace, c[i] != "=", c[i] != "/" { i += 1 }
            let name = String(String.UnicodeScalarView(c[nameStart..<i])).lowercased()
            while i < c.count, c[i].properties.isWhitespace { i += 1 }
            var value = ""
            if i < c.count, c[i] == "=" {
                i += 1
                while i < c.count, c[i].properties.isWhitespace { i += 1 }
                if i < c.count, c[i] == "\"" || c[i] == "'" {
                    let q = c[i]
                    i += 1
                    let vs = i
                    while i < c.count, c[i] != q { i += 1 }
                    value = String(String.UnicodeScalarView(c[vs..<i]))
                    i += 1
                } else {
                    let vs = i
                    while i < c.count, !c[i].properties.isWhitespace { i += 1 }
                    value = String(String.UnicodeScalarView(c[vs..<i]))
                }
            }
            if !name.isEmpty, out[name] == nil { out[name] = value.contains("&") ? text(value) : value }
            if i == nameStart { i += 1 }
        }
        return out
    }
}

/// YAML front matter (`title`, `author`/`authors`, `date`, `publisher`/`site`), else the first heading.
public enum MarkdownMetadata {
    public static func read(_ markdown: String) -> StatedMetadata {
        var m = StatedMetadata()
        var lines = markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.first == "---", let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) {
            var listKey: String?
            for line in lines[1..<end] {
                let t = line.trimmed
                if t.hasPrefix("- "), let key = listKey {
                    if key == "author" || key == "authors" { m.authors.append(unquote(String(t.dropFirst(2)))) }
                    continue
                }
                guard let colon = t.firstIndex(of: ":"), !line.hasPrefix(" ") else { continue }
                let key = t[..<colon].lowercased().trimmed
                let value = unquote(String(t[t.index(after: colon)...]))
                listKey = value.isEmpty ? key : nil
                guard !value.isEmpty else { continue }
                switch key {
                case "title": m.title = value
                case "author", "authors", "byline":
                    if value.hasPrefix("[") {
                        m.authors += value.dropFirst().dropLast().split(separator: ",").map { unquote(String($0)) }
                    } else {
                        m.authors.append(value)
                    }
                case "date", "published", "pubdate": m.published = DateText.iso8601(value)
                case "publisher", "site", "outlet", "source": m.outlet = value
                default: break
                }
            }
            lines.removeSubrange(0...end)
        }
        if m.title == nil {
            var previous = ""
            for line in lines {
                let t = line.trimmed
                if t.hasPrefix("# ") {
                    m.title = MarkdownExtractor.extract(t).trimmed
                    break
                }
                if !previous.isEmpty, !t.isEmpty, t.allSatisfy({ $0 == "=" }) {
                    m.title = MarkdownExtractor.extract(previous).trimmed
                    break
                }
                if !t.isEmpty { previous = t }
            }
        }
        m.authors = m.authors.filter { !$0.isEmpty }
        if m.title?.isEmpty == true { m.title = nil }
        return m
    }

    static func unquote(_ s: String) -> String {
        var t = s.trimmed
        if t.count >= 2, let f = t.first, let l = t.last, (f == "\"" && l == "\"") || (f == "'" && l == "'") {
            t = String(t.dropFirst().dropLast())
        }
        return t
    }
}

/// The headline of a plain-text article: its first line, when that line stands
/// alone (a blank line follows), is short, and does not read as a sentence.
public enum PlainTextMetadata {
    public static func headline(_ text: String) -> String? {
        guard let breakRange = text.range(of: "\n\n") else { return nil }
        let first = text[..<breakRange.lowerBound]
        guard !first.contains("\n") else { return nil }
        let line = first.trimmed
        let rest = text[breakRange.upperBound...]
        guard rest.count > line.count, line.count >= 3, line.count <= 200 else { return nil }
        guard let last = line.last, !".,;:-–—".contains(last) else { return nil }
        let words = line.split(separator: " ")
        guard words.count >= 2, words.count <= 30 else { return nil }
        guard line.contains(where: \.isLetter) else { return nil }
        return line
    }
}

/// Dates as sources write them → ISO 8601.
public enum DateText {
    public static func iso8601(_ s: String) -> String? {
        let t = s.trimmed
        let scalars = Array(t.unicodeScalars)
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= scalars.count && r.allSatisfy { ("0"..."9").contains(scalars[$0]) } }
        // Already ISO 8601: 2024-03-05, 2024-03-05T10:00:00Z, 2024-03-05 10:00:00+01:00
        if digits(0..<4), scalars.count >= 10, scalars[4] == "-", digits(5..<7), scalars[7] == "-", digits(8..<10) {
            if scalars.count == 10 { return t }
            if scalars[10] == "T" || scalars[10] == " " {
                var iso = t
                if scalars[10] == " " { iso = String(t.prefix(10)) + "T" + String(t.dropFirst(11)) }
                return iso.replacingOccurrences(of: " ", with: "")
            }
            return String(t.prefix(10))
        }
        // PDF dates: D:20240305101500+01'00'
        if t.hasPrefix("D:") || (digits(0..<8) && scalars.count >= 8) {
            let d = t.hasPrefix("D:") ? String(t.dropFirst(2)) : t
            let c = Array(d)
            guard c.count >= 8, c[0..<8].allSatisfy(\.isNumber) else { return nil }
            var iso = "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))"
            if c.count >= 14, c[8..<14].allSatisfy(\.isNumber) {
                iso += "T\(String(c[8..<10])):\(String(c[10..<12])):\(String(c[12..<14]))"
                let tz = String(c[14...]).replacingOccurrences(of: "'", with: "")
                if tz.hasPrefix("Z") { iso += "Z" } else if tz.count >= 5, tz.first == "+" || tz.first == "-" {
                    iso += "\(tz.prefix(3)):\(tz.dropFirst(3).prefix(2))"
                }
            }
            return iso
        }
        // RFC 5322: "Tue, 5 Mar 2024 10:15:00 +0100"
        for format in ["EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z", "EEE, d MMM yyyy HH:mm:ss zzz"] {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = format
            let cleaned = t.replacingOccurrences(of: #"\s*\([^)]*\)\s*$"#, with: "", options: .regularExpression)
            if let date = f.date(from: cleaned) {
                let out = ISO8601DateFormatter()
                out.formatOptions = [.withInternetDateTime]
                return out.string(from: date)
            }
        }
        return nil
    }
}

extension StringProtocol {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
