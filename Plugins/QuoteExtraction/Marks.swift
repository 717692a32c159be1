import GleanerCore

/// One quoted stretch inside one paragraph, found from its marks.
struct MarkedQuote {
    /// Token index of the opening mark, or -1 when the paragraph continues a quotation without a mark.
    var openToken: Int
    /// Token index of the closing mark, or -1 when the quotation runs to the paragraph's end.
    var closeToken: Int
    /// The content, without marks or surrounding spaces.
    var content: Span
    var paragraph: Int
    /// Index of the first piece of a quotation that runs over several paragraphs (its own index otherwise).
    var group: Int
}

/// Reads quotation marks: the direction of each mark from its neighbours (flanking,
/// as CommonMark reads emphasis), then pairs them per paragraph with recovery for
/// malformed, unclosed and nested marks. It never fails: in the worst case a mark is ignored.
enum MarkReader {
    enum Level { case double, single }
    enum Style { case open, close, either }

    struct Info {
        var level: Level
        /// What the character is by typography alone.
        var style: Style
        var canOpen: Bool
        var canClose: Bool
        var spaced: Bool
    }

    static func info(_ s: [Unicode.Scalar], _ t: QToken) -> Info? {
        let c = s[t.start].value
        let prev: Unicode.Scalar? = t.start > 0 ? s[t.start - 1] : nil
        let next: Unicode.Scalar? = t.end < s.count ? s[t.end] : nil
        let prevSpace = prev.map { Scalars.isSpace($0) } ?? true
        let nextSpace = next.map { Scalars.isSpace($0) } ?? true
        let prevAlnum = prev.map { Scalars.isAlnum($0) } ?? false
        let nextAlnum = next.map { Scalars.isAlnum($0) } ?? false
        var canOpen = !nextSpace && (prevSpace || !prevAlnum)
        var canClose = !prevSpace && (nextSpace || !nextAlnum)
        // Punctuation before and a letter after opens ("(“Yes" / ",“Yes"); a letter before and
        // punctuation after closes. When punctuation is on both sides, both remain possible.
        if canOpen && canClose {
            if let p = prev, let n = next {
                if Scalars.isAlnum(n) && !Scalars.isAlnum(p) && ".,;:!?…)".unicodeScalars.contains(p) == false { canClose = false }
                else if Scalars.isAlnum(p) { canOpen = false }
            }
        }
        let level: Level
        let style: Style
        switch c {
        case 0x201C: level = .double; style = .either  // “ opens in English, closes in German
        case 0x201E, 0x60, 0x300C: level = .double; style = .open
        case 0x00AB, 0x00BB: level = .double; style = .either
        case 0x201D, 0x300D: level = .double; style = .close
        case 0x201F: level = .double; style = .open
        case 0x22: level = .double; style = .either
        case 0x27:
            if t.end - t.start == 2 { level = .double; style = .either } else { level = .single; style = .either }
        case 0x2018, 0x201A, 0x201B: level = .single; style = .open
        case 0x2039, 0x203A: level = .single; style = .either
        case 0x2019: level = .single; style = .close
        default: return nil
        }
        // Guillemets often have a space inside: « texte ».
        // »Reversed« guillemets (German, Danish) are read from their flanks when those are clear.
        if c == 0x00AB || c == 0x2039 {
            if prevAlnum && !nextAlnum { canClose = true; canOpen = false } else { canOpen = true; canClose = false }
        }
        if c == 0x00BB || c == 0x203A {
            if (prevSpace || !prevAlnum) && nextAlnum { canOpen = true; canClose = false } else { canClose = true; canOpen = false }
        }
        // An apostrophe between letters or before a digit ('90s, don't) is no mark.
        if c == 0x2019 || c == 0x27 && t.end - t.start == 1 {
            if prevAlnum && nextAlnum { return nil }
            if let n = next, Scalars.isDigit(n), prevSpace || prev == nil { return nil }
        }
        return Info(level: level, style: style, canOpen: canOpen, canClose: canClose, spaced: prevSpace && nextSpace)
    }

