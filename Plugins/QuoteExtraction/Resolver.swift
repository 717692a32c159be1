import GleanerCore

/// Resolves a speaker mention ("he", "the sinologist", "the Chinese No. 1", "Putin")
/// to an entity of the document, learning role words from the document's own
/// appositions and titles ("Alice Ekman, analyst …", "Russian President Vladimir Putin").
struct Resolver {
    struct Person {
        var id: String?
        var canonical: String
        var isPerson: Bool
        /// Mention starts, in text order.
        var mentions: [Span]
        /// Role and country words from titles and appositions.
        var roleWords: Set<UInt64> = []
        var countries: Set<Int> = []
        var origin: Int?
        /// Gender from the pronouns that follow its mentions ("m", "f").
        var he = 0, she = 0
    }

    let ex: Extractor
    var people: [Person] = []
    /// Every entity mention, sorted, with the index of its person.
    var mentionIndex: [(span: Span, person: Int)] = []

    init(ex: Extractor, entities: EntitiesLayer?) {
        self.ex = ex
        var byID: [String: Int] = [:]
        for m in entities?.mentions ?? [] {
            guard m.type == .person || m.type == .organization || m.type == .misc else { continue }
            if let i = byID[m.entityID] {
                people[i].mentions.append(m.span)
            } else {
                byID[m.entityID] = people.count
                people.append(Person(id: m.entityID, canonical: m.canonical, isPerson: m.type == .person, mentions: [m.span]))
            }
            mentionIndex.append((m.span, byID[m.entityID] ?? 0))
        }
        if !people.contains(where: \.isPerson) { addNameMentions() }
        mentionIndex.sort { $0.span.start < $1.span.start }
        learn()
    }

    /// Without a tagger's persons: names read from the text itself. A run of two or more
    /// capitalized words outside quotations ("Donald Trump") is a person when its last word
    /// also stands alone somewhere ("Trump"); the lone word is then a mention of it.
    private mutating func addNameMentions() {
        let tokens = ex.tokens
        // Computed once: whether each token can be part of a name, and its hash without a possessive.
        let nameWord = tokens.indices.map { isNameWordUncached($0) }
        let base = tokens.indices.map { nameWord[$0] ? self.baseHash($0) : 0 }
        func isNameWord(_ k: Int) -> Bool { nameWord[k] }
        func baseOf(_ k: Int) -> UInt64 { base[k] }
        var runs: [(Range<Int>, UInt64)] = []
        var i = 0
        while i < tokens.count {
            guard isNameWord(i) else { i += 1; continue }
            var j = i
            while j < tokens.count, isNameWord(j), tokens[j].paragraph == tokens[i].paragraph, j - i < 4 { j += 1 }
            var a = i
            while a < j, Lexicon.titles.contains(tokens[a].hash) || Lexicon.determiners.contains(tokens[a].hash) { a += 1 }
            let org = (a..<j).contains { Resolver.orgWords.contains(baseOf($0)) }
            if j - a >= 2, !org { runs.append((a..<j, baseOf(j - 1))) }
            i = j
        }
        guard !runs.isEmpty else { return }
        var alone: Set<UInt64> = []
        for k in tokens.indices where isNameWord(k) && tokens[k].quote < 0 {
            let prevName = k > 0 && isNameWord(k - 1) && tokens[k - 1].paragraph == tokens[k].paragraph && !Lexicon.titles.contains(tokens[k - 1].hash)
            let nextName = k + 1 < tokens.count && isNameWord(k + 1) && tokens[k + 1].paragraph == tokens[k].paragraph
            if !prevName && !nextName { alone.insert(baseOf(k)) }
        }
        // Runs of three words, or of two whose last word also stands alone, are people.
        runs = runs.filter { alone.contains($0.1) || $0.0.count == 2 && ex.s[tokens[$0.0.lowerBound].start..<tokens[$0.0.upperBound - 1].end].count < 40 }
        var byLast: [UInt64: Int] = [:]
        for (r, last) in runs {
            var end = tokens[r.upperBound - 1].end
            if end - 2 > tokens[r.upperBound - 1].start, Scalars.isApostrophe(ex.s[end - 2]), ex.s[end - 1] == "s" { end -= 2 }
            else if Scalars.isApostrophe(ex.s[end - 1]) { end -= 1 }
            let name = String(String.UnicodeScalarView(ex.s[tokens[r.lowerBound].start..<end]))
            let pi: Int
            if let known = byLast[last] {
                pi = known
                if name.unicodeScalars.count > people[pi].canonical.unicodeScalars.count { people[pi].canonical = name }
            } else {
                pi = people.count
                byLast[last] = pi
                people.append(Person(id: nil, canonical: name, isPerson: true, mentions: []))
            }
            let sp = Span(start: tokens[r.lowerBound].start, end: tokens[r.upperBound - 1].end)
            people[pi].mentions.append(sp)
            mentionIndex.append((sp, pi))
        }
        for k in tokens.indices where isNameWord(k) {
            guard let pi = byLast[baseOf(k)] else { continue }
            let prevName = k > 0 && isNameWord(k - 1) && tokens[k - 1].paragraph == tokens[k].paragraph
            if prevName && !Lexicon.titles.contains(tokens[k - 1].hash) { continue }
            if k + 1 < tokens.count, isNameWord(k + 1), tokens[k + 1].paragraph == tokens[k].paragraph { continue }
            let sp = Span(start: tokens[k].start, end: tokens[k].end)
            people[pi].mentions.append(sp)
            mentionIndex.append((sp, pi))
        }
    }

