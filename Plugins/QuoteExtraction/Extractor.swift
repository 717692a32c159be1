import GleanerCore

/// Settings of one extraction run.
public struct QuoteSettings: Sendable, Hashable {
    /// Keep quoted terms (scare quotes, titles) in the layer as `kind: .term`.
    public var includeTerms: Bool = true
    /// Below this many words a quotation without a speech cue in its sentence is a term.
    public var minSpeechWords: Int = 5
    /// Read "Name:" paragraphs as an interview.
    public var interviews: Bool = true
    /// Report speech without quotation marks that a clear cue attributes ("X said that …") as `indirect`.
    public var indirect: Bool = true
    public init(includeTerms: Bool = true, minSpeechWords: Int = 5, interviews: Bool = true, indirect: Bool = true) {
        self.includeTerms = includeTerms
        self.minSpeechWords = minSpeechWords
        self.interviews = interviews
        self.indirect = indirect
    }
}

/// Finds quotations, tells speech from terms and attributes each to the mention at its cue.
struct Extractor {
    let s: [Unicode.Scalar]
    var tokens: [QToken]
    let paragraphs: [Span]
    var marked: [MarkedQuote] = []
    let settings: QuoteSettings
    /// The word lists of the language this extractor reads.
    let lx: Lex

    /// An attribution: the cue token (or -1) and the speaker's token range.
    struct Attribution {
        var cue: Span?
        var speaker: Span
        var speakerTokens: Range<Int>
        /// For French "explique-t-il": the pronoun inside the token.
        var pronounInside: Bool = false
    }

    init(scalars: [Unicode.Scalar], paragraphs: [Span], settings: QuoteSettings, lexicon: Lex = Lex.of("en")) {
        self.s = scalars
        self.paragraphs = paragraphs
        self.settings = settings
        self.lx = lexicon
        self.tokens = QTokenizer.tokenize(scalars, paragraphs: paragraphs, abbreviations: lexicon.abbreviations)
        self.marked = MarkReader.read(scalars, &tokens, paragraphCount: paragraphs.count)
    }

    // MARK: Token helpers

    @inline(__always) func isPunct(_ i: Int, _ c: UInt32) -> Bool {
        tokens[i].kind == .punct && s[tokens[i].start].value == c
    }
    @inline(__always) func isComma(_ i: Int) -> Bool { isPunct(i, 0x2C) }

    func cue(_ i: Int) -> Lexicon.Cue? {
        let t = tokens[i]
        guard t.kind == .word else { return nil }
        if let c = lx.cues[t.hash] {
            // "Caddell continued:" is a cue; "to continue to trade" is not.
            if lx.continueForms.contains(t.hash) {
                guard i + 1 < tokens.count, tokens[i + 1].kind == .mark || tokens[i + 1].kind == .punct
                        || (i > 0 && (tokens[i - 1].kind == .mark || isComma(i - 1)))
                else { return nil }
            }
            // "Trump’s comments": after a possessive it is a noun.
            if i > 0, tokens[i - 1].kind == .word, !t.isCapitalized {
                let p = tokens[i - 1]
                if p.end - p.start > 2, Scalars.isApostrophe(s[p.end - 2]), s[p.end - 1] == "s" { return nil }
                if p.end - p.start > 1, Scalars.isApostrophe(s[p.end - 1]) { return nil }
            }
            // "secretary of state": after a preposition it is a noun.
            if i > 0, tokens[i - 1].kind == .word, lx.nounPrepositions.contains(tokens[i - 1].hash) { return nil }
            // "a federal judge", "his home state", "rallying cry": after a lowercase content word, a noun.
            if lx.nounLikeCues.contains(t.hash), i > 0, tokens[i - 1].kind == .word, !tokens[i - 1].isCapitalized,
               !lx.auxiliaries.contains(tokens[i - 1].hash), !isPronoun(i - 1), tokens[i - 1].hash != Lexicon.to,
               !lx.npStops.contains(tokens[i - 1].hash)
            { return nil }
            // "a Twitter comment", "his brief statement": a determiner a few words back makes a noun of it.
            if lx.nounLikeCues.contains(t.hash), !t.isCapitalized {
                var k = i - 1
                while k >= 0, i - k <= 3, tokens[k].kind == .word || tokens[k].kind == .number, tokens[k].quote < 0 {
                    if lx.determiners.contains(tokens[k].hash) || lx.possessives.contains(tokens[k].hash) { return nil }
                    if lx.npStops.contains(tokens[k].hash) || isPronoun(k) || lx.cues[tokens[k].hash] != nil { break }
                    k -= 1
                }
            }
            // "a screaming Santilli", "the report": a determiner makes it a noun or an adjective.
            if i > 0, tokens[i - 1].kind == .word, lx.determiners.contains(tokens[i - 1].hash), !c.auxiliary,
               !(tokens[i - 1].hash == Extractor.aHash && s[t.end - 1].value > 0x7F)  // "a déclaré"
            { return nil }
            // A capitalized cue inside a sentence is a name ("Said", "Mark Said").
            if t.isCapitalized && !(i > 0 && (tokens[i - 1].endsSentence || tokens[i - 1].kind == .mark || tokens[i].startsParagraph)) {
                // "Murphy, …, Tweeted" is a cue; "Edward Said" is a name.
                guard i > 0, isComma(i - 1) || (tokens[i - 1].kind == .word && !tokens[i - 1].isCapitalized) else { return nil }
            }
            return c
        }
        if inversionSplit(i) != nil { return Lexicon.Cue() }
        return nil
    }

    /// French inversion: "explique-t-il", "a-t-elle", "déclare-t-il" → (verb part end, pronoun start).
    /// An inverted cue with its pronoun inside ("a-t-il déclaré"): the pronoun is the speaker;
    /// a strong cue right after it ("a-t-il ajouté, déclaré") is the cue.
    func invertedAttribution(at i: Int) -> Attribution? {
        guard let inv = inversionSplit(i) else { return nil }
        var cueSpan = Span(start: tokens[i].start, end: inv.verbEnd)
        if i + 1 < tokens.count, tokens[i + 1].quote < 0, let c2 = lx.cues[tokens[i + 1].hash], !c2.weak {
            cueSpan = Span(start: tokens[i + 1].start, end: tokens[i + 1].end)
        }
        return Attribution(cue: cueSpan, speaker: inv.pronoun, speakerTokens: i..<(i + 1), pronounInside: true)
    }

    func inversionSplit(_ i: Int) -> (verbEnd: Int, pronoun: Span)? {
        let t = tokens[i]
        guard t.kind == .word, t.end - t.start >= 4 else { return nil }
        // Find the last hyphen.
        var h = t.end - 1
        while h > t.start, s[h].value != 0x2D { h -= 1 }
        guard h > t.start else { return nil }
        var ph: UInt64 = fnvStart()
        for k in (h + 1)..<t.end { ph = fnvAdd(ph, Scalars.lower(s[k])) }
        guard ph == Extractor.ilHash || ph == Extractor.elleHash || ph == Extractor.ilsHash || ph == Extractor.ellesHash || ph == Extractor.onHash else { return nil }
        var verbEnd = h
        if verbEnd - 2 > t.start, s[verbEnd - 1] == "t", s[verbEnd - 2].value == 0x2D { verbEnd -= 2 }
        var vh: UInt64 = fnvStart()
        for k in t.start..<verbEnd { vh = fnvAdd(vh, Scalars.lower(s[k])) }
        guard let c = lx.cues[vh], !c.weak || c.auxiliary else { return nil }
        return (verbEnd, Span(start: h + 1, end: t.end))
    }
    static let ilHash = lexHash("il"), elleHash = lexHash("elle"), ilsHash = lexHash("ils"), ellesHash = lexHash("elles"), onHash = lexHash("on")

