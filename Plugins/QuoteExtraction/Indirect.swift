import GleanerCore

/// Reported speech without quotation marks, attributed by a clear cue in its sentence:
/// "X said that …", "X a déclaré que …", "X sagte, dass …" (a cue and a complementizer);
/// "Según X, …", "Laut X …" (an attribution phrase opening the sentence); "…, dijo el ministro.",
/// "…, sagte er.", "…, a-t-il ajouté." (a short cue clause closing the sentence). Sentences that hold a
/// quotation mark are left to the marked quotations. The words are the language's own (`Lex`).
extension Extractor {
    /// Fewest words of reported content.
    static let minIndirectWords = 4

    func indirect() -> [Found] {
        guard lx.covered else { return [] }
        var out: [Found] = []
        var a = 0
        while a < tokens.count {
            var b = a
            let p = tokens[a].paragraph
            while b < tokens.count, tokens[b].paragraph == p {
                b += 1
                if tokens[b - 1].endsSentence { break }
            }
            if let f = indirect(in: a, b) { out.append(f) }
            a = b
        }
        return out
    }

    private func found(_ from: Int, _ to: Int, speaker r: Range<Int>, cue: Span?, startOffset: Int? = nil, pronounInside: Bool = false) -> Found? {
        guard from < to else { return nil }
        let a = startOffset ?? tokens[from].start
        guard let content = MarkReader.trimmed(s, a, tokens[to - 1].end), !content.isEmpty else { return nil }
        var words = 0
        for k in from..<to where tokens[k].kind == .word || tokens[k].kind == .number { words += 1 }
        guard words >= Extractor.minIndirectWords else { return nil }
        // A speaker is a name, a pronoun or a noun phrase with its determiner; never a bare lowercase word.
        let h = tokens[r.lowerBound]
        guard pronounInside || h.isCapitalized || isPronoun(r.lowerBound) || lx.determiners.contains(h.hash) else { return nil }
        let q = MarkedQuote(openToken: -1, closeToken: -1, content: content, paragraph: tokens[from].paragraph, group: -1)
        return Found(q: q, kind: .indirect, attribution: Attribution(cue: cue, speaker: span(r), speakerTokens: r))
    }

    private func cueSpan(_ i: Int) -> Span { Span(start: tokens[i].start, end: tokens[i].end) }

    /// A complementizer at token `j` ("que", "dass", "that"), or one elided into the next word ("qu'il"):
    /// the offset where the reported clause starts.
    private func complementizer(at j: Int) -> Int? {
        let t = tokens[j]
        guard t.kind == .word else { return nil }
        if lx.complementizers.contains(t.hash) { return t.end }
        // "qu'il", "qu’elle": the complementizer elided before a vowel, one token with its next word.
        var k = t.start
        while k < t.end, !Scalars.isApostrophe(s[k]) { k += 1 }
        guard k > t.start, k + 1 < t.end else { return nil }
        var h = fnvStart()
        for x in t.start...k { h = fnvAdd(h, Scalars.lower(s[x])) }
        return lx.complementizers.contains(h) ? t.start : nil
    }

    private func indirect(in a: Int, _ b: Int) -> Found? {
        guard b - a >= 5 else { return nil }
        for k in a..<b where tokens[k].quote >= 0 || tokens[k].kind == .mark { return nil }
        var e = b
        while e > a, tokens[e - 1].kind == .punct { e -= 1 }
        var lo = a
        while lo < e, tokens[lo].kind == .word, lx.leadingConjunctions.contains(tokens[lo].hash) { lo += 1 }
        guard e - lo >= 5 else { return nil }

        // "Según X, …", "Laut X wird …", "According to X, …".
        if let n = lx.attribution(at: lo, tokens), let r = npAfter(lo + n, upperBound: e), r.upperBound < e {
            let c = isComma(r.upperBound) ? r.upperBound + 1 : r.upperBound
            if let f = found(c, e, speaker: r, cue: Span(start: tokens[lo].start, end: tokens[lo + n - 1].end)) { return f }
        }

        // A short cue clause after the last comma: "…, dijo el ministro", "…, sagte er", "…, he said", "…, selon X".
        var k = e - 1
        while k > lo, !isComma(k) { k -= 1 }
        if k > lo + 2, e - k <= 9, e - k >= 2 {
            let t = k + 1
            if let n = lx.attribution(at: t, tokens), let r = npAfter(t + n, upperBound: e), r.upperBound == e {
                return found(lo, k, speaker: r, cue: Span(start: tokens[t].start, end: tokens[t + n - 1].end))
            }
            if let inv = invertedAttribution(at: t), t + 1 == e || !(t + 1 < e && tokens[t + 1].kind == .word && cue(t + 1) == nil) {
                return found(lo, k, speaker: inv.speakerTokens, cue: inv.cue, pronounInside: true).map { f in
                    var f = f
                    f.attribution?.speaker = inv.speaker
                    f.attribution?.pronounInside = true
                    return f
                }
            }
            // The cue first (inverted subject), after an auxiliary if any: "dijo el ministro", "ha añadido él".
            var ci = t
            if let c = cue(ci), c.auxiliary, ci + 1 < e, let c2 = cue(ci + 1), !c2.weak { ci += 1 }
            if let c = cue(ci), !c.weak, !c.auxiliary, !isGerund(ci) {
                var j = ci + 1
                while j < e, lx.isAdverb(s, tokens[j]), !lx.determiners.contains(tokens[j].hash) { j += 1 }
                if let r = npAfter(j, upperBound: e), r.upperBound == e || (r.upperBound < e && tokens[r.upperBound].kind == .word && lx.addresseePrepositions.contains(tokens[r.upperBound].hash)) {
                    return found(lo, k, speaker: r, cue: cueSpan(ci))
                }
            }
            // The subject first: "…, he said", "…, le ministre a déclaré".
            let last = e - 1
            if let c = cue(last), !c.weak, !c.auxiliary, !isGerund(last), let r = npBefore(last, lowerBound: t), r.lowerBound == t {
                return found(lo, k, speaker: r, cue: cueSpan(last))
            }
        }

        // A cue and its complementizer: "X said that …", "X a déclaré que …", "X sagte, dass …".
        var i = lo
        while i < e - 2 {
            defer { i += 1 }
            guard let c = cue(i), !c.weak, !c.auxiliary, !isGerund(i) else { continue }
            var j = i + 1
            if j < e, isComma(j) { j += 1 }
            guard j < e, let start = complementizer(at: j) else { continue }
            // A cue inside a subordinate clause of another cue is the other's business.
            guard let r = npBefore(i, lowerBound: lo) ?? elidedSubject(cue: i, lowerBound: lo) else { return nil }
            if start == tokens[j].start {
                // "qu'il …": the clause starts with the elided word's host ("il …").
                var x = start
                while x < tokens[j].end, !Scalars.isApostrophe(s[x]) { x += 1 }
                return found(j, e, speaker: r, cue: cueSpan(i), startOffset: x + 1)
            }
            return found(j + 1, e, speaker: r, cue: cueSpan(i))
        }
        return nil
    }
}
