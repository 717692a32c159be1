import GleanerCore

/// A word, number or punctuation token of the quote scanner. Scalars are never
/// copied: a token is a range plus a hash of its lowercased form, so lexicon
/// look-ups cost one dictionary probe and no String.
struct QToken {
    enum Kind: UInt8 { case word, number, punct, mark }
    var start: Int
    var end: Int
    var kind: Kind
    /// FNV-1a of the lowercased scalars (’ folded to ').
    var hash: UInt64
    /// First scalar is an uppercase letter.
    var isCapitalized: Bool
    /// A word that keeps its period ("No.", "Mr.", "U.S.").
    var isAbbreviation: Bool = false
    /// The token ends a sentence (a period, ! or ? that is followed by a new sentence).
    var endsSentence: Bool = false
    /// First token of its paragraph.
    var startsParagraph: Bool = false
    /// Index of the paragraph.
    var paragraph: Int = 0
    /// The top-level quote this token lies inside (content or its marks), or -1.
    var quote: Int = -1
}

enum Scalars {
    @inline(__always) static func isLetter(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return (s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A }
        return s.properties.isAlphabetic
    }
    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
    @inline(__always) static func isAlnum(_ s: Unicode.Scalar) -> Bool { isLetter(s) || isDigit(s) }
    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x202F, 0x2009, 0x200A, 0x2007, 0x3000, 0x2028, 0x2029: return true
        default: return s.value > 0x2000 && s.value < 0x200B
        }
    }
    @inline(__always) static func isNewline(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x0A || s.value == 0x0D || s.value == 0x2029
    }
    @inline(__always) static func isUpper(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s.value >= 0x41 && s.value <= 0x5A }
        return s.properties.isUppercase
    }
    @inline(__always) static func isApostrophe(_ s: Unicode.Scalar) -> Bool { s.value == 0x27 || s.value == 0x2019 }
    /// Any character that can be a quotation mark.
    @inline(__always) static func isMark(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x22, 0x27, 0x201C, 0x201D, 0x201E, 0x201F, 0x00AB, 0x00BB, 0x2039, 0x203A, 0x2018, 0x2019, 0x201A, 0x201B,
             0x60, 0x300C, 0x300D:
            return true
        default: return false
        }
    }
    @inline(__always) static func lower(_ s: Unicode.Scalar) -> UInt32 {
        let v = s.value
        if v < 0x80 { return (v >= 0x41 && v <= 0x5A) ? v | 0x20 : v }
        if v == 0x2019 { return 0x27 }
        if v < 0x250, v >= 0xC0 {
            // Latin-1 and Latin Extended-A: lowercase by the common rules, no table.
            if v >= 0xC0 && v <= 0xDE && v != 0xD7 { return v + 0x20 }
            if v >= 0x100 && v <= 0x17F && v % 2 == 0 && v != 0x130 { return v + 1 }
            return v
        }
        if s.properties.isUppercase, let l = s.properties.lowercaseMapping.unicodeScalars.first { return l.value }
        return v
    }
}

@inline(__always) func fnvStart() -> UInt64 { 0xcbf29ce484222325 }
@inline(__always) func fnvAdd(_ h: UInt64, _ v: UInt32) -> UInt64 {
    var h = h
    h ^= UInt64(v)
    h = h &* 0x100000001b3
    return h
}

/// The hash of a lowercase string, for building lexicons.
func lexHash(_ s: String) -> UInt64 {
    var h = fnvStart()
    for u in s.unicodeScalars { h = fnvAdd(h, Scalars.lower(u)) }
    return h
}