    /// The hash of a word without its possessive ("Romney’s" → "romney").
    private func baseHash(_ k: Int) -> UInt64 {
        let t = ex.tokens[k]
        var end = t.end
        if end - 2 > t.start, Scalars.isApostrophe(ex.s[end - 2]), ex.s[end - 1] == "s" || ex.s[end - 1] == "S" { end -= 2 }
        else if end - 1 > t.start, Scalars.isApostrophe(ex.s[end - 1]) { end -= 1 }
        if end == t.end { return t.hash }
        var h = fnvStart()
        for i in t.start..<end { h = fnvAdd(h, Scalars.lower(ex.s[i])) }
        return h
    }

    static let orgWords: Set<UInt64> = Set([
        "books", "times", "news", "post", "party", "university", "college", "department", "house", "center", "centre",
        "committee", "association", "council", "institute", "foundation", "court", "senate", "congress", "club", "group",
        "inc", "corp", "company", "network", "journal", "magazine", "press", "media", "tribune", "herald", "daily",
        "street", "avenue", "city", "county", "state", "states", "republic", "union", "agency", "bureau", "office",
        "school", "church", "hospital", "bank", "fund", "campaign", "pac", "administration", "army", "navy", "force",
        "airport", "station", "hall", "sciences", "po", "essec", "square", "park", "river", "island", "north", "south", "east", "west", "new",
        "united", "national", "international", "american", "democratic", "republican", "federal", "general", "world",
        "tower", "trump's", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "twitter", "facebook", "fox", "cnn", "msnbc", "abc", "nbc", "cbs", "gop", "isis", "fbi", "cia", "nato", "un",
    ].map(lexHash))

    private func isNameWordUncached(_ k: Int) -> Bool {
        let t = ex.tokens[k]
        guard t.kind == .word, t.isCapitalized, t.quote < 0 else { return false }
        if Lexicon.countries[t.hash] != nil || Lexicon.pronouns[t.hash] != nil || Lexicon.npStops.contains(t.hash) { return false }
        if Lexicon.determiners.contains(t.hash) { return false }
        // A capitalized word opening a sentence is a name only if it is not a common word there.
        return true
    }

    private func tokenIndex(at offset: Int) -> Int { MarkReader.firstToken(ex.tokens, at: offset) }