    func isPronoun(_ i: Int) -> Bool { tokens[i].kind == .word && lx.pronouns[tokens[i].hash] != nil }

    // MARK: Windows

    /// Tokens after the quote in its sentence, other quotations skipped.
    func afterWindow(_ q: MarkedQuote, qi: Int, limit: Int = 32) -> [Int] {
        guard q.closeToken >= 0 else { return [] }
        var out: [Int] = []
        var i = q.closeToken + 1
        let p = q.paragraph
        while i < tokens.count, tokens[i].paragraph == p, out.count < limit {
            if tokens[i].quote >= 0 && tokens[i].quote != qi { i += 1; continue }
            out.append(i)
            if tokens[i].endsSentence || isPunct(i, 0x3B) { break }
            i += 1
        }
        return out
    }

    /// Tokens before the quote in its sentence, nearest first, other quotations skipped.
    func beforeWindow(_ q: MarkedQuote, qi: Int, limit: Int = 45) -> [Int] {
        guard q.openToken >= 0 else { return [] }
        var out: [Int] = []
        var i = q.openToken - 1
        let p = q.paragraph
        while i >= 0, tokens[i].paragraph == p, out.count < limit {
            if tokens[i].endsSentence || isPunct(i, 0x3B) { break }
            // A colon before other words closes the window: what it introduces is not this quotation.
            if isPunct(i, 0x3A) && !out.isEmpty { break }
            if tokens[i].quote >= 0 && tokens[i].quote != qi {
                // A previous quotation that ended its sentence ends the window too.
                if quoteEndingSentence(at: i) != nil { break }
                i -= 1; continue
            }
            out.append(i)
            i -= 1
        }
        return out
    }

    func quoteEndingSentence(at i: Int) -> Int? {
        let qi = tokens[i].quote
        let q = marked[qi]
        guard q.closeToken == i else { return nil }
        // “Content ends with a period.” followed by a new sentence.
        let last = i - 1
        if last >= 0, tokens[last].kind == .punct {
            let c = s[tokens[last].start].value
            if c == 0x2E || c == 0x21 || c == 0x3F {
                if i + 1 < tokens.count, tokens[i + 1].isCapitalized || tokens[i + 1].kind == .mark { return qi }
            }
        }
        return nil
    }

    // MARK: Noun phrases

    /// The speaker phrase that ends just before token `v` (the subject of a cue), or nil. A coordinated
    /// subject is taken whole: "The former first lady and U.S. senator said", "Obama and Clinton call".
    func npBefore(_ v: Int, lowerBound lo: Int) -> Range<Int>? {
        guard var r = simpleNPBefore(v, lowerBound: lo) else { return nil }
        // "Dianne Feinstein (D-Calif.) last week said", "Trump on Tuesday said": a time phrase is no subject.
        if r.count <= 2, lx.timeNouns.contains(tokens[r.upperBound - 1].hash) {
            // Back over the whole time phrase ("on Tuesday night", "earlier this week").
            var m = r.lowerBound - 1
            while m > lo, tokens[m].kind == .word,
                  lx.timeModifiers.contains(tokens[m].hash) || lx.timeNouns.contains(tokens[m].hash) { m -= 1 }
            if m < r.lowerBound - 1, let before = simpleNPBefore(m + 1, lowerBound: lo) { r = before }
        }
        let a = r.lowerBound - 1
        guard a > lo, tokens[a].kind == .word, tokens[a].hash == Extractor.andHash, !isPronoun(r.lowerBound),
              let left = simpleNPBefore(a, lowerBound: lo), left.upperBound == a, left.count <= 6, !isPronoun(left.lowerBound),
              tokens[left.lowerBound].isCapitalized || lx.determiners.contains(tokens[left.lowerBound].hash),
              !left.contains(where: { lx.verbForms.contains(tokens[$0].hash) || lx.finiteVerbs.contains(tokens[$0].hash) || looksVerbal($0) })
        else { return r }
        return left.lowerBound..<r.upperBound
    }
    static let andHash = lexHash("and"), withHash = lexHash("with")

    func simpleNPBefore(_ v: Int, lowerBound lo: Int) -> Range<Int>? {
        var j = v - 1
        while j >= lo, tokens[j].quote < 0, lx.isAdverb(s, tokens[j]), !isPronoun(j) { j -= 1 }
        guard j >= lo else { return nil }
        // "X lui avait dit", "X le dijo": an object pronoun before the cue is spoken to, not the speaker. One that
        // opens the clause (", lui avait dit X") leaves the subject to come after the cue.
        while j >= lo, tokens[j].kind == .word, !tokens[j].isCapitalized, lx.objectClitics.contains(tokens[j].hash) {
            guard j > lo, tokens[j - 1].kind == .word, tokens[j - 1].quote < 0 else { return nil }
            j -= 1
            while j >= lo, tokens[j].quote < 0, lx.isAdverb(s, tokens[j]), !isPronoun(j) { j -= 1 }
        }
        guard j >= lo else { return nil }
        // A parenthetical between subject and verb: "Putin, for his part, boldly declared".
        if isComma(j) {
            var k = j - 1
            var n = 0
            while k >= lo, n < 10, !isComma(k), tokens[k].quote < 0, !tokens[k].endsSentence { k -= 1; n += 1 }
            // "le porte-parole des équipes, Joe Incandela, a annoncé": a name in apposition speaks.
            if lx.appositionNameSpeaker, k >= lo, isComma(k), (2...5).contains(n),
               ((k + 1)..<j).allSatisfy({ tokens[$0].kind == .word && (tokens[$0].isCapitalized || lx.nameParticles.contains(tokens[$0].hash)) }),
               tokens[j - 1].isCapitalized
            { return (k + 1)..<j }
            if k >= lo, isComma(k), n >= 1 { j = k - 1 } else { return nil }
        }
        guard j >= lo else { return nil }
        let end = j + 1
        if isPronoun(j) { return j..<end }
        // "Stevie Wonder, who joked …": the relative pronoun is the mention at the cue (resolved to its antecedent).
        if tokens[j].hash == Lexicon.who, j > lo, isComma(j - 1), tokens[j - 1].quote < 0 { return j..<end }
        // "Rep. Earl Blumenauer (D-Ore.) said": the party tag belongs to the name.
        if isPunct(j, 0x29) {
            var k = j - 1
            while k >= lo, j - k < 6, !isPunct(k, 0x28) { k -= 1 }
            guard k > lo, isPunct(k, 0x28), tokens[k - 1].isCapitalized else { return nil }
            j = k - 1
        }
        var count = 0
        var start = j + 1
        while j >= lo, count < 8 {
            let t = tokens[j]
            if t.quote >= 0 { break }
            if t.kind == .word {
                if lx.determiners.contains(t.hash) {
                    if !(t.hash == Lexicon.that && j + 1 < end && (tokens[j + 1].isCapitalized || isPronoun(j + 1))) { start = j }
                    // "James Pethokoukis of the American Enterprise Institute": a connector before the determiner continues the phrase.
                    guard start == j, j - 2 >= lo, tokens[j - 1].kind == .word, lx.npConnectors.contains(tokens[j - 1].hash),
                          !looksVerbal(j - 2),
                          tokens[j - 1].hash != Lexicon.to, tokens[j - 2].kind == .word, tokens[j - 2].quote < 0,
                          !lx.npStops.contains(tokens[j - 2].hash), !lx.determiners.contains(tokens[j - 2].hash),
                          !isPronoun(j - 2), lx.cues[tokens[j - 2].hash] == nil
                    else { break }
                    j -= 1
                    count += 1
                    continue
                }
                if lx.npStops.contains(t.hash) && !isNameWord(j, in: lo..<end) {
                    // "The senator from Vermont", "an adviser to Trump": a connector inside the phrase.
                    guard lx.npConnectors.contains(t.hash), j + 1 < end, j - 1 >= lo, tokens[j - 1].kind == .word,
                          !lx.npStops.contains(tokens[j - 1].hash), !isPronoun(j - 1), lx.cues[tokens[j - 1].hash] == nil,
                          !looksVerbal(j - 1)
                    else { break }
                }
                if isPronoun(j) { break }
                if !t.isCapitalized && cue(j) != nil && !(start < end) { break }
                // A cue word ends the phrase, unless it is a noun here ("the IMF report stated").
                if !t.isCapitalized, lx.cues[t.hash] != nil, !(lx.nounLikeCues.contains(t.hash) && cue(j) == nil) { break }
                start = j
            } else if t.kind == .number {
                start = j
            } else { break }
            j -= 1
            count += 1
        }
        guard start < end else { return nil }
        var r = start..<end
        // Drop leading "of"/"for" and a phrase that opened on a preposition ("In an interview Smith").
        while r.lowerBound < r.upperBound, lx.connectors.contains(tokens[r.lowerBound].hash) { r = (r.lowerBound + 1)..<r.upperBound }
        if r.lowerBound > lo, r.lowerBound - 1 >= 0, tokens[r.lowerBound - 1].kind == .word,
           lx.npStops.contains(tokens[r.lowerBound - 1].hash), !lx.clauseOpeners.contains(tokens[r.lowerBound - 1].hash),
           !lx.subordinators.contains(tokens[r.lowerBound - 1].hash)
        {
            var k = r.upperBound - 1
            while k > r.lowerBound, tokens[k - 1].isCapitalized { k -= 1 }
            if tokens[k].isCapitalized { r = k..<r.upperBound }
        }
        guard r.lowerBound < r.upperBound else { return nil }
        // "it comes to saying": after a pronoun the word is a verb, not a speaker.
        if r.lowerBound > lo, isPronoun(r.lowerBound - 1), !tokens[r.lowerBound].isCapitalized { return nil }
        // A bare lowercase common word before the cue is rarely a speaker unless it has a determiner.
        if r.count == 1, !tokens[r.lowerBound].isCapitalized, !isPronoun(r.lowerBound) {
            let w = tokens[r.lowerBound]
            if w.kind != .word { return nil }
            // "officials said", "sources said" stay; "it said" does not.
            if w.hash == Lexicon.it || w.hash == Lexicon.who || w.hash == Lexicon.that { return nil }
        }
        return r
    }

