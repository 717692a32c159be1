/// Extracts readable text from HTML: scripts, styles and comments dropped,
/// character references decoded, white space collapsed as a browser would,
/// and block elements turned into paragraph breaks (a blank line).
///
/// A forgiving scanner, not a validating parser: real pages are malformed,
/// and a document must never be lost to a stray `<`.
public enum HTMLExtractor {
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
        "title", "tr", "ul",
    ]
    /// Elements whose content is never text a reader sees.
    static let hiddenElements: Set<String> = ["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas"]

    public static func extract(_ html: String) -> String {
        var paragraphs: [String] = []
        var current = ""
        var preDepth = 0
        let scalars = Array(html.unicodeScalars)
        var i = 0

        func flush() {
            let text = (preDepth > 0 ? current : collapse(current)).decodingHTMLEntities()
            let trimmed = text.trimmingWhitespace()
            if !trimmed.isEmpty { paragraphs.append(trimmed) }
            current = ""
        }

        while i < scalars.count {
            let c = scalars[i]
            guard c == "<" else {
                current.unicodeScalars.append(c)
                i += 1
                continue
            }
            // Comments, doctype, CDATA.
            if matches(scalars, at: i, "<!--") {
                i = find(scalars, "-->", from: i + 4).map { $0 + 3 } ?? scalars.count
                continue
            }
            if matches(scalars, at: i, "<![CDATA[") {
                let end = find(scalars, "]]>", from: i + 9) ?? scalars.count
                current.unicodeScalars.append(contentsOf: scalars[(i + 9)..<end])
                i = min(scalars.count, end + 3)
                continue
            }
            if i + 1 < scalars.count, scalars[i + 1] == "!" || scalars[i + 1] == "?" {
                i = (firstIndex(of: ">", in: scalars, from: i) ?? scalars.count - 1) + 1
                continue
            }
            // A tag: `<name ...>` or `</name>`; anything else is a literal `<`.
            var j = i + 1
            let closing = j < scalars.count && scalars[j] == "/"
            if closing { j += 1 }
            let nameStart = j
            while j < scalars.count, scalars[j].properties.isAlphabetic || ("0"..."9").contains(scalars[j]) || scalars[j] == "-" { j += 1 }
            guard j > nameStart else {
                current.unicodeScalars.append(c)
                i += 1
                continue
            }
            var nameView = String.UnicodeScalarView()
            nameView.append(contentsOf: scalars[nameStart..<j])
            let name = String(nameView).lowercased()
            let tagEnd = endOfTag(scalars, from: j)
            i = tagEnd
            if !closing && hiddenElements.contains(name) {
                // Skip to the matching close tag, whatever is inside.
                i = findClosingTag(scalars, name: name, from: i) ?? scalars.count
                continue
            }
            if name == "pre" {
                flush()
                preDepth = max(0, preDepth + (closing ? -1 : 1))
                continue
            }
            if blockElements.contains(name) {
                if name == "br" && preDepth > 0 { current.append("\n") } else { flush() }
            }
        }
        flush()
        return paragraphs.joined(separator: "\n\n")
    }

    static func collapse(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for c in s.unicodeScalars {
            if c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" {
                space = true
            } else {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                out.append(c)
            }
        }
        if space { out.append(" ") }
        return String(out)
    }

    /// Case-insensitive match of an ASCII `literal` (tag names, `<!--`) at `i`.
    static func matches(_ s: [Unicode.Scalar], at i: Int, _ literal: String) -> Bool {
        var k = i
        for c in literal.unicodeScalars {
            guard k < s.count else { return false }
            let v = s[k].value
            let lower = (0x41...0x5A).contains(v) ? v + 0x20 : v
            let want = (0x41...0x5A).contains(c.value) ? c.value + 0x20 : c.value
            guard lower == want else { return false }
            k += 1
        }
        return true
    }

    static func find(_ s: [Unicode.Scalar], _ literal: String, from: Int) -> Int? {
        guard let first = literal.unicodeScalars.first else { return nil }
        var k = from
        while k < s.count {
            if s[k] == first && matches(s, at: k, literal) { return k }
            k += 1
        }
        return nil
    }

    static func firstIndex(of c: Unicode.Scalar, in s: [Unicode.Scalar], from: Int) -> Int? {
        var k = from
        while k < s.count { if s[k] == c { return k }; k += 1 }
        return nil
    }

    /// The index after the tag's `>`, skipping `>` inside quoted attribute values.
    static func endOfTag(_ s: [Unicode.Scalar], from: Int) -> Int {
        var k = from
        var quote: Unicode.Scalar?
        while k < s.count {
            let c = s[k]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return k + 1
            }
            k += 1
        }
        return s.count
    }

    static func findClosingTag(_ s: [Unicode.Scalar], name: String, from: Int) -> Int? {
        var k = from
        while let lt = firstIndex(of: "<", in: s, from: k) {
            if matches(s, at: lt, "</" + name) {
                let after = lt + 2 + name.unicodeScalars.count
                if after >= s.count || !s[after].properties.isAlphabetic { return endOfTag(s, from: after) }
            }
            k = lt + 1
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
