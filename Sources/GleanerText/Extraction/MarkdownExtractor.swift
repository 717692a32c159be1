/// Extracts prose from Markdown: headings, list items and paragraphs become
/// paragraphs (separated by a blank line); emphasis, links, images, inline
/// code marks, HTML tags, block-quote markers and front matter are stripped.
/// Fenced code keeps its content (it may be quoted text) without the fences.
public enum MarkdownExtractor {
    public static func extract(_ markdown: String) -> String {
        var paragraphs: [String] = []
        var current: [String] = []
        var inFence: String?
        var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        // YAML front matter.
        if lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") {
            lines.removeSubrange(0...end)
        }

        func flush() {
            let joined = current.joined(separator: " ").trimmingWhitespace()
            if !joined.isEmpty { paragraphs.append(inline(joined)) }
            current = []
        }

        for raw in lines {
            var line = raw
            let trimmed = line.trimmingWhitespace()
            if let fence = inFence {
                if trimmed.hasPrefix(fence) { inFence = nil; flush() } else { current.append(line) }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                flush()
                inFence = String(trimmed.prefix(3))
                continue
            }
            if trimmed.isEmpty { flush(); continue }
            // Horizontal rules and setext underlines.
            if trimmed.count >= 3, Set(trimmed.filter { $0 != " " }).count == 1, let ch = trimmed.first, "-*_=".contains(ch) {
                flush()
                continue
            }
            // Reference-style link definitions.
            if trimmed.hasPrefix("["), trimmed.contains("]:") { continue }
            line = trimmed
            // Block quotes.
            while line.hasPrefix(">") { line = String(line.dropFirst()).trimmingWhitespace() }
            // Headings stand alone.
            if line.hasPrefix("#") {
                let text = line.drop(while: { $0 == "#" }).trimmingWhitespace()
                flush()
                current = [String(text).trimmingTrailingHashes()]
                flush()
                continue
            }
            // List items start a paragraph of their own.
            if let item = listItemContent(line) {
                flush()
                current = [item]
                continue
            }
            // Tables: drop separator rows, turn pipes into spaces.
            if line.hasPrefix("|") {
                if line.allSatisfy({ "|-: ".contains($0) }) { continue }
                line = line.split(separator: "|").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
            }
            current.append(line)
        }
        flush()
        return paragraphs.joined(separator: "\n\n")
    }

    static func listItemContent(_ line: String) -> String? {
        let chars = Array(line)
        guard let first = chars.first else { return nil }
        if "-*+".contains(first), chars.count > 1, chars[1] == " " {
            return String(chars.dropFirst(2)).trimmingWhitespace()
        }
        var k = 0
        while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
        if k > 0, k < 10, k + 1 < chars.count, chars[k] == "." || chars[k] == ")", chars[k + 1] == " " {
            return String(chars.dropFirst(k + 2)).trimmingWhitespace()
        }
        return nil
    }

    /// Strips inline markup: images, links, code spans, emphasis, tags, hard-break backslashes.
    static func inline(_ text: String) -> String {
        let c = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < c.count {
            let ch = c[i]
            // ![alt](url) and [text](url) / [text][ref]
            if ch == "!" && i + 1 < c.count && c[i + 1] == "[", let (label, next) = link(c, at: i + 1) {
                out.append(contentsOf: label.unicodeScalars)
                i = next
                continue
            }
            if ch == "[", let (label, next) = link(c, at: i) {
                out.append(contentsOf: inline(label).unicodeScalars)
                i = next
                continue
            }
            if ch == "`" {
                var ticks = 0
                while i + ticks < c.count && c[i + ticks] == "`" { ticks += 1 }
                var j = i + ticks
                while j < c.count {
                    if c[j] == "`" {
                        var n = 0
                        while j + n < c.count && c[j + n] == "`" { n += 1 }
                        if n == ticks { break }
                        j += n
                    } else {
                        j += 1
                    }
                }
                if j < c.count {
                    out.append(contentsOf: c[(i + ticks)..<j])
                    i = j + ticks
                    continue
                }
            }
            if ch == "*" || ch == "~" || (ch == "_" && isBoundary(c, i)) {
                i += 1
                continue
            }
            if ch == "\\", i + 1 < c.count, c[i + 1].isASCII, c[i + 1].properties.isPatternSyntax {
                out.append(c[i + 1])
                i += 2
                continue
            }
            if ch == "<", let close = c[i...].firstIndex(of: ">"), close - i < 200,
                i + 1 < c.count, c[i + 1].properties.isAlphabetic || c[i + 1] == "/"
            {
                // Autolinks keep their address; other inline tags go.
                let inner = String(String.UnicodeScalarView(c[(i + 1)..<close]))
                if inner.hasPrefix("http://") || inner.hasPrefix("https://") || inner.hasPrefix("mailto:") {
                    out.append(contentsOf: inner.unicodeScalars)
                }
                i = close + 1
                continue
            }
            out.append(ch)
            i += 1
        }
        return String(out).decodingHTMLEntities()
    }

    /// `_` marks emphasis only at a word boundary (snake_case stays intact).
    static func isBoundary(_ c: [Unicode.Scalar], _ i: Int) -> Bool {
        let before = i > 0 ? c[i - 1] : " "
        let after = i + 1 < c.count ? c[i + 1] : " "
        let isWord: (Unicode.Scalar) -> Bool = { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        return !(isWord(before) && isWord(after))
    }

    /// Parses `[label](target)` or `[label][ref]` at `i`; returns the label and the index after it.
    static func link(_ c: [Unicode.Scalar], at i: Int) -> (String, Int)? {
        var depth = 0
        var j = i
        while j < c.count {
            if c[j] == "[" { depth += 1 }
            if c[j] == "]" { depth -= 1; if depth == 0 { break } }
            j += 1
        }
        guard j < c.count, j + 1 < c.count else { return nil }
        let label = String(String.UnicodeScalarView(c[(i + 1)..<j]))
        let open = c[j + 1]
        guard open == "(" || open == "[" else { return nil }
        let close: Unicode.Scalar = open == "(" ? ")" : "]"
        var k = j + 2
        var nested = 0
        while k < c.count {
            if c[k] == open { nested += 1 }
            if c[k] == close { if nested == 0 { break }; nested -= 1 }
            k += 1
        }
        guard k < c.count else { return nil }
        return (label, k + 1)
    }
}

extension String {
    fileprivate func trimmingTrailingHashes() -> String {
        var s = self
        while s.hasSuffix("#") { s.removeLast() }
        return s.trimmingWhitespace()
    }
}
