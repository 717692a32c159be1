import Foundation
import GleanerCore

/// A Unicode-aware tokenizer for news text.
///
/// Words keep inner hyphens ("re-election") and apostrophes ("L’Obs",
/// "aujourd’hui"); English clitics split off as CoNLL does ("Russia" "’s",
/// "do" "n’t"). Every quotation mark is a token of its own, so the quote
/// extractor can read its direction from its neighbours. Titles and dotted
/// acronyms keep their period ("Mr.", "No. 1", "U.S."). Han characters are one
/// token each. Offsets are Unicode scalar offsets.
public struct Tokenizer: Sendable {
    public init() {}

    public func tokenize(_ text: DocumentText) -> [Token] {
        tokenize(text.scalars, in: 0..<text.scalars.count)
    }

    public func tokenize(_ s: [Unicode.Scalar], in range: Range<Int>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(range.count / 5)
        let n = range.upperBound
        var i = range.lowerBound
        while i < n {
            let cls = CharacterClass.of(s[i])
            switch cls {
            case .space, .newline, .joiner:
                i += 1
            case .letter, .digit, .mark:
                i = scanWord(s, from: i, end: n, into: &tokens)
            case .ideograph:
                tokens.append(Token(span: Span(start: i, end: i + 1), kind: .word))
                i += 1
            case .apostrophe, .quote:
                // `` and '' are one quotation mark written with two characters.
                var end = i + 1
                if end < n, s[end] == s[i], s[i] == "'" || s[i] == "`" { end += 1 }
                tokens.append(Token(span: Span(start: i, end: end), kind: .quote))
                i = end
            case .period, .hyphen:
                var end = i + 1
                while end < n, s[end] == s[i] { end += 1 }
                tokens.append(Token(span: Span(start: i, end: end), kind: .punctuation))
                i = end
            case .terminal:
                var end = i + 1
                while end < n, CharacterClass.of(s[end]) == .terminal { end += 1 }
                tokens.append(Token(span: Span(start: i, end: end), kind: .punctuation))
                i = end
            case .punctuation:
                tokens.append(Token(span: Span(start: i, end: i + 1), kind: .punctuation))
                i += 1
            case .symbol:
                tokens.append(Token(span: Span(start: i, end: i + 1), kind: .symbol))
                i += 1
            case .emoji:
                var end = i + 1
                while end < n {
                    let c = CharacterClass.of(s[end])
                    if c == .joiner || c == .mark {
                        end += 1
                    } else if c == .emoji && s[end - 1] == "\u{200D}" {
                        end += 1
                    } else if (0x1F1E6...0x1F1FF).contains(s[end].value) && (0x1F1E6...0x1F1FF).contains(s[end - 1].value)
                        && (end - i) % 2 == 1
                    {
                        end += 1  // a flag: two regional indicators
                    } else {
                        break
                    }
                }
                tokens.append(Token(span: Span(start: i, end: end), kind: .emoji))
                i = end
            }
        }
        return tokens
    }

    @inline(__always)
    private func cls(_ s: [Unicode.Scalar], _ k: Int, _ n: Int) -> CharacterClass? {
        k < n ? CharacterClass.of(s[k]) : nil
    }

    /// Scans a word or number starting at `start`; appends one or two tokens; returns the index after them.
    private func scanWord(_ s: [Unicode.Scalar], from start: Int, end n: Int, into tokens: inout [Token]) -> Int {
        let startsWithDigit = CharacterClass.of(s[start]) == .digit
        var j = start
        var allDigits = true
        var letters = 0
        while j < n {
            let c = CharacterClass.of(s[j])
            if c == .letter || c == .mark {
                allDigits = false
                letters += 1
                j += 1
                continue
            }
            if c == .digit { j += 1; continue }
            guard j > start, let next = cls(s, j + 1, n) else { break }
            let prevIsDigit = CharacterClass.of(s[j - 1]) == .digit
            switch c {
            case .apostrophe where next == .letter:
                if let split = cliticSplit(s, apostrophe: j, wordStart: start, end: n) {
                    tokens.append(Token(span: Span(start: start, end: split.wordEnd), kind: startsWithDigit ? .number : .word))
                    tokens.append(Token(span: Span(start: split.wordEnd, end: split.cliticEnd), kind: .word))
                    return split.cliticEnd
                }
                j += 1
                continue
            case .hyphen where next.isWordPart:
                j += 1
                continue
            case .period where prevIsDigit && next == .digit && allDigits:
                j += 1  // 3.5, 1.000
                continue
            case .punctuation where (s[j] == "," || s[j] == ":" || s[j] == "/") && prevIsDigit && next == .digit && allDigits:
                j += 1  // 1,000  10:30  15/09
                continue
            case .punctuation where s[j] == ":" && next == .punctuation && isURLScheme(s, start, j, n):
                return appendURL(s, from: start, end: n, into: &tokens)
            case .period:
                if let end = abbreviationEnd(s, wordStart: start, period: j, end: n, letters: letters) {
                    tokens.append(Token(span: Span(start: start, end: end), kind: .word, isAbbreviation: true))
                    return end
                }
                if isWWW(s, start, j) { return appendURL(s, from: start, end: n, into: &tokens) }
            default:
                break
            }
            break
        }
        tokens.append(Token(span: Span(start: start, end: j), kind: startsWithDigit ? .number : .word))
        return j
    }