    /// The speaker phrase starting at token `j` (after an inverted cue or "according to"), or nil.
    func npAfter(_ j0: Int, upperBound hi: Int) -> Range<Int>? {
        var j = j0
        guard j < hi, j < tokens.count, tokens[j].quote < 0 else { return nil }
        if isPronoun(j) { return j..<(j + 1) }
        let start = j
        var count = 0
        var sawCapital = false
        let startsWithDeterminer = tokens[start].kind == .word && lx.determiners.contains(tokens[start].hash)
        while j < hi, count < 10 {
            let t = tokens[j]
            if t.quote >= 0 { break }
            if t.kind == .punct && s[t.start].value == 0x28 && sawCapital {
                // "(D-Pa.)" after a name.
                var k = j + 1
                while k < hi, k - j < 6, !isPunct(k, 0x29) { k += 1 }
                if k < hi, isPunct(k, 0x29) { j = k + 1; count += 1; break }
                break
            }
            if t.kind == .word {
                let connector = t.hash == Lexicon.of || t.hash == Lexicon.forWord || t.hash == Lexicon.de || t.hash == Lexicon.to
                // After a name, a lowercase word is the predicate ("President Clinton released …").
                let afterPossessive: Bool = {
                    guard j > start else { return false }
                    let p = tokens[j - 1]
                    return p.end - p.start > 2 && Scalars.isApostrophe(s[p.end - 2]) && s[p.end - 1] == "s"
                }()
                // "a source close to the campaign", "a person familiar with the talks": the modifier belongs to the phrase.
                if j > start, !t.isCapitalized, lx.postModifiers.contains(t.hash) { j += 1; count += 1; continue }
                if afterPossessive && !lx.npStops.contains(t.hash) && lx.cues[t.hash] == nil { j += 1; count += 1; continue }
                if sawCapital && !t.isCapitalized && !connector && !t.isAbbreviation && !startsWithDeterminer {
                    // Unless a title continues to a name: "Ohio State University professor Paul Beck".
                    var k = j
                    while k < hi, k - j < 3, tokens[k].kind == .word, !tokens[k].isCapitalized, !lx.npStops.contains(tokens[k].hash),
                          !lx.determiners.contains(tokens[k].hash), lx.cues[tokens[k].hash] == nil,
                          !looksVerbal(k) { k += 1 }
                    if k < hi, k > j, tokens[k].kind == .word, tokens[k].isCapitalized { j = k; count += k - j; continue }
                    break
                }
                if t.hash == Lexicon.to {
                    // "an adviser to Trump", not "said to reporters".
                    guard j > start, j + 1 < hi, tokens[j + 1].isCapitalized || lx.determiners.contains(tokens[j + 1].hash) else { break }
                    j += 1; count += 1; continue
                }
                if t.isCapitalized && !lx.determiners.contains(t.hash) { sawCapital = true }
                if lx.determiners.contains(t.hash) {
                    let closeTo = j - 2 > start && tokens[j - 1].hash == Lexicon.to && lx.postModifiers.contains(tokens[j - 2].hash)
                    if j != start && !closeTo && !(j > start && [Lexicon.of, Lexicon.forWord, Lexicon.de].contains(tokens[j - 1].hash)) { break }
                } else if t.hash == Lexicon.of || t.hash == Lexicon.forWord || t.hash == Lexicon.de {
                    if j == start { return nil }
                } else if lx.npStops.contains(t.hash) && !isNameWord(j, in: start..<hi) {
                    break
                } else if !t.isCapitalized, lx.cues[t.hash] != nil, j > start {
                    // "An early tweet", "her team": after a determiner, a bare form is a noun.
                    let last = s[t.end - 1]
                    let inflected = last == "s" || last == "d" || last == "g"
                    if !(startsWithDeterminer && !inflected) { break }
                } else if !t.isCapitalized, j > start, lx.verbForms.contains(t.hash) {
                    break
                } else if !t.isCapitalized, j > start + 1, t.end - t.start > 4, s[t.end - 1] == "d", s[t.end - 2] == "e",
                          j + 1 < hi, tokens[j + 1].kind == .word,
                          lx.determiners.contains(tokens[j + 1].hash) || lx.npStops.contains(tokens[j + 1].hash) || isPronoun(j + 1)
                {
                    break  // "The senator sought …", "the city embodied the …": a verb
                }
            } else if t.kind == .number {
                if j == start { return nil }
            } else { break }
            j += 1
            count += 1
        }
        // "that Rubio …", "that you can’t": a complementizer, not a speaker.
        if tokens[start].hash == Lexicon.that, start + 1 < hi, tokens[start + 1].isCapitalized || isPronoun(start + 1) { return nil }
        var end = j
        while end > start, [Lexicon.of, Lexicon.forWord, Lexicon.de, Lexicon.to].contains(tokens[end - 1].hash) || lx.determiners.contains(tokens[end - 1].hash) { end -= 1 }
        guard end > start else { return nil }
        if tokens[start].kind != .word || (lx.npStops.contains(tokens[start].hash) && !isNameWord(start, in: start..<end)) { return nil }
        return start..<end
    }