    /// Pairs the marks of all paragraphs. Sets `quote` on the tokens inside each quote.
    static func read(_ s: [Unicode.Scalar], _ tokens: inout [QToken], paragraphCount: Int) -> [MarkedQuote] {
        var quotes: [MarkedQuote] = []
        var k = 0
        var carry = false  // the previous paragraph ended inside a quotation
        var carryGroup = -1
        while k < tokens.count {
            let p = tokens[k].paragraph
            var e = k
            while e < tokens.count, tokens[e].paragraph == p { e += 1 }
            // Stack of open marks: (token, level).
            var stack: [(Int, Level, UInt32)] = []
            var doubleOpen = -1  // token of the open top-level mark
            var topLevel: Level = .double
            var continuing = false

            func emit(_ open: Int, _ close: Int) {
                let a = open >= 0 ? tokens[open].end : tokens[k].start
                let b = close >= 0 ? tokens[close].start : tokens[e - 1].end
                guard let span = trimmed(s, a, b), !span.isEmpty else { return }
                let idx = quotes.count
                var group = idx
                if open == k, continuing, carryGroup >= 0 { group = carryGroup }
                quotes.append(MarkedQuote(openToken: open, closeToken: close, content: span, paragraph: p, group: group))
            }

            func emitUnclosedBefore(_ m: Int) {
                // Cut the unclosed quotation at the last sentence end before the new mark.
                var cut = m
                var j = m - 1
                while j > doubleOpen {
                    if tokens[j].endsSentence { cut = j + 1; break }
                    j -= 1
                }
                if cut > doubleOpen + 1 {
                    let a = tokens[doubleOpen].end
                    let b = tokens[cut - 1].end
                    if let span = trimmed(s, a, b), !span.isEmpty {
                        quotes.append(MarkedQuote(openToken: doubleOpen, closeToken: -1, content: span, paragraph: p, group: quotes.count))
                    }
                }
            }

            func hasSingleCloser(after m: Int, before e: Int) -> Bool {
                var j = m + 1
                while j < e {
                    if tokens[j].kind == .mark, let i = info(s, tokens[j]), i.level == .single, i.canClose, i.style != .open { return true }
                    j += 1
                }
                return false
            }

            for m in k..<e where tokens[m].kind == .mark {
                guard let inf = info(s, tokens[m]) else { continue }
                let ch = s[tokens[m].start].value
                let isFirstToken = m == k
                if stack.isEmpty {
                    // Nothing open: does this mark open?
                    var opens: Bool
                    switch inf.style {
                    case .open: opens = inf.canOpen || inf.spaced || !inf.canClose
                    case .close: opens = inf.canOpen && !inf.canClose && (isFirstToken || ch != 0x2019)
                    case .either: opens = inf.canOpen || (inf.spaced && inf.level == .double)
                    }
                    // A closing-style mark that starts a paragraph is a misprinted opener.
                    if isFirstToken && inf.level == .double && (inf.spaced || !inf.canClose) { opens = true }
                    if inf.level == .single && ch == 0x2019 { opens = false }
                    if opens && inf.level == .single && !hasSingleCloser(after: m, before: e) { opens = false }
                    // A mark that starts a paragraph after an unclosed one reopens the quotation.
                    if isFirstToken && carry && inf.level == .double { opens = true; continuing = true }
                    if opens {
                        stack.append((m, inf.level, ch))
                        doubleOpen = m
                        topLevel = inf.level
                    }
                    continue
                }
                // Something is open.
                let top = stack[stack.count - 1]
                if inf.level == .single && top.1 == .double {
                    // Nested single quotes inside a double quotation.
                    if inf.canOpen && !inf.canClose && inf.style != .close { stack.append((m, .single, ch)) }
                    continue
                }
                if inf.level == .single && top.1 == .single {
                    if inf.canClose && inf.style != .open {
                        stack.removeLast()
                        if stack.isEmpty { emit(doubleOpen, m) }
                    } else if inf.canOpen && inf.style != .close && stack.count < 4 {
                        stack.append((m, .single, ch))
                    }
                    continue
                }
                // A double mark while something is open.
                if topLevel == .single && stack.count == 1 {
                    // Double quotes nested inside single top-level quotes (British style).
                    if inf.canOpen && !inf.canClose { stack.append((m, .double, ch)) }
                    continue
                }
                // Drop unclosed single marks (apostrophes) above the double one.
                while let last = stack.last, last.1 == .single, stack.count > 1 { stack.removeLast() }
                // « … “inner” … »: inside guillemets, another kind of double mark that opens is a nested
                // quotation (French, Spanish, Italian usage); it must not cut the outer one short.
                if stack.count < 4, let bottom = stack.first, bottom.2 == 0x00AB || bottom.2 == 0x00BB,
                   ch != 0x00AB && ch != 0x00BB, inf.canOpen && !inf.canClose, inf.style != .close
                {
                    stack.append((m, .double, ch))
                    continue
                }
                let closes: Bool
                switch inf.style {
                case .close: closes = true
                case .open:
                    // „ or « while open: a new quotation (the previous one was never closed).
                    closes = false
                case .either:
                    if inf.canClose { closes = true }
                    else if inf.canOpen { closes = false }
                    else { closes = true }  // spaced or glued on both sides: closes what is open
                }
                if closes {
                    if stack.count > 1 {
                        stack.removeLast()  // closes a nested double quotation
                    } else {
                        stack.removeAll()
                        emit(doubleOpen, m)
                        doubleOpen = -1
                    }
                } else {
                    // A new opener while one is open: the open quotation ends before it.
                    if stack.count == 1 {
                        emitUnclosedBefore(m)
                        stack = [(m, inf.level, ch)]
                        doubleOpen = m
                        topLevel = inf.level
                    } else if stack.count < 4 {
                        stack.append((m, inf.level, ch))
                    }
                }

            }
            carry = false
            if let bottom = stack.first, bottom.1 == .double || topLevel == .double, doubleOpen >= 0 {
                // Unclosed at the paragraph's end: the quotation runs to the end; the next paragraph may reopen.
                let before = quotes.count
                emit(doubleOpen, -1)
                if quotes.count > before {
                    let nextStartsWithMark = e < tokens.count && tokens[e].kind == .mark
                    carry = nextStartsWithMark
                    carryGroup = quotes[quotes.count - 1].group
                }
            } else if !stack.isEmpty && topLevel == .single {
                // An unclosed single mark was an apostrophe.
            }
            k = e
        }
        // Mark tokens inside each quote (marks included).
        for (qi, q) in quotes.enumerated() {
            var a = q.openToken >= 0 ? q.openToken : firstToken(tokens, at: q.content.start)
            let b = q.closeToken >= 0 ? q.closeToken : lastToken(tokens, endingAt: q.content.end)
            if a < 0 { a = 0 }
            guard a <= b else { continue }
            for t in a...b where tokens[t].quote < 0 { tokens[t].quote = qi }
        }
        return quotes
    }

    static func trimmed(_ s: [Unicode.Scalar], _ a: Int, _ b: Int) -> Span? {
        var a = a, b = b
        guard a <= b else { return nil }
        while a < b, Scalars.isSpace(s[a]) { a += 1 }
        while b > a, Scalars.isSpace(s[b - 1]) { b -= 1 }
        return Span(start: a, end: b)
    }

    static func firstToken(_ tokens: [QToken], at offset: Int) -> Int {
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].end <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < tokens.count ? lo : -1
    }

    static func lastToken(_ tokens: [QToken], endingAt offset: Int) -> Int {
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].start < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }
}
