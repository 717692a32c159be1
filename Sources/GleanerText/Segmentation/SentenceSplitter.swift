import GleanerCore

/// Splits a paragraph's tokens into sentences.
///
/// A sentence ends at terminal punctuation (. ! ? … 。 ？ ！ ।), taking along
/// the closing quotation marks and brackets that follow it, when the next
/// token starts a sentence: a capital, a digit, an opening quotation mark, or
/// a letter of a script without case. Titles ("Mr.", "No.") never end one.
public struct SentenceSplitter: Sendable {
    public init() {}

    public func split(_ tokens: [Token], in tokenRange: Range<Int>, text: DocumentText) -> [Sentence] {
        let s = text.scalars
        var sentences: [Sentence] = []
        var first = tokenRange.lowerBound
        var k = tokenRange.lowerBound
        while k < tokenRange.upperBound {
            let token = tokens[k]
            var boundary = false
            var last = k
            if isTerminal(token, s) || (token.isAbbreviation && mayEndSentence(token, s)) {
                // Closing marks glued to the terminal belong to this sentence.
                var m = k + 1
                while m < tokenRange.upperBound, tokens[m].span.start == tokens[m - 1].span.end,
                    tokens[m].kind == .quote || isClosingBracket(tokens[m], s)
                {
                    m += 1
                }
                last = m - 1
                if m >= tokenRange.upperBound {
                    boundary = true
                } else {
                    let firstScalar = s[tokens[m].span.start]
                    let strong = isStrongTerminal(token, s)
                    boundary = startsSentence(tokens[m], firstScalar: firstScalar, afterStrong: strong)
                    if token.isAbbreviation { boundary = boundary && firstScalar.properties.isUppercase }
                }
            }
            if boundary {
                sentences.append(makeSentence(tokens, first..<(last + 1)))
                first = last + 1
                k = last + 1
            } else {
                k += 1
            }
        }
        if first < tokenRange.upperBound {
            sentences.append(makeSentence(tokens, first..<tokenRange.upperBound))
        }
        return sentences
    }

    private func makeSentence(_ tokens: [Token], _ range: Range<Int>) -> Sentence {
        Sentence(span: Span(start: tokens[range.lowerBound].span.start, end: tokens[range.upperBound - 1].span.end), tokens: range)
    }

    private func isTerminal(_ t: Token, _ s: [Unicode.Scalar]) -> Bool {
        guard t.kind == .punctuation else { return false }
        let c = s[t.span.start]
        return c == "." || CharacterClass.of(c) == .terminal
    }

    /// CJK and Indic stops end a sentence whatever follows.
    private func isStrongTerminal(_ t: Token, _ s: [Unicode.Scalar]) -> Bool {
        let c = s[t.span.start].value
        return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x0964 || c == 0x0965
    }

    private func mayEndSentence(_ t: Token, _ s: [Unicode.Scalar]) -> Bool {
        var word = ""
        for c in s[t.span.start..<(t.span.end - 1)] { word.unicodeScalars.append(c) }
        let lower = word.lowercased()
        if Abbreviations.titles.contains(lower) || Abbreviations.beforeNumbers.contains(lower) { return false }
        // Initials ("J.") do not end sentences; dotted acronyms ("U.S.") and "etc." may.
        return t.span.length > 2
    }

    private func isClosingBracket(_ t: Token, _ s: [Unicode.Scalar]) -> Bool {
        let c = s[t.span.start]
        return c == ")" || c == "]" || c == "}"
    }

    private func startsSentence(_ t: Token, firstScalar c: Unicode.Scalar, afterStrong: Bool) -> Bool {
        if afterStrong { return true }
        switch t.kind {
        case .quote, .number, .emoji: return true
        case .punctuation: return c == "(" || c == "[" || c == "\u{2013}" || c == "\u{2014}" || c == "¿" || c == "¡"
        case .symbol: return c == "$" || c == "€" || c == "£"
        case .word:
            let p = c.properties
            return p.isUppercase || p.generalCategory == .titlecaseLetter || (!p.isLowercase && !p.changesWhenCaseMapped)
        }
    }
}
