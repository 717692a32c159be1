import GleanerCore

/// Splits text into paragraphs.
///
/// A blank line always ends a paragraph. A single line break ends one too,
/// except inside hard-wrapped prose (a block of several long lines of similar
/// length, as e-mail and plain-text wires are written), where it is a soft wrap.
public struct ParagraphSplitter: Sendable {
    public init() {}

    public func split(_ text: DocumentText) -> [Span] {
        let s = text.scalars
        var lines: [Span] = []
        var start = 0
        for (i, c) in s.enumerated() where c == "\n" || c == "\u{2029}" || c == "\u{2028}" {
            lines.append(Span(start: start, end: i))
            start = i + 1
        }
        lines.append(Span(start: start, end: s.count))

        var paragraphs: [Span] = []
        var block: [Span] = []
        func flushBlock() {
            let content = block.compactMap { trim($0, s) }
            block = []
            guard !content.isEmpty else { return }
            if isHardWrapped(content) {
                if let first = content.first, let last = content.last { paragraphs.append(Span(start: first.start, end: last.end)) }
            } else {
                paragraphs.append(contentsOf: content)
            }
        }
        for line in lines {
            if trim(line, s) == nil { flushBlock() } else { block.append(line) }
        }
        flushBlock()
        return paragraphs
    }

    /// The line without leading and trailing white space, nil if blank.
    private func trim(_ span: Span, _ s: [Unicode.Scalar]) -> Span? {
        var a = span.start, b = span.end
        while a < b, s[a].properties.isWhitespace { a += 1 }
        while b > a, s[b - 1].properties.isWhitespace { b -= 1 }
        return a < b ? Span(start: a, end: b) : nil
    }

    /// Several lines, all but the last between 50 and 100 characters and within 25 of each other.
    private func isHardWrapped(_ lines: [Span]) -> Bool {
        guard lines.count >= 3 else { return false }
        let body = lines.dropLast().map(\.length)
        guard let lo = body.min(), let hi = body.max() else { return false }
        return lo >= 50 && hi <= 100 && hi - lo <= 25
    }
}