    /// Titles before mentions and appositions after them, and pronoun genders.
    private mutating func learn() {
        let tokens = ex.tokens
        let mentionStarts = Set(mentionIndex.map(\.span.start))
        for pi in people.indices {
            guard people[pi].isPerson else { continue }
            let words = people[pi].canonical.split(separator: " ")
            if let f = words.first, let l = words.last {
                people[pi].origin = Lexicon.originCountry(first: lexHash(String(f)), last: Array(l.unicodeScalars))
            }
            for m in people[pi].mentions {
                let a = tokenIndex(at: m.start)
                guard a >= 0, a < tokens.count else { continue }
                var b = a
                while b + 1 < tokens.count, tokens[b + 1].start < m.end { b += 1 }
                // Title before: "Russian President Vladimir Putin", "analyst Alice Ekman".
                var k = a - 1
                var n = 0
                while k >= 0, n < 4, tokens[k].kind == .word, tokens[k].paragraph == tokens[a].paragraph,
                      !Lexicon.npStops.contains(tokens[k].hash), !Lexicon.determiners.contains(tokens[k].hash), tokens[k].quote < 0
                {
                    addRole(pi, tokens[k].hash)
                    k -= 1; n += 1
                }
                // Apposition after: "Alice Ekman, analyst responsible for Asia …".
                if b + 1 < tokens.count, ex.isComma(b + 1) {
                    var j = b + 2
                    var n = 0
                    if j < tokens.count, tokens[j].kind == .word, Lexicon.determiners.contains(tokens[j].hash) { j += 1 }
                    // The apposition must open on a lowercase noun or a country word (not a new clause).
                    if j < tokens.count, tokens[j].kind == .word, ex.cue(j) == nil,
                       !tokens[j].isCapitalized || Lexicon.countries[tokens[j].hash] != nil || Lexicon.leaderNouns.contains(tokens[j].hash)
                    {
                        while j < tokens.count, n < 8, tokens[j].kind == .word, tokens[j].paragraph == tokens[b].paragraph, tokens[j].quote < 0 {
                            if ex.cue(j) != nil && !tokens[j].isCapitalized { break }
                            addRole(pi, tokens[j].hash)
                            j += 1; n += 1
                        }
                    }
                }
                // Gender: the first personal pronoun in the next few tokens.
                var j = b + 1
                var seen = 0
                while j < tokens.count, seen < 12, tokens[j].paragraph == tokens[b].paragraph {
                    if tokens[j].kind == .word, let g = Lexicon.pronouns[tokens[j].hash] ?? Extractor.possessiveGender[tokens[j].hash] {
                        if g == "m" { people[pi].he += 1 } else if g == "f" { people[pi].she += 1 }
                        break
                    }
                    if mentionStarts.contains(tokens[j].start) { break }
                    j += 1; seen += 1
                }
            }
        }
    }

    private mutating func addRole(_ pi: Int, _ h: UInt64) {
        people[pi].roleWords.insert(h)
        if let c = Lexicon.countries[h] { people[pi].countries.insert(c) }
    }

    struct Resolution {
        var name: String?
        var id: String?
    }

    func gender(_ p: Person) -> Character? {
        if p.he > p.she { return "m" }
        if p.she > p.he { return "f" }
        return nil
    }

    /// The person mentioned nearest before `offset`, outside quotations, compatible with `gender`.
    func nearestPerson(before offset: Int, gender g: Character?) -> Int? {
        var i = mentionIndex.count - 1
        while i >= 0 {
            let m = mentionIndex[i]
            if m.span.start < offset, people[m.person].isPerson {
                let t = tokenIndex(at: m.span.start)
                let inQuote = t >= 0 && t < ex.tokens.count && ex.tokens[t].quote >= 0
                if !inQuote {
                    if let g, let pg = gender(people[m.person]), pg != g {} else { return m.person }
                }
            }
            i -= 1
        }
        return nil
    }

