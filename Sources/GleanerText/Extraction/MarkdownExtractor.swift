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
            if line.hasPrefix(">") { line = String(line.drop(while: { $0 == ">" || $0 == " " || $0 == "\t" })) }
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
    ///
    /// Linear in the text: brackets, parentheses and backtick runs are matched once up front, so no
    /// position is scanned again however the marks nest or fail to close.
    static func inline(_ text: String) -> String {
        let c = Array(text.unicodeScalars)
        let n = c.count
        let marks = InlineMarks(c)
        var out = String.UnicodeScalarView()
        // Where a link's label ends, the scan resumes after its destination: `]` index → next index.
        var resume: [Int: Int] = [:]
        var i = 0
        while i < n {
            if let next = resume.removeValue(forKey: i) {
                i = next
                continue
            }
            let ch = c[i]
            // ![alt](url), [text](url) and [text][ref]: the label stays, the destination goes.
            let open = ch == "!" && i + 1 < n && c[i + 1] == "[" ? i + 1 : (ch == "[" ? i : -1)
            if open >= 0, let (labelEnd, next) = marks.link(at: open) {
                resume[labelEnd] = next
                i = open + 1
                continue
            }
            if ch == "`" {
                if let (ticks, close) = marks.codeSpan(at: i) {
                    out.append(contentsOf: c[(i + ticks)..<close])
                    i = close + ticks
                } else {
                    // An unmatched run is text, all of it at once.
                    var j = i
                    while j < n && c[j] == "`" { out.append(c[j]); j += 1 }
                    i = j
                }
                continue
            }
            if ch == "*" || ch == "~" || (ch == "_" && isBoundary(c, i)) {
                i += 1
                continue
            }
            if ch == "\\", i + 1 < n, c[i + 1].isASCII, c[i + 1].properties.isPatternSyntax {
                out.append(c[i + 1])
                i += 2
                continue
            }
            if ch == "<", i + 1 < n, c[i + 1].properties.isAlphabetic || c[i + 1] == "/",
                let close = c[(i + 1)..<min(n, i + 200)].firstIndex(of: ">")
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
}

/// The bracket, parenthesis and backtick structure of one paragraph, found in one pass each.
struct InlineMarks {
    /// For each `[`, the index of its matching `]`; for each `(`, its `)`; -1 when unmatched.
    private var match: [Int]
    /// For the first backtick of each maximal run: the start of the next run of the same length, or -1.
    private var nextRun: [Int: (ticks: Int, close: Int)] = [:]

    init(_ c: [Unicode.Scalar]) {
        match = [Int](repeating: -1, count: c.count)
        var brackets: [Int] = []
        var parens: [Int] = []
        var runs: [(start: Int, ticks: Int)] = []
        var i = 0
        while i < c.count {
            switch c[i] {
            case "[": brackets.append(i)
            case "]": if let o = brackets.popLast() { match[o] = i }
            case "(": parens.append(i)
            case ")": if let o = parens.popLast() { match[o] = i }
            case "`":
                var j = i
                while j < c.count && c[j] == "`" { j += 1 }
                runs.append((i, j - i))
                i = j
                continue
            default: break
            }
            i += 1
        }
        var following: [Int: Int] = [:]  // run length → start of the next run of that length
        for run in runs.reversed() {
            nextRun[run.start] = (run.ticks, following[run.ticks] ?? -1)
            following[run.ticks] = run.start
        }
    }

    /// `[label](target)` or `[label][ref]` at `open`: the index of the label's `]` and the index after the link.
    func link(at open: Int) -> (labelEnd: Int, next: Int)? {
        let close = match[open]
        guard close >= 0, close + 1 < match.count else { return nil }
        let destination = match[close + 1]
        guard destination >= 0 else { return nil }
        return (close, destination + 1)
    }

    /// A code span opening at `i`: its backtick count and where its closing run starts.
    func codeSpan(at i: Int) -> (ticks: Int, close: Int)? {
        guard let run = nextRun[i], run.close >= 0 else { return nil }
        return run
    }
}

extension String {
    fileprivate func trimmingTrailingHashes() -> String {
        var s = self
        while s.hasSuffix("#") { s.removeLast() }
        return s.trimmingWhitespace()
    }
}