    /// "Will Doyle", "Theresa May": a capitalized modal next to another capitalized word is part of a name.
    func isNameWord(_ j: Int, in bounds: Range<Int>) -> Bool {
        guard tokens[j].isCapitalized, lx.modalNames.contains(tokens[j].hash) else { return false }
        let next = j + 1 < bounds.upperBound && tokens[j + 1].kind == .word && tokens[j + 1].isCapitalized
        let prev = j - 1 >= bounds.lowerBound && tokens[j - 1].kind == .word && tokens[j - 1].isCapitalized
            && !lx.determiners.contains(tokens[j - 1].hash)
        return next || prev
    }

    /// "endorsed", "shrugged", "embracing": a lowercase word between two names that is a verb, not a title.
    func looksVerbal(_ i: Int) -> Bool {
        let t = tokens[i]
        guard t.end - t.start > 4 else { return lx.verbForms.contains(t.hash) }
        return (s[t.end - 1] == "d" && s[t.end - 2] == "e") || isGerund(i) || lx.verbForms.contains(t.hash)
    }

    func isCapitalizedAdverb(_ i: Int) -> Bool {
        let t = tokens[i]
        return t.kind == .word && t.end - t.start > 4 && s[t.end - 1] == "y" && s[t.end - 2] == "l"
    }

    func isGerund(_ i: Int) -> Bool {
        let t = tokens[i]
        return t.end - t.start > 5 && s[t.end - 1] == "g" && s[t.end - 2] == "n" && s[t.end - 3] == "i"
    }

    /// The subject at the start of the clause that holds token `v`: the first noun phrase of the
    /// sentence, after an opening adverbial ("When Wallace died in 1998, President Clinton …").
    func clauseSubject(from lo: Int, to v: Int) -> Range<Int>? {
        var a = lo
        // Skip an opening adverbial up to its comma ("In Iowa,", "Asked whether …,", "Facing …,", "Hastily,").
        if a < v, tokens[a].kind == .word, lx.npStops.contains(tokens[a].hash) || lx.isAdverb(s, tokens[a])
            || (tokens[a].isCapitalized && (looksVerbal(a) || isCapitalizedAdverb(a)))
        {
            var k = a
            while k < v, !isComma(k) { k += 1 }
            guard k < v else { return nil }
            a = k + 1
        }
        // A short opening segment ("Hours later,", "On Tuesday,") is no subject.
        var k = a
        while k < v, k - a < 4, !isComma(k) { k += 1 }
        if k < v, isComma(k), k - a <= 3 { a = k + 1 }
        guard a < v, let r = npAfter(a, upperBound: v) else { return nil }
        // The phrase must be followed by a verb-like word, not a comma.
        guard r.upperBound < v, tokens[r.upperBound].kind == .word || (isComma(r.upperBound) && tokens[r.lowerBound].isCapitalized),
              isPronoun(r.lowerBound) || tokens[r.lowerBound].isCapitalized || lx.determiners.contains(tokens[r.lowerBound].hash)
        else { return nil }
        return r
    }

    func span(_ r: Range<Int>) -> Span { Span(start: tokens[r.lowerBound].start, end: tokens[r.upperBound - 1].end) }

    /// A name in apposition right after a description ("un jeune manifestant, Abdel Nasser", "le président de
    /// l'Ufip, Jean Louis Schilansky"): the name, when the language's convention says the description speaks by it.
    func appositionName(after r: Range<Int>, upperBound hi: Int) -> Range<Int>? {
        guard lx.appositionNameSpeaker, r.upperBound + 2 < min(hi + 1, tokens.count), isComma(r.upperBound),
              !isPronoun(r.lowerBound), !tokens[r.lowerBound].isCapitalized || lx.determiners.contains(tokens[r.lowerBound].hash)
        else { return nil }
        let a = r.upperBound + 1
        var k = a
        while k < tokens.count, k - a < 6, tokens[k].kind == .word, tokens[k].quote < 0,
              tokens[k].isCapitalized || (k > a && lx.nameParticles.contains(tokens[k].hash)) { k += 1 }
        guard k - a >= 2, tokens[k - 1].isCapitalized, !lx.determiners.contains(tokens[a].hash) else { return nil }
        // The name ends the clause: a comma, the sentence's end, a quotation or the paragraph's end.
        guard k >= tokens.count || tokens[k].paragraph != tokens[a].paragraph || isComma(k) || tokens[k].kind == .mark
                || (tokens[k].kind == .punct && [0x2E, 0x3A, 0x3B].contains(s[tokens[k].start].value))
        else { return nil }
        return a..<k
    }

    /// The speaker phrase after a cue or an attribution phrase, with a name in apposition preferred.
    func speakerAfter(_ j: Int, upperBound hi: Int) -> Range<Int>? {
        guard let r = npAfter(j, upperBound: hi) else { return nil }
        return appositionName(after: r, upperBound: hi) ?? r
    }

    // MARK: Attribution