/// Splits text into tokens, with paragraph and sentence boundaries.
struct QTokenizer {
    static func tokenize(_ s: [Unicode.Scalar], paragraphs: [Span], abbreviations: WordSet) -> [QToken] {
        var out: [QToken] = []
        out.reserveCapacity(s.count / 4)
        for (pi, p) in paragraphs.enumerated() {
            var i = p.start
            let end = min(p.end, s.count)
            var first = true
            while i < end {
                let c = s[i]
                if Scalars.isSpace(c) { i += 1; continue }
                // Markup left in the text (<tweet id="…">) holds no quotations.
                if c.value == 0x3C, i + 1 < end, Scalars.isLetter(s[i + 1]) || s[i + 1].value == 0x2F {
                    var j = i + 1
                    while j < end, j - i < 400, s[j].value != 0x3E, s[j].value != 0x3C { j += 1 }
                    if j < end, s[j].value == 0x3E { i = j + 1; continue }
                }
                var t: QToken
                if Scalars.isAlnum(c) {
                    var j = i + 1
                    var h = fnvAdd(fnvStart(), Scalars.lower(c))
                    var allDigits = Scalars.isDigit(c)
                    while j < end {
                        let d = s[j]
                        if Scalars.isAlnum(d) || (d.value >= 0x300 && d.properties.generalCategory == .nonspacingMark) {
                            if !Scalars.isDigit(d) { allDigits = false }
                            h = fnvAdd(h, Scalars.lower(d)); j += 1; continue
                        }
                        // Inner hyphen, apostrophe, period (U.S.), comma or period in numbers.
                        if j + 1 < end, Scalars.isAlnum(s[j + 1]) {
                            let v = d.value
                            if v == 0x2D || v == 0x2010 || v == 0x2011 || Scalars.isApostrophe(d)
                                || (v == 0x2E && (allDigits || (j - i == 1 && j + 2 < end && s[j + 2].value == 0x2E)
                                    || (!Scalars.isLetter(s[j - 2 >= 0 ? j - 2 : j]) || j - 2 < i) && (j + 2 >= end || !Scalars.isLetter(s[j + 2]))))
                                || (v == 0x2C && allDigits && Scalars.isDigit(s[j + 1]))
                            {
                                h = fnvAdd(h, Scalars.lower(d)); j += 1; continue
                            }
                        }
                        break
                    }
                    t = QToken(start: i, end: j, kind: allDigits ? .number : .word, hash: h, isCapitalized: Scalars.isUpper(c))
                    // An abbreviation keeps its period: "No.", "Mr.", "U.S.", initials.
                    if j < end, s[j].value == 0x2E, !allDigits {
                        let single = j - i == 1 && Scalars.isUpper(c)
                        let numero = h == lexHash("no") && Scalars.isUpper(c) && j + 2 < end && Scalars.isDigit(s[j + 2])
                        if single || numero || abbreviations.contains(h) || (j - i >= 3 && s[j - 2].value == 0x2E) {
                            t.end = j + 1
                            t.isAbbreviation = true
                        }
                    }
                    i = t.end
                } else if Scalars.isMark(c) {
                    // '' and `` are one mark.
                    var j = i + 1
                    if j < end, (c.value == 0x27 || c.value == 0x60), s[j] == c { j += 1 }
                    t = QToken(start: i, end: j, kind: .mark, hash: UInt64(c.value), isCapitalized: false)
                    i = j
                } else {
                    var j = i + 1
                    // "..." is one token.
                    if c.value == 0x2E { while j < end, s[j].value == 0x2E { j += 1 } }
                    t = QToken(start: i, end: j, kind: .punct, hash: fnvAdd(fnvStart(), c.value), isCapitalized: false)
                    i = j
                }
                t.paragraph = pi
                t.startsParagraph = first
                first = false
                out.append(t)
            }
        }
        // Sentence ends: . ! ? … followed by a capital, a mark, a number or the paragraph end.
        for k in out.indices where out[k].kind == .punct {
            let c = s[out[k].start].value
            guard c == 0x2E || c == 0x21 || c == 0x3F || c == 0x2026 else { continue }
            var n = k + 1
            while n < out.count, out[n].kind == .mark || (out[n].kind == .punct && s[out[n].start].value == 0x29) { n += 1 }
            if n >= out.count || out[n].startsParagraph || out[n].isCapitalized || out[n].kind == .number {
                out[max(k, n - 1)].endsSentence = true
                if n - 1 > k { out[k].endsSentence = true }
            }
        }
        let usHash = lexHash("u.s"), etcHash = lexHash("etc")
        for k in out.indices where out[k].isAbbreviation {
            // "the Chinese No. 1." keeps going; "in the U.S. The" ends.
            let n = k + 1
            if n < out.count, !out[n].startsParagraph, out[n].isCapitalized, out[k].hash == usHash || out[k].hash == etcHash {
                out[k].endsSentence = true
            }
        }
        return out
    }
}

/// Paragraphs from the layer, or lines and blank-line blocks when there is none.
func paragraphSpans(_ s: [Unicode.Scalar]) -> [Span] {
    var out: [Span] = []
    var start = 0
    var i = 0
    while i <= s.count {
        if i == s.count || Scalars.isNewline(s[i]) {
            var a = start, b = i
            while a < b, Scalars.isSpace(s[a]) { a += 1 }
            while b > a, Scalars.isSpace(s[b - 1]) { b -= 1 }
            if b > a { out.append(Span(start: a, end: b)) }
            start = i + 1
        }
        i += 1
    }
    return out
}