    /// English clitics split off the word: ’s ’re ’ve ’ll ’d ’m and n’t.
    private func cliticSplit(_ s: [Unicode.Scalar], apostrophe a: Int, wordStart: Int, end n: Int)
        -> (wordEnd: Int, cliticEnd: Int)?
    {
        var k = a + 1
        while k < n, CharacterClass.of(s[k]) == .letter { k += 1 }
        guard k - (a + 1) <= 2 else { return nil }
        var tail = ""
        for c in s[(a + 1)..<k] { tail.unicodeScalars.append(c) }
        switch tail.lowercased() {
        case "s", "re", "ve", "ll", "d", "m":
            return (a, k)
        case "t" where a - 1 > wordStart && (s[a - 1] == "n" || s[a - 1] == "N"):
            return (a - 1, k)
        default:
            return nil
        }
    }

    /// Where an abbreviation that ends with the period at `period` ends, or nil.
    private func abbreviationEnd(_ s: [Unicode.Scalar], wordStart: Int, period: Int, end n: Int, letters: Int) -> Int? {
        let length = period - wordStart
        // Dotted acronyms: U.S., e.g., a.m., U.S.A.
        if length == 1, letters == 1 {
            var k = period
            var groups = 1
            while k + 2 < n || k + 1 < n {
                guard s[k] == ".", k + 1 < n, CharacterClass.of(s[k + 1]) == .letter,
                    k + 2 < n, s[k + 2] == "."
                else { break }
                k += 2
                groups += 1
            }
            if groups > 1 { return k + 1 }
            // A single capital initial before a capitalised word: "J. K. Rowling".
            if s[wordStart].properties.isUppercase, period + 2 < n, s[period + 1] == " ",
                s[period + 2].properties.isUppercase
            {
                return period + 1
            }
        }
        guard length <= 6, letters == length else { return nil }
        var word = ""
        for c in s[wordStart..<period] { word.unicodeScalars.append(c) }
        let lower = word.lowercased()
        if Abbreviations.beforeNumbers.contains(lower) {
            var k = period + 1
            while k < n, s[k] == " " { k += 1 }
            return k < n && CharacterClass.of(s[k]) == .digit ? period + 1 : nil
        }
        if Abbreviations.titles.contains(lower) || Abbreviations.others.contains(lower) {
            // "St." and "Co." are words too; only count as abbreviations when written capitalised or lower-case in full.
            return period + 1
        }
        return nil
    }

    /// Whether the word the tokenizer is scanning is written with a title abbreviation's period.
    static func isTitle(_ word: String) -> Bool {
        Abbreviations.titles.contains(word.lowercased().trimmingCharacters(in: ["."]))
    }

    private func isURLScheme(_ s: [Unicode.Scalar], _ start: Int, _ colon: Int, _ n: Int) -> Bool {
        guard colon + 2 < n, s[colon + 1] == "/", s[colon + 2] == "/" else { return false }
        var scheme = ""
        for c in s[start..<colon] { scheme.unicodeScalars.append(c) }
        return ["http", "https", "ftp"].contains(scheme.lowercased())
    }

    private func isWWW(_ s: [Unicode.Scalar], _ start: Int, _ period: Int) -> Bool {
        period - start == 3 && s[start] == "w" && s[start + 1] == "w" && s[start + 2] == "w"
    }

    /// A URL runs to the next space; trailing punctuation stays outside it.
    private func appendURL(_ s: [Unicode.Scalar], from start: Int, end n: Int, into tokens: inout [Token]) -> Int {
        var k = start
        while k < n {
            let c = CharacterClass.of(s[k])
            if c == .space || c == .newline || c == .quote || (c == .apostrophe && s[k] != "'") { break }
            k += 1
        }
        while k > start, ".,;:!?)]'".unicodeScalars.contains(s[k - 1]) { k -= 1 }
        tokens.append(Token(span: Span(start: start, end: k), kind: .symbol))
        return k
    }
}
