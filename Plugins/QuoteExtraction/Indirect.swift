import GleanerCore

/// Reported speech without quotation marks, attributed by a clear cue in its sentence:
/// "X said that …", "X a déclaré que …", "X sagte, dass …" (a cue and a complementizer, a short phrase between
/// them allowed: "a rappelé sur la RTBF que"); "Según X, …", "Laut X …", "… laut X …", "Angaben der Polizei
/// zufolge …" (an attribution phrase); "…, dijo el ministro.", "…, sagte er.", "…, a-t-il ajouté." (a short
/// cue clause closing the sentence); in German "X sagte, die Lage sei ernst" (a cue, a comma and a clause).
/// A quotation in marks inside the reported clause is allowed; a sentence whose content would be mostly
/// marked quotation is left to the marked quotations. The words are the language's own (`Lex`).
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
        var words = 0, quoted = 0
        for k in from..<to where tokens[k].kind == .word || tokens[k].kind == .number {
            words += 1
            if tokens[k].quote >= 0 { quoted += 1 }
        }
        guard words >= Extractor.minIndirectWords, 2 * quoted < words else { return nil }
        // The speaker and the cue are outside quotation marks.
        guard r.allSatisfy({ tokens[$0].quote < 0 }) else { return nil }
        // A speaker is a name, a pronoun or a noun phrase with its determiner; never a bare lowercase word.
        let h = tokens[r.lowerBound]
        guard pronounInside || h.isCapitalized || isPronoun(r.lowerBound) || lx.determiners.contains(h.hash)
                || (h.end - h.start > 2 && Scalars.isApostrophe(s[h.start + 1]))  // "l'universitaire"
        else { return nil }
        let q = MarkedQuote(openToken: -1, closeToken: -1, content: content, paragraph: tokens[from].paragraph, group: -1)
        return Found(q: q, kind: .indirect, attribution: Attribution(cue: cue, speaker: span(r), speakerTokens: r, pronounInside: pronounInside))
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
        return lx.complementizers.contains(h) ? k + 1 : nil
    }

    private func indirect(in a: Int, _ b: Int) -> Found? {
        guard b - a >= 5 else { return nil }
        var e = b
        while e > a, tokens[e - 1].kind == .punct || tokens[e - 1].kind == .mark { e -= 1 }
        var lo = a
        while lo < e, tokens[lo].kind == .word, lx.leadingConjunctions.contains(tokens[lo].hash) { lo += 1 }
        while lo < e, tokens[lo].kind == .punct { lo += 1 }
        guard e - lo >= 5 else { return nil }

        // "Según X, …", "Laut X wird …", "According to X, …".
        if let n = lx.attribution(at: lo, tokens), let r = speakerAfter(lo + n, upperBound: e), r.upperBound < e {
            let c = isComma(r.upperBound) ? r.upperBound + 1 : r.upperBound
            if let f = found(c, e, speaker: r, cue: Span(start: tokens[lo].start, end: tokens[lo + n - 1].end)) { return f }
        }

        // A short cue clause after a comma near the end: "…, dijo el ministro", "…, sagte er", "…, he said",
        // "…, selon X", "…, a annoncé Mario Draghi, le président de la BCE".
        var k = e - 1
        while k > lo + 2, e - k <= 16 {
            defer { k -= 1 }
            guard isComma(k), tokens[k].quote < 0 else { continue }
            let t = k + 1
            if let n = lx.attribution(at: t, tokens), let r = speakerAfter(t + n, upperBound: e) {
                return found(lo, k, speaker: r, cue: Span(start: tokens[t].start, end: tokens[t + n - 1].end))
            }
            if let inv = invertedAttribution(at: t) {
                if let f = found(lo, k, speaker: inv.speakerTokens, cue: inv.cue, pronounInside: true) {
                    var f = f
                    f.attribution?.speaker = inv.speaker
                    return f
                }
                continue
            }
            // The cue first (inverted subject), after an auxiliary if any: "dijo el ministro", "ha añadido él".
            var ci = t
            if let c = cue(ci), c.auxiliary, ci + 1 < e, let c2 = cue(ci + 1), !c2.weak { ci += 1 }
            if let c = cue(ci), !c.weak, !c.auxiliary, !isGerund(ci) {
                var j = ci + 1
                while j < e, lx.isAdverb(s, tokens[j]), !lx.determiners.contains(tokens[j].hash) { j += 1 }
                if let r = speakerAfter(j, upperBound: e) { return found(lo, k, speaker: r, cue: cueSpan(ci)) }
            }
            // The subject first: "…, he said", "…, le ministre a déclaré".
            let last = e - 1
            if let c = cue(last), !c.weak, !c.auxiliary, !isGerund(last), let r = npBefore(last, lowerBound: t), r.lowerBound == t {
                return found(lo, k, speaker: r, cue: cueSpan(last))
            }
        }

        // A cue and its complementizer: "X said that …", "X a déclaré que …", "X sagte, dass …",
        // "X a rappelé sur la RTBF que …"; in German also "X sagte, die Lage sei ernst".
        var i = lo
        while i < e - 2 {
            defer { i += 1 }
            guard tokens[i].quote < 0, let c = cue(i), !c.weak, !c.auxiliary, !isGerund(i) else { continue }
            var j = i + 1
            var start: Int?
            var from = j
            while j < e, j - i <= 7, tokens[j].quote < 0 {
                if let st = complementizer(at: j) {
                    start = st
                    from = st == tokens[j].end ? j + 1 : j
                    break
                }
                if isComma(j) {
                    // "sagte, dass" or, in German, "sagte, die Lage sei ernst".
                    if j + 1 < e, let st = complementizer(at: j + 1) {
                        start = st
                        from = st == tokens[j + 1].end ? j + 2 : j + 1
                    } else if lx.reportedClauseAfterComma, j == i + 1 || j == i + 2 {
                        start = tokens[j + 1].start
                        from = j + 1
                    }
                    break
                }
                if tokens[j].kind != .word || cue(j) != nil || lx.complementizers.isEmpty { break }
                j += 1
            }
            guard let start else { continue }
            guard let r = npBefore(i, lowerBound: lo) ?? elidedSubject(cue: i, lowerBound: lo) else { return nil }
            return found(from, e, speaker: r, cue: cueSpan(i), startOffset: start)
        }

        // "…, wie die Polizei mitteilte.", "Wie der Minister sagte, …", "…, as the minister said.": a clause of
        // comparison with a cue at its end names the source of the rest of the sentence.
        var w = lo
        while w < e - 2 {
            defer { w += 1 }
            guard tokens[w].kind == .word, tokens[w].quote < 0, lx.asClauses.contains(tokens[w].hash),
                  w == lo || isComma(w - 1), var r = npAfter(w + 1, upperBound: e)
            else { continue }
            // "die Stadtverwaltung mitteilte": the phrase may have taken the verb-final cue.
            if r.count > 1, cue(r.upperBound - 1) != nil { r = r.lowerBound..<(r.upperBound - 1) }
            var ci = r.upperBound
            while ci < e, lx.isAdverb(s, tokens[ci]), cue(ci) == nil { ci += 1 }
            guard ci < e, let c = cue(ci), !c.weak || c.auxiliary else { continue }
            var end = ci + 1
            if c.auxiliary || (end < e && cue(end) != nil) { end = min(e, end + 1) }  // "mitgeteilt hatte", "a dit"
            if w == lo {
                // "Wie X sagte, …": the rest after the comma.
                guard end < e, isComma(end) else { continue }
                return found(end + 1, e, speaker: r, cue: cueSpan(ci))
            }
            guard end == e || isComma(end) else { continue }
            return found(lo, w - 1, speaker: r, cue: cueSpan(ci))
        }

        // "… laut Polizei …", "… selon un sondage …": an attribution phrase inside the sentence.
        var m = lo + 1
        while m < e - 1 {
            defer { m += 1 }
            guard tokens[m].quote < 0 else { continue }
            if let n = lx.attribution(at: m, tokens), let r = speakerAfter(m + n, upperBound: e) {
                return found(lo, e, speaker: r, cue: Span(start: tokens[m].start, end: tokens[m + n - 1].end))
            }
            // "Angaben der Polizei zufolge": the source before the word.
            if tokens[m].kind == .word, lx.postAttributions.contains(tokens[m].hash), let r = simpleNPBefore(m, lowerBound: lo) {
                return found(lo, e, speaker: r, cue: cueSpan(m))
            }
        }
        return nil
    }
}