    func resolve(_ speaker: Span, tokens r: Range<Int>, pronounInside: Bool) -> Resolution {
        // 1. An entity mention at the speaker.
        var best: Int?
        var bestEnd = 0
        for m in mentionIndex where m.span.overlaps(speaker) {
            if best == nil || people[m.person].isPerson && !(best.map { people[$0].isPerson } ?? false) {
                best = m.person
                bestEnd = m.span.end
            }
        }
        // A non-person name inside a role phrase ("Chinese" in "the Chinese No. 1") is not
        // the speaker; it is when it is the phrase's head ("The New York Post").
        if let b = best, people[b].isPerson || bestEnd >= speaker.end {
            return Resolution(name: people[b].canonical, id: people[b].id)
        }
        let tokens = ex.tokens
        // 2. A pronoun.
        var h: UInt64 = fnvStart()
        for k in speaker.start..<speaker.end { h = fnvAdd(h, Scalars.lower(ex.s[k])) }
        if let g = Lexicon.pronouns[h] {
            if g == nil { return Resolution() }
            if let p = nearestPerson(before: speaker.start, gender: g) { return Resolution(name: people[p].canonical, id: people[p].id) }
            return Resolution()
        }
        // "…, who said": the person named right before the relative clause.
        if h == Lexicon.who {
            if let p = nearestPerson(before: speaker.start, gender: nil) { return Resolution(name: people[p].canonical, id: people[p].id) }
            return Resolution()
        }
        guard !pronounInside, r.lowerBound < r.upperBound else { return Resolution() }
        // 3. A role phrase: words of the phrase, the head last.
        let words = r.filter { tokens[$0].kind == .word || tokens[$0].kind == .number }.map { tokens[$0].hash }
        let caps = r.filter { tokens[$0].isCapitalized && Lexicon.countries[tokens[$0].hash] == nil && !Lexicon.determiners.contains(tokens[$0].hash) }
        let hasDeterminer = tokens[r.lowerBound].kind == .word && Lexicon.determiners.contains(tokens[r.lowerBound].hash)
        let isName = !caps.isEmpty && !hasDeterminer && caps.count * 2 >= r.count
        if isName {
            // 4. A name the tagger missed: match its last word to a person's name.
            guard let lastCap = caps.last else { return Resolution() }
            let lt = tokens[lastCap]
            for p in people where p.isPerson {
                if p.canonical.split(separator: " ").last.map({ lexHash(String($0)) }) == lt.hash {
                    return Resolution(name: p.canonical, id: p.id)
                }
            }
            var firstCap = lastCap
            while firstCap > r.lowerBound, tokens[firstCap - 1].isCapitalized, tokens[firstCap - 1].kind == .word,
                  Lexicon.countries[tokens[firstCap - 1].hash] == nil, !Lexicon.titles.contains(tokens[firstCap - 1].hash) { firstCap -= 1 }
            return Resolution(name: longestForm(ending: lastCap, first: firstCap), id: nil)
        }
        let before = speaker.start
        func latest(_ candidates: [Int]) -> Int? {
            // The candidate mentioned most recently before the speaker, or first after it.
            var bestI: Int?
            var bestPos = Int.min
            for c in candidates {
                let pos = people[c].mentions.filter { $0.start < before }.map(\.start).max() ?? Int.min + 1
                if pos > bestPos { bestPos = pos; bestI = c }
            }
            return bestI
        }
        // Learned: a role word of the phrase's head in a title or apposition.
        if let head = words.last {
            let c = people.indices.filter { people[$0].isPerson && people[$0].roleWords.contains(head) && !Lexicon.determiners.contains(head) }
            let country = words.compactMap { Lexicon.countries[$0] }.first
            let narrowed = country.map { cc in c.filter { people[$0].countries.isEmpty || people[$0].countries.contains(cc) } } ?? c
            if let p = latest(narrowed.isEmpty ? c : narrowed) { return Resolution(name: people[p].canonical, id: people[p].id) }
        }
        // An expert noun ("the sinologist") → the person introduced as an expert.
        let isExpert = words.contains { Lexicon.expertNouns.contains($0) } || r.contains { k in
            let t = tokens[k]
            guard t.kind == .word, t.end - t.start > 6 else { return false }
            let tail = String(String.UnicodeScalarView(ex.s[(t.end - 5)..<t.end])).lowercased()
            return tail == "ogist" || tail == "ologue" || tail.hasSuffix("logue")
        }
        if isExpert {
            let c = people.indices.filter { pi in people[pi].isPerson && people[pi].roleWords.contains { Lexicon.expertNouns.contains($0) } }
            if let p = latest(c) { return Resolution(name: people[p].canonical, id: people[p].id) }
        }
        // A leader of a country ("the Chinese No. 1", "the head of the Kremlin").
        if let country = words.compactMap({ Lexicon.countries[$0] }).first, words.contains(where: { Lexicon.leaderNouns.contains($0) }) {
            var c = people.indices.filter { people[$0].isPerson && people[$0].countries.contains(country) }
            if c.isEmpty { c = people.indices.filter { people[$0].isPerson && people[$0].origin == country } }
            if let p = latest(c) { return Resolution(name: people[p].canonical, id: people[p].id) }
        }
        return Resolution()
    }

    /// The longest capitalized sequence in the document ending with the same word as token `k`.
    func longestForm(ending k: Int, first: Int) -> String {
        let tokens = ex.tokens
        let h = tokens[k].hash
        var best = first..<(k + 1)
        for (i, t) in tokens.enumerated() where t.hash == h && t.isCapitalized {
            var a = i
            while a > 0, tokens[a - 1].isCapitalized, tokens[a - 1].kind == .word, tokens[a - 1].paragraph == t.paragraph,
                  !tokens[a - 1].endsSentence, !Lexicon.determiners.contains(tokens[a - 1].hash), i - a < 3,
                  Lexicon.countries[tokens[a - 1].hash] == nil, !Lexicon.leaderNouns.contains(tokens[a - 1].hash),
                  !Lexicon.titles.contains(tokens[a - 1].hash)
            { a -= 1 }
            if a > 0, tokens[a - 1].endsSentence == false, i - a + 1 > best.count { best = a..<(i + 1) }
            else if a == 0, i + 1 > best.count { best = a..<(i + 1) }
        }
        return String(String.UnicodeScalarView(ex.s[tokens[best.lowerBound].start..<tokens[best.upperBound - 1].end]))
    }
}

extension Extractor {
    static let possessiveGender: [UInt64: Character?] = {
        var d: [UInt64: Character?] = [:]
        d[lexHash("his")] = "m"
        d[lexHash("himself")] = "m"
        d[lexHash("herself")] = "f"
        return d
    }()
}
