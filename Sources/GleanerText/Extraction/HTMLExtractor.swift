/// Extracts readable text from HTML: scripts, styles and comments dropped,
/// character references decoded, white space collapsed as a browser would,
/// and block elements turned into paragraph breaks (a blank line).
///
/// A forgiving scanner, not a validating parser: real pages are malformed,
/// and a document must never be lost to a stray `<`. It works on the UTF-8
/// bytes: every byte that matters to markup (`<`, `>`, quotes, white space) is
/// ASCII and never part of a multi-byte character, so text runs are copied as
/// they are, without decoding them.
public enum HTMLExtractor {
    static let blockElements: Set<[UInt8]> = Set([
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
        "title", "tr", "ul",
    ].map { Array($0.utf8) })
    /// Elements whose content is never text a reader sees.
    static let hiddenElements: Set<[UInt8]> = Set(
        ["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas"].map { Array($0.utf8) })

    private static let lt: UInt8 = 0x3C, gt: UInt8 = 0x3E, slash: UInt8 = 0x2F, amp: UInt8 = 0x26

    public static func extract(_ html: String) -> String {
        var html = html
        return html.withUTF8 { extract(utf8: $0) }
    }

    static func extract(utf8 s: UnsafeBufferPointer<UInt8>) -> String {
        var paragraphs: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(1024)
        var preDepth = 0
        let n = s.count
        var i = 0

        func flush() {
            defer { current.removeAll(keepingCapacity: true) }
            let bytes = preDepth > 0 ? current : collapse(current)
            guard bytes.contains(where: { !isSpace($0) }) else { return }
            var text = String(decoding: bytes, as: UTF8.self)
            if bytes.contains(amp) { text = text.decodingHTMLEntities() }
            let trimmed = text.trimmingWhitespace()
            if !trimmed.isEmpty { paragraphs.append(trimmed) }
        }

        while i < n {
            // A run of text up to the next `<`, copied whole.
            var j = i
            while j < n && s[j] != lt { j += 1 }
            if j > i { current.append(contentsOf: UnsafeBufferPointer(rebasing: s[i..<j])) }
            if j >= n { break }
            i = j
            // Comments, doctype, CDATA.
            if matches(s, at: i, "<!--") {
                i = find(s, "-->", from: i + 4).map { $0 + 3 } ?? n
                continue
            }
            if matches(s, at: i, "<![CDATA[") {
                let end = find(s, "]]>", from: i + 9) ?? n
                current.append(contentsOf: UnsafeBufferPointer(rebasing: s[(i + 9)..<end]))
                i = min(n, end + 3)
                continue
            }
            if i + 1 < n, s[i + 1] == 0x21 || s[i + 1] == 0x3F {  // "<!" or "<?"
                var k = i
                while k < n && s[k] != gt { k += 1 }
                i = min(n, k + 1)
                continue
            }
            // A tag: `<name ...>` or `</name>`; anything else is a literal `<`.
            var k = i + 1
            let closing = k < n && s[k] == slash
            if closing { k += 1 }
            let nameStart = k
            // A name starts with a letter, as in a browser: "<3" and "< b" are text.
            if k < n, case let w = letterWidth(s, at: k), w > 0 {
                k += w
                while k < n, case let w = nameCharWidth(s, at: k), w > 0 { k += w }
            }
            guard k > nameStart else {
                current.append(lt)
                i += 1
                continue
            }
            let name = s[nameStart..<k].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            i = endOfTag(s, from: k)
            if !closing && hiddenElements.contains(name) {
                // Skip to the matching close tag, whatever is inside.
                i = findClosingTag(s, name: name, from: i) ?? n
                continue
            }
            if name == [0x70, 0x72, 0x65] {  // pre
                flush()
                preDepth = max(0, preDepth + (closing ? -1 : 1))
                continue
            }
            if blockElements.contains(name) {
                if name == [0x62, 0x72] && preDepth > 0 { current.append(0x0A) } else { flush() }  // br
            }
        }
        flush()
        return paragraphs.joined(separator: "\n\n")
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }

    /// The byte length of the tag-name character at `k` (an ASCII letter, digit or `-`, or a
    /// non-ASCII letter), or 0 when there is none: `<”` or `< ` is a literal `<`.
    @inline(__always) static func nameCharWidth(_ s: UnsafeBufferPointer<UInt8>, at k: Int) -> Int {
        let b = s[k]
        if b < 0x80 { return (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || (b >= 0x30 && b <= 0x39) || b == 0x2D ? 1 : 0 }
        return letterWidth(s, at: k)
    }

    /// The byte length of the letter (ASCII or not) at `k`, or 0.
    static func letterWidth(_ s: UnsafeBufferPointer<UInt8>, at k: Int) -> Int {
        let b = s[k]
        if b < 0x80 { return (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A ? 1 : 0 }
        let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard k + width <= s.count else { return 0 }
        var decoder = UTF8()
        var it = UnsafeBufferPointer(rebasing: s[k..<(k + width)]).makeIterator()
        if case .scalarValue(let c) = decoder.decode(&it), c.properties.isAlphabetic { return width }
        return 0
    }

    /// White space runs become one space, as a browser renders them; none is kept at the start.
    static func collapse(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var space = false
        for c in s {
            if isSpace(c) {
                space = true
            } else {
                if space && !out.isEmpty { out.append(0x20) }
                space = false
                out.append(c)
            }
        }
        if space { out.append(0x20) }
        return out
    }

    /// Case-insensitive match of an ASCII `literal` (tag names, `<!--`) at `i`.
    static func matches(_ s: UnsafeBufferPointer<UInt8>, at i: Int, _ literal: StaticString) -> Bool {
        matches(s, at: i, UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    static func matches(_ s: UnsafeBufferPointer<UInt8>, at i: Int, _ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        guard i + literal.count <= s.count else { return false }
        for (k, want) in literal.enumerated() {
            let v = s[i + k]
            let lower = v >= 0x41 && v <= 0x5A ? v + 0x20 : v
            let w = want >= 0x41 && want <= 0x5A ? want + 0x20 : want
            if lower != w { return false }
        }
        return true
    }

    static func find(_ s: UnsafeBufferPointer<UInt8>, _ literal: StaticString, from: Int) -> Int? {
        let first = literal.utf8Start.pointee
        var k = from
        while k < s.count {
            if s[k] == first && matches(s, at: k, literal) { return k }
            k += 1
        }
        return nil
    }

    /// The index after the tag's `>`, skipping `>` inside quoted attribute values.
    static func endOfTag(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var k = from
        var quote: UInt8 = 0
        while k < s.count {
            let c = s[k]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            } else if c == gt {
                return k + 1
            }
            k += 1
        }
        return s.count
    }

    /// The index after `</name…>`, for a close tag of exactly that name (`</scripts>` does not close `<script>`).
    static func findClosingTag(_ s: UnsafeBufferPointer<UInt8>, name: [UInt8], from: Int) -> Int? {
        let close = [lt, slash] + name
        var k = from
        while k < s.count {
            if s[k] == lt {
                let matched = close.withUnsafeBufferPointer { matches(s, at: k, $0) }
                if matched {
                    let after = k + close.count
                    if after >= s.count || letterWidth(s, at: after) == 0 { return endOfTag(s, from: after) }
                }
            }
            k += 1
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