    /// A cue after the quotation: "…,” said X", "…,” X said", "…”, underlines X".
    func attributeAfter(_ q: MarkedQuote, qi: Int) -> Attribution? {
        guard let a = attributeAfterNearest(q, qi: qi), let c = a.cue, !a.pronounInside else { return attributeAfterNearest(q, qi: qi) }
        // "…,” Walker said, according to an Associated Press account": the account is the source.
        let w = afterWindow(q, qi: qi)
        guard let hi = w.last, let ci = w.firstIndex(where: { tokens[$0].start == c.start }) else { return a }
        for i in w[(ci + 1)...] where i + 2 <= hi && isComma(i - 1) {
            if let n = lx.attribution(at: i, tokens), let r = npAfter(i + n, upperBound: hi + 1) {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i + n - 1].end), speaker: span(r), speakerTokens: r)
            }
        }
        return a
    }

    func attributeAfterNearest(_ q: MarkedQuote, qi: Int) -> Attribution? {
        let w = afterWindow(q, qi: qi)
        guard !w.isEmpty else { return nil }
        let endsWithStop: Bool = {
            // The content ends a sentence: only a short cue clause may follow.
            let last = q.closeToken - 1
            guard last >= 0, tokens[last].kind == .punct else { return false }
            let c = s[tokens[last].start].value
            return c == 0x2E
        }()
        // "…” and he reiterated …": a new clause, not an attribution.
        if tokens[w[0]].kind == .word, !tokens[w[0]].isCapitalized, lx.clauseOpeners.contains(tokens[w[0]].hash) { return nil }
        // "…” Elaine C. Kamarck, a senior fellow at …, said": a name and its apposition before the cue.
        var maxDistance = endsWithStop ? 4 : 12
        var longSubject: Range<Int>?
        if !endsWithStop, let r = npAfter(w[0], upperBound: (w.last ?? w[0]) + 1), r.upperBound < tokens.count, isComma(r.upperBound),
           tokens[r.lowerBound].isCapitalized
        {
            longSubject = r
            maxDistance = 30
        }
        for (n, i) in w.enumerated() where n <= maxDistance {
            if n > 12, let r = longSubject {
                guard let c = cue(i), !c.weak, !c.auxiliary, isComma(i - 1) else { continue }
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            // "according to X" after the quotation.
            if let an = lx.attribution(at: i, tokens), an == 1 || n <= 1 || wordCount(q) >= settings.minSpeechWords {
                if let r = speakerAfter(i + an, upperBound: (w.last ?? i) + 1) {
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i + an - 1].end), speaker: span(r), speakerTokens: r)
                }
            }
            guard let c = cue(i) else { continue }
            if let inverted = invertedAttribution(at: i) { return inverted }
            // "“…” read the email": a weak cue right after the quotation, inverted.
            if c.weak && n <= 1, !c.auxiliary, i + 1 < tokens.count, tokens[i + 1].kind == .word, lx.determiners.contains(tokens[i + 1].hash),
               let r = npAfter(i + 1, upperBound: min(tokens.count, (w.last ?? i) + 1))
            {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            // "“…” the editorial read.": a weak cue right after its subject, right after the quotation.
            if c.weak, !c.auxiliary, i > w[0], let r = npBefore(i, lowerBound: w[0]), r.lowerBound == w[0] {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            if c.weak { continue }
            let first = w[0]
            // Subject between the quote and the cue?
            let lo = isComma(first) || isPunct(first, 0x2014) || isPunct(first, 0x2013) ? first + 1 : first
            if i > lo, let r = npBefore(i, lowerBound: lo) {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            // Only adverbs between: inversion, the speaker follows the cue.
            var j = i + 1
            while j < tokens.count, lx.isAdverb(s, tokens[j]), !lx.determiners.contains(tokens[j].hash), j - i < 3 { j += 1 }
            let hi = min(tokens.count, (w.last ?? i) + 1)
            // "ha dicho a la prensa el ministro": the person spoken to comes first, the speaker after it.
            if j < hi, tokens[j].kind == .word, lx.addresseePrepositions.contains(tokens[j].hash),
               let to = npAfter(j + 1, upperBound: hi), to.upperBound < hi, let r = npAfter(to.upperBound, upperBound: hi)
            {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            if let r = speakerAfter(j, upperBound: hi) {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            return nil
        }
        return nil
    }

    /// A cue before the quotation in its sentence: "X said: “…”", "according to X, “…”", "For X, “…”".
    func attributeBefore(_ q: MarkedQuote, qi: Int, short: Bool) -> Attribution? {
        guard let a = attributeBeforeNearest(q, qi: qi, short: short), let c = a.cue, !a.pronounInside else {
            return attributeBeforeNearest(q, qi: qi, short: short)
        }
        // "Lund's memoir claimed that Berg told Holm: “…”": a cue introducing the quotation with a colon speaks it.
        if q.openToken > 0, isPunct(q.openToken - 1, 0x3A) { return a }
        // "X said [that] Y believes “…”": the outermost reporting clause is the source.
        let w = beforeWindow(q, qi: qi)
        guard let lo = w.last, let ci = w.firstIndex(where: { tokens[$0].start == c.start }) else { return a }
        for k in w[(ci + 1)...] {
            // "Rubio suggested …, while Cruz said that “…”": another clause, another speaker.
            if isPunct(k, 0x3B) { break }
            if tokens[k].kind == .word, lx.contrastives.contains(tokens[k].hash), k > 0, isComma(k - 1) { break }
            // "According to pool reports, Obama said “…”": the report is the source.
            if let an = lx.attribution(at: k, tokens), k + an < w[ci],
               let r = npAfter(k + an, upperBound: w[ci]), r.upperBound < w[ci], isComma(r.upperBound)
            {
                return Attribution(cue: Span(start: tokens[k].start, end: tokens[k + an - 1].end), speaker: span(r), speakerTokens: r)
            }
            guard let c2 = cue(k), !c2.weak, !c2.auxiliary, !isGerund(k), !lx.needsAs.contains(tokens[k].hash),
                  let r = npBefore(k, lowerBound: lo)
            else { continue }
            let h = tokens[r.lowerBound]
            guard h.isCapitalized || isPronoun(r.lowerBound) || lx.determiners.contains(h.hash) else { continue }
            // "In a Facebook message posted Friday, Cruz said …": a phrase inside a prepositional phrase is no source.
            if r.lowerBound > lo, tokens[r.lowerBound - 1].kind == .word, lx.npStops.contains(tokens[r.lowerBound - 1].hash),
               !lx.clauseOpeners.contains(tokens[r.lowerBound - 1].hash) { continue }
            if tokens[lo].kind == .word, lx.npStops.contains(tokens[lo].hash), !lx.clauseOpeners.contains(tokens[lo].hash),
               !(lo..<r.lowerBound).contains(where: { isComma($0) }) { continue }
            return Attribution(cue: Span(start: tokens[k].start, end: tokens[k].end), speaker: span(r), speakerTokens: r)
        }
        return a
    }

    func attributeBeforeNearest(_ q: MarkedQuote, qi: Int, short: Bool) -> Attribution? {
        let w = beforeWindow(q, qi: qi)
        guard let nearest = w.first else { return nil }
        let lo = w.last ?? nearest
        // "For X, “…”": the comma right before the mark, "for" opening the clause.
        if isComma(nearest) {
            var k = nearest - 1
            var n = 0
            while k >= lo, n < 6, tokens[k].kind != .punct { k -= 1; n += 1 }
            let f = k + 1
            if f < nearest, lx.forPhrases.contains(tokens[f].hash),
               f == lo || k < lo || isComma(k) || tokens[k].kind == .punct,
               let r = npAfter(f + 1, upperBound: nearest), r.upperBound == nearest
            {
                return Attribution(cue: Span(start: tokens[f].start, end: tokens[f].end), speaker: span(r), speakerTokens: r)
            }
        }
        for (n, i) in w.enumerated() {
            // A short quoted fragment is speech only near its cue.
            let an = lx.attribution(at: i, tokens)
            if short && n > 25 && an == nil { continue }
            if let an, let r = speakerAfter(i + an, upperBound: q.openToken) {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i + an - 1].end), speaker: span(r), speakerTokens: r)
            }
            guard let c = cue(i) else { continue }
            if let inverted = invertedAttribution(at: i) { return inverted }
            if c.auxiliary { continue }
            // "referred to Obama as “…”", "described it as “…”": these need their "as".
            if lx.needsAs.contains(tokens[i].hash) {
                let k = q.openToken - 1
                let k2 = k - 1
                let asBefore = (k >= 0 && tokens[k].hash == Extractor.asHash)
                    || (k2 >= 0 && tokens[k2].hash == Extractor.asHash && lx.determiners.contains(tokens[k].hash))
                if !asBefore { continue }
            }
            if !isGerund(i), let r = appositionSubject(from: lo, cue: i) {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            if isGerund(i) {
                // "with Sen. John McCain calling it a “Chinese menu”": the gerund's own subject.
                if let r = npBefore(i, lowerBound: lo), r.lowerBound > lo, tokens[r.lowerBound - 1].hash == Extractor.withHash,
                   tokens[r.lowerBound].isCapitalized || isPronoun(r.lowerBound)
                {
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                }
                // "Spicer said, adding, “…”", "Trump …, telling reporters “…”": the subject of the main clause.
                var k = i - 1
                while k >= lo {
                    if let c2 = cue(k), !c2.weak, !c2.auxiliary, !isGerund(k), let r = npBefore(k, lowerBound: lo) {
                        return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                    }
                    k -= 1
                }
                if let r = clauseSubject(from: lo, to: i) {
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                }
            }
            if let r = npBefore(i, lowerBound: lo) {
                if c.weak && isPronoun(r.lowerBound) == false && !tokens[r.lowerBound].isCapitalized
                    && !lx.determiners.contains(tokens[r.lowerBound].hash) { continue }
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            if c.weak { continue }
            // "But told Radio Five: “…”": the object of "told" is spoken to; the subject is the previous sentence's.
            if lx.addresseeCues.contains(tokens[i].hash) {
                if let r = elidedSubject(cue: i, lowerBound: lo) {
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                }
                return nil
            }
            // "Said the senator: “…”".
            var j = i + 1
            while j < q.openToken, lx.isAdverb(s, tokens[j]), !lx.determiners.contains(tokens[j].hash) { j += 1 }
            let inverted = i == lo || i - 1 < 0 || tokens[i - 1].kind == .punct || tokens[i - 1].kind == .mark
            // "…, said it was “…”": a pronoun followed by its verb opens the reported clause; it is no inverted subject.
            let clauseOpener = j < q.openToken && isPronoun(j) && j + 1 < q.openToken && tokens[j + 1].kind == .word
            if inverted, !clauseOpener, let r = npAfter(j, upperBound: q.openToken) {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            // "He … and joked, “…”", "… by warning that “…”", "…, saying “…”": the clause's subject.
            if let r = clauseSubject(from: lo, to: i) {
                return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
            }
            return nil
        }
        // "X: “…”", "… doesn’t surprise Republican pollster Daron Shaw: “…”" (a full name before the colon).
        if isPunct(nearest, 0x3A), let r = npBefore(nearest, lowerBound: lo),
           r.lowerBound == lo || (r.count >= 2 && tokens[r.upperBound - 1].isCapitalized && tokens[r.upperBound - 2].isCapitalized
                                   && !isPronoun(r.upperBound - 1))
        {
            return Attribution(cue: Span(start: tokens[nearest].start, end: tokens[nearest].end), speaker: span(r), speakerTokens: r)
        }
        return nil
    }


    /// "Reyes was booked. But told Radio Five: …": a cue with no subject of its own, only conjunctions or
    /// adverbs before it, takes the subject of the previous sentence (a name or a personal pronoun).
    func elidedSubject(cue i: Int, lowerBound lo: Int) -> Range<Int>? {
        var k = lo
        while k < i, tokens[k].kind == .word, !tokens[k].isCapitalized || k == lo,
              lx.leadingConjunctions.contains(tokens[k].hash) || lx.isAdverb(s, tokens[k]) || lx.auxiliaries.contains(tokens[k].hash) { k += 1 }
        guard k == i, lo > 0, tokens[lo - 1].endsSentence || tokens[lo - 1].paragraph != tokens[lo].paragraph else { return nil }
        // The previous sentence, in this paragraph or the one before.
        let end = lo - 1
        var a = end
        while a > 0, end - a < 60, !tokens[a - 1].endsSentence, tokens[a - 1].paragraph == tokens[end].paragraph { a -= 1 }
        guard tokens[a].quote < 0 else { return nil }
        if let r = npAfter(a, upperBound: end), r.upperBound < end,
           tokens[r.lowerBound].isCapitalized || isPronoun(r.lowerBound),
           isComma(r.upperBound) || tokens[r.upperBound].kind == .word
        { return r }
        return clauseSubject(from: a, to: end)
    }

    /// A quotation opening its paragraph after one that ends with a colon ("Caddell continued:").
    func attributeColonIntro(_ q: MarkedQuote, qi: Int) -> Attribution? {
        guard q.openToken >= 0 else { return nil }
        let prev = q.openToken - 1
        guard prev >= 0 else { return nil }
        let sameParagraph = tokens[prev].paragraph == q.paragraph
        if sameParagraph && !isPunct(prev, 0x3A) { return nil }
        guard isPunct(prev, 0x3A) else { return nil }
        // The clause before the colon.
        var lo = prev - 1
        var n = 0
        while lo > 0, n < 30, !tokens[lo - 1].endsSentence, tokens[lo - 1].paragraph == tokens[prev].paragraph, tokens[lo - 1].quote < 0 { lo -= 1; n += 1 }
        var i = prev - 1
        while i >= lo {
            if let c = cue(i), !c.weak, !c.auxiliary {
                if let r = npBefore(i, lowerBound: lo) {
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                }
                if lx.addresseeCues.contains(tokens[i].hash) {
                    guard let r = elidedSubject(cue: i, lowerBound: lo) else { return nil }
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                }
                if let r = npAfter(i + 1, upperBound: prev) {
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                }
                return nil
            }
            i -= 1
        }
        return nil
    }

    // MARK: Whole document

    struct Found {
        var q: MarkedQuote
        var kind: QuoteKind
        var attribution: Attribution?
    }

    func wordCount(_ q: MarkedQuote) -> Int {
        var n = 0
        var inWord = false
        for i in q.content.start..<q.content.end {
            let a = Scalars.isAlnum(s[i])
            if a && !inWord { n += 1 }
            inWord = a || (inWord && (s[i].value == 0x2D || Scalars.isApostrophe(s[i])))
        }
        return n
    }

    /// Title Case content (“The Walking Dead”, “Meet the Press”): a title, not speech.
    func looksLikeTitle(_ q: MarkedQuote) -> Bool {
        var words = 0, caps = 0
        let a = q.openToken >= 0 ? q.openToken + 1 : MarkReader.firstToken(tokens, at: q.content.start)
        let b = q.closeToken >= 0 ? q.closeToken : MarkReader.lastToken(tokens, endingAt: q.content.end) + 1
        guard a >= 0, a < b else { return false }
        for i in a..<b where tokens[i].kind == .word || tokens[i].kind == .number {
            if !tokens[i].isCapitalized && lx.titleSmallWords.contains(tokens[i].hash) { continue }
            words += 1
            if tokens[i].isCapitalized || tokens[i].kind == .number { caps += 1 }
        }
        guard words >= 1, caps == words else { return false }
        if words >= 2 { return true }
        // One capitalized word: a title when it follows "on", "in" or a possessive ("on CNN’s “Hannity”").
        guard q.openToken > 0 else { return false }
        let p = tokens[q.openToken - 1]
        guard p.kind == .word, p.paragraph == q.paragraph else { return false }
        if [Extractor.onHash, Extractor.inHash].contains(p.hash) { return true }
        return p.isCapitalized && p.end - p.start > 2 && Scalars.isApostrophe(s[p.end - 2]) && s[p.end - 1] == "s"
    }
    static let inHash = lexHash("in"), aHash = lexHash("a")
    static let asHash = lexHash("as")

    func extract() -> [Found] {
        var found: [Found] = []
        found.reserveCapacity(marked.count)
        // Attribution per group: the last piece carries the after-cue, the first the before-cue.
        var groupAttribution: [Int: Attribution] = [:]
        var groupFirst: [Int: Int] = [:]
        var groupLast: [Int: Int] = [:]
        for (i, q) in marked.enumerated() {
            if groupFirst[q.group] == nil { groupFirst[q.group] = i }
            groupLast[q.group] = i
        }
        for (qi, q) in marked.enumerated() {
            let words = wordCount(q)
            var short = words < settings.minSpeechWords
            // “We have incompetent people.”: a whole sentence is speech whatever its length.
            if short, words >= 2, Scalars.isUpper(s[q.content.start]), let lastScalar = s[q.content.end - 1] as Unicode.Scalar?,
               lastScalar == "." || lastScalar == "!" || lastScalar == "?", !looksLikeTitle(q)
            { short = false }
            var att: Attribution?
            if let a = groupAttribution[q.group] {
                att = a
            } else {
                let first = marked[groupFirst[q.group] ?? qi]
                let lastIndex = groupLast[q.group] ?? qi
                let last = marked[lastIndex]
                let fi = groupFirst[q.group] ?? qi
                let endsWithComma: Bool = {
                    let lt = last.closeToken - 1
                    guard last.closeToken >= 0, lt >= 0, tokens[lt].kind == .punct else {
                        return last.closeToken >= 0 && last.closeToken + 1 < tokens.count && (isComma(last.closeToken + 1) || isPunct(last.closeToken + 1, 0x2014))
                    }
                    let c = s[tokens[lt].start].value
                    return c == 0x2C || c == 0x3F || c == 0x21 || c == 0x2014 || c == 0x2026
                }()
                // A quotation over several paragraphs whose last piece ends its sentence: what follows is a new
                // sentence, not this quotation's cue (the cue is at its first paragraph).
                let multiParagraph = fi != lastIndex && last.paragraph != first.paragraph
                let after = multiParagraph && !endsWithComma ? nil : attributeByline(last) ?? attributeAfter(last, qi: lastIndex)
                let before = attributeBefore(first, qi: fi, short: short)
                if endsWithComma, let a = after { att = a }
                else if let b = before { att = b }
                else if let a = after { att = a }
                else if let c = attributeColonIntro(first, qi: fi) { att = c }
                if let a = att { groupAttribution[q.group] = a }
            }
            if att == nil, let a = attributeSentenceEnd(marked[groupLast[q.group] ?? qi], qi: groupLast[q.group] ?? qi) {
                // "… became more “conversant” about climate change, Ban said.": a cue closing the sentence
                // attributes even a short fragment.
                att = a
            }
            if att == nil, lx.proDrop, let ci = subjectlessCueAfter(marked[groupLast[q.group] ?? qi], qi: groupLast[q.group] ?? qi) {
                // "«…», dijo.": a cue with its subject left out speaks for the subject of the discourse: the
                // subject of the sentence before the quotation, else the previous quotation's speaker.
                let cueSpan = Span(start: tokens[ci].start, end: tokens[ci].end)
                if let r = proDropSubject(before: marked[groupFirst[q.group] ?? qi]) {
                    att = Attribution(cue: cueSpan, speaker: span(r), speakerTokens: r)
                } else if let prev = found.last(where: { $0.attribution != nil && $0.kind != .term }), let pa = prev.attribution,
                          q.paragraph - prev.q.paragraph <= 2
                {
                    att = Attribution(cue: cueSpan, speaker: pa.speaker, speakerTokens: pa.speakerTokens, pronounInside: pa.pronounInside)
                }
            }
            if att == nil && !short, let r = sentenceSubject(before: q, qi: qi) {
                // No cue found: the subject of the clause that leads into the quotation ("He continued with …: “…”").
                att = Attribution(cue: nil, speaker: span(r), speakerTokens: r)
            }
            if att == nil && !short {
                // Carry-over: a quotation continuing the previous speaker's words.
                if let prev = found.last(where: { $0.attribution != nil && $0.kind != .term }),
                   prev.q.paragraph == q.paragraph || (prev.q.paragraph + 1 == q.paragraph && q.openToken >= 0 && tokens[q.openToken].startsParagraph)
                {
                    att = prev.attribution
                }
            }
            if att == nil && !short, let a = previousSentenceAttribution(q) { att = a }
            if att == nil && !short, q.openToken >= 0, tokens[q.openToken].startsParagraph,
               let prev = found.last(where: { $0.attribution != nil && $0.kind != .term }), q.paragraph - prev.q.paragraph <= 2
            {
                // A paragraph that is one whole quotation, with no cue, a paragraph or two after a speaker's
                // last words: news style for "the same speaker goes on".
                att = prev.attribution
            }
            // In a language that leaves subjects out, a capitalised word opening a sentence that is a cue, a verb
            // or a preposition ("Indica", "Mediante") is no speaker.
            if lx.proDrop, let a = att, a.speakerTokens.count == 1, !a.pronounInside, case let k = a.speakerTokens.lowerBound,
               tokens[k].isCapitalized, k == 0 || tokens[k].startsParagraph || tokens[k - 1].endsSentence,
               lx.cues[tokens[k].hash] != nil || lx.npStops.contains(tokens[k].hash) || lx.verbForms.contains(tokens[k].hash)
                || lx.finiteVerbs.contains(tokens[k].hash)
            { att = nil }
            var kind: QuoteKind
            if att == nil && isHeadline(q.paragraph) {
                // A quotation in a Title Case headline with no speaker is the headline's wording.
                kind = .term
            } else if (short && (att == nil || looksLikeTitle(q))) || (att?.cue == nil && looksLikeTitle(q)) {
                // A title ("How the Grinch Stole Christmas", "Perfect Enough: Carly Fiorina and …") is nobody's words.
                kind = .term
                att = nil
            } else if short {
                // "“We are ready,” Putin said.": a short sentence of its own, quoted whole, is direct speech.
                let opensSentence = q.openToken == 0 || (q.openToken > 0 && (tokens[q.openToken].startsParagraph || tokens[q.openToken - 1].endsSentence))
                let last = s[q.content.end - 1].value
                let whole = last == 0x2C || last == 0x2E || last == 0x21 || last == 0x3F
                kind = q.openToken >= 0 && opensSentence && whole && Scalars.isUpper(s[q.content.start]) ? .direct : .partial
            } else {
                let c = s[q.content.start]
                kind = Scalars.isLetter(c) && !Scalars.isUpper(c) && q.openToken >= 0 && !tokens[q.openToken].startsParagraph ? .partial : .direct
            }
            found.append(Found(q: q, kind: kind, attribution: att))
        }
        return found
    }

    /// "«…», dijo.", "«…», indicó en la intervención": a strong cue right after the quotation with no subject
    /// of its own (a language that leaves subjects out): the cue's token.
    func subjectlessCueAfter(_ q: MarkedQuote, qi: Int) -> Int? {
        let w = afterWindow(q, qi: qi, limit: 12)
        guard var k = w.first else { return nil }
        if isComma(k) || isPunct(k, 0x2014) || isPunct(k, 0x2013) {
            guard w.count > 1 else { return nil }
            k = w[1]
        }
        guard let c = cue(k), !c.weak else { return nil }
        var ci = k
        if c.auxiliary {
            guard k + 1 < tokens.count, let c2 = cue(k + 1), !c2.weak, !c2.auxiliary else { return nil }
            ci = k + 1
        }
        let n = ci + 1
        // Nothing that could be the subject follows: the sentence ends, or a preposition, an adverb or a comma comes.
        if n >= tokens.count || tokens[n].paragraph != q.paragraph || tokens[n].kind == .punct { return ci }
        if tokens[n].kind == .word, !tokens[n].isCapitalized, !isPronoun(n), !lx.determiners.contains(tokens[n].hash),
           lx.npStops.contains(tokens[n].hash) || lx.addresseePrepositions.contains(tokens[n].hash) || lx.isAdverb(s, tokens[n])
        { return ci }
        return nil
    }

    /// The subject of the sentence right before a quotation (in its paragraph or closing the previous one).
    func proDropSubject(before q: MarkedQuote) -> Range<Int>? {
        guard q.openToken > 0 else { return nil }
        let end = q.openToken
        let last = end - 1
        guard tokens[last].quote < 0 || tokens[last].endsSentence else { return nil }
        var s0 = last
        while s0 > 0, end - s0 < 150, !tokens[s0 - 1].endsSentence, tokens[s0 - 1].paragraph == tokens[last].paragraph,
              tokens[s0 - 1].quote < 0 { s0 -= 1 }
        guard tokens[s0].quote < 0, s0 < last else { return nil }
        var a = s0
        while a < last, tokens[a].kind == .word, lx.leadingConjunctions.contains(tokens[a].hash) { a += 1 }
        // "Al respecto, Germán Escobar Morales, …, indicó": past an opening adverbial to its comma.
        if tokens[a].kind == .word, lx.npStops.contains(tokens[a].hash) || lx.isAdverb(s, tokens[a]) {
            var k = a
            while k < last, k - a < 6, !isComma(k) { k += 1 }
            if k < last, isComma(k) { a = k + 1 }
        }
        if let r = npAfter(a, upperBound: last), r.upperBound < last, tokens[r.lowerBound].isCapitalized,
           isComma(r.upperBound) || tokens[r.upperBound].kind == .word
        { return r }
        guard let r = clauseSubject(from: a, to: last) else { return nil }
        let h = tokens[r.lowerBound]
        return h.isCapitalized || isPronoun(r.lowerBound) || lx.determiners.contains(h.hash) ? r : nil
    }

    /// "“…” ― Karen Bobadilla": a vox-pop byline, a dash and a name closing the sentence
    /// or running into the next quotation.
    /// On a line of its own after the quotation ("“…”¶- Clinton.") the byline may use a hyphen.
    func attributeByline(_ q: MarkedQuote) -> Attribution? {
        let d = q.closeToken + 1
        guard q.closeToken >= 0, d + 1 < tokens.count else { return nil }
        let p = tokens[d].paragraph
        let ownLine = p == q.paragraph + 1 && tokens[d].startsParagraph
        guard p == q.paragraph || ownLine,
              isPunct(d, 0x2015) || isPunct(d, 0x2014) || isPunct(d, 0x2013) || (ownLine && isPunct(d, 0x2D)) else { return nil }
        var k = d + 1
        while k < tokens.count, k - d <= 6, tokens[k].paragraph == p, tokens[k].kind == .word,
              tokens[k].isCapitalized || (k > d + 1 && lx.nameParticles.contains(tokens[k].hash)) { k += 1 }
        guard k > d + 1, tokens[k - 1].isCapitalized else { return nil }
        // The name ends the paragraph, the sentence, or meets the next quotation.
        guard k == tokens.count || tokens[k].paragraph != p || tokens[k].kind == .mark
                || (isPunct(k, 0x2E) && !ownLine) || (isPunct(k, 0x2E) && (k + 1 == tokens.count || tokens[k + 1].paragraph != p))
                || (tokens[k - 1].isAbbreviation && tokens[k - 1].endsSentence)
        else { return nil }
        let r = (d + 1)..<k
        return Attribution(cue: nil, speaker: span(r), speakerTokens: r)
    }

    /// "Pete Seat, an Indiana GOP consultant whose firm …, said": the name before the apposition
    /// when the cue follows a comma or a dash.
    func appositionSubject(from lo0: Int, cue i: Int) -> Range<Int>? {
        // "Even China, Pyongyang's only ally, said": a focus word opening the sentence is no part of the name.
        let lo = lo0 + 1 < i && tokens[lo0].kind == .word && lx.focusWords.contains(tokens[lo0].hash) ? lo0 + 1 : lo0
        guard i - 1 > lo, isComma(i - 1) || isPunct(i - 1, 0x2014) || isPunct(i - 1, 0x2013),
              let r = npAfter(lo, upperBound: i).flatMap({ $0.upperBound < i && isComma($0.upperBound) ? $0 : nil })
                ?? clauseSubject(from: lo, to: i), r.upperBound < i - 1,
              tokens[r.lowerBound].isCapitalized,
              isComma(r.upperBound) || isPunct(r.upperBound, 0x2014) || isPunct(r.upperBound, 0x2013)
        else { return nil }
        return r
    }

    /// A cue closing the sentence far after the quotation: "“…” since so many cases …, said Lee Epstein, who …".
    func attributeSentenceEnd(_ q: MarkedQuote, qi: Int) -> Attribution? {
        let w = afterWindow(q, qi: qi, limit: 80)
        guard let first = w.first, let hi = w.last else { return nil }
        for i in w where i > first {
            guard let c = cue(i), !c.weak, !c.auxiliary, !isGerund(i), inversionSplit(i) == nil else { continue }
            let cueSpan = Span(start: tokens[i].start, end: tokens[i].end)
            if isComma(i - 1) || tokens[i - 1].kind == .mark, let r = npAfter(i + 1, upperBound: hi + 1) {
                return Attribution(cue: cueSpan, speaker: span(r), speakerTokens: r)
            }
            if let r = appositionSubject(from: first, cue: i) ?? npBefore(i, lowerBound: first), r.lowerBound > first,
               isComma(r.lowerBound - 1) || tokens[r.lowerBound - 1].kind == .mark
            {
                return Attribution(cue: cueSpan, speaker: span(r), speakerTokens: r)
            }
        }
        return nil
    }

    /// The sentence right before a quotation that opens a sentence ("Sami recalled how …. “…”",
    /// "He then listed the qualities …:¶“…”"): its cue's subject, or its own subject.
    func previousSentenceAttribution(_ q: MarkedQuote) -> Attribution? {
        let prev = q.openToken - 1
        guard q.openToken >= 0, prev >= 0, tokens[prev].quote < 0 else { return nil }
        let sameParagraph = tokens[prev].paragraph == q.paragraph
        guard tokens[prev].endsSentence || isPunct(prev, 0x3A) else { return nil }
        if !sameParagraph && !(isPunct(prev, 0x3A) && tokens[prev].paragraph + 1 == q.paragraph) { return nil }
        var lo = prev
        while lo > 0, prev - lo < 40, !tokens[lo - 1].endsSentence, tokens[lo - 1].paragraph == tokens[prev].paragraph,
              tokens[lo - 1].quote < 0 { lo -= 1 }
        guard lo > 0 ? (tokens[lo - 1].endsSentence || tokens[lo - 1].paragraph != tokens[prev].paragraph) : true else { return nil }
        var i = prev - 1
        while i > lo {
            if let c = cue(i), !c.weak, !c.auxiliary, !isGerund(i), let r = npBefore(i, lowerBound: lo) {
                let h = tokens[r.lowerBound]
                if h.isCapitalized || isPronoun(r.lowerBound) || lx.determiners.contains(h.hash) {
                    return Attribution(cue: Span(start: tokens[i].start, end: tokens[i].end), speaker: span(r), speakerTokens: r)
                }
            }
            i -= 1
        }
        guard let r = clauseSubject(from: lo, to: prev) else { return nil }
        return Attribution(cue: nil, speaker: span(r), speakerTokens: r)
    }

    /// The subject opening the sentence that leads into quotation `q` without a known cue, or nil.
    func sentenceSubject(before q: MarkedQuote, qi: Int) -> Range<Int>? {
        let w = beforeWindow(q, qi: qi)
        guard var lo = w.last, w.count >= 2 else { return nil }
        // "And he made a point of saying …": a leading conjunction is no part of the subject.
        if tokens[lo].kind == .word, lx.leadingConjunctions.contains(tokens[lo].hash), lo + 1 < q.openToken { lo += 1 }
        // "Capitalizing on this new formula, the SVP launched …": an opening participle is no subject.
        if tokens[lo].kind == .word, tokens[lo].isCapitalized, looksVerbal(lo) || isCapitalizedAdverb(lo) {
            var k = lo
            while k < q.openToken, !isComma(k) { k += 1 }
            guard k + 1 < q.openToken else { return nil }
            lo = k + 1
        }
        // "Pence, who is running for reelection, praised …": a name opening the sentence.
        if let r = npAfter(lo, upperBound: q.openToken), r.upperBound < q.openToken - 1,
           tokens[r.lowerBound].isCapitalized || isPronoun(r.lowerBound),
           isComma(r.upperBound) || tokens[r.upperBound].kind == .word
        { return r }
        return clauseSubject(from: lo, to: q.openToken)
    }

    /// A short Title Case paragraph: a headline.
    func isHeadline(_ p: Int) -> Bool {
        let a = MarkReader.firstToken(tokens, at: paragraphs[p].start)
        guard a >= 0 else { return false }
        var words = 0, caps = 0
        var i = a
        while i < tokens.count, tokens[i].paragraph == p {
            if tokens[i].kind == .word, !(lx.titleSmallWords.contains(tokens[i].hash) && !tokens[i].isCapitalized) {
                words += 1
                if tokens[i].isCapitalized { caps += 1 }
            }
            i += 1
        }
        return words >= 3 && words <= 30 && caps * 10 >= words * 8
    }

    func prevParagraphEndsInQuote(_ p: Int) -> Bool {
        guard p > 0 else { return false }
        // The last token of the previous paragraph is a closing mark or punctuation after one.
        var i = MarkReader.firstToken(tokens, at: paragraphs[p].start) - 1
        guard i >= 0 else { return false }
        var n = 0
        while i >= 0, n < 12, tokens[i].paragraph == p - 1 {
            if tokens[i].quote >= 0 { return true }
            i -= 1; n += 1
        }
        return false
    }
}
