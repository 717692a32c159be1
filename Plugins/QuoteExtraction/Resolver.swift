import GleanerCore

/// Resolves a speaker mention ("he", "the sinologist", "the Valencia midfielder", "Putin") to a person
/// of the document. Names go to their entity (the tagger's person cluster). Pronouns and descriptions
/// go to the most *salient* compatible person, not the last one named: subjects of the current and
/// previous sentences and speakers of quotations weigh more than names in objects or prepositional
/// phrases, and the speaker of the previous quotation keeps a run of quotations together. Gender comes
/// from titles ("Mr", "Ms"), the pronouns that follow a person's mentions and, failing those, the Census
/// first-name lists; role words come from the document's own titles, appositions and predicates
/// ("Ada Lindqvist, analyst …", "Foreign Minister Ada Okafor", "Tom Reyes, 31, the Valencia midfielder").
/// When nothing is good enough the mention stays unresolved: no name is better than a wrong one.
///
/// Everything is built once per document in time linear in its size; each look-up reads a bounded
/// window of the salience events (a few sentences) or an index by surname.
struct Resolver {
    struct Person {
        var id: String?
        var canonical: String
        var isPerson: Bool
        /// Mention starts, in text order.
        var mentions: [Span]
        /// Role and country words from titles, appositions and predicates.
        var roleWords: Set<UInt64> = []
        var countries: Set<Int> = []
        /// Gender from the pronouns that follow its mentions ("m", "f").
        var he = 0, she = 0
        /// Gender from a title before a mention ("Mr", "Ms").
        var titleGender: Character?
        /// Gender from the first-name lists, the weakest evidence.
        var nameGender: Character?
    }

    /// A mention of a person in text order, for salience.
    struct Event {
        var token: Int
        var sentence: Int
        var person: Int
        var weight: Double
    }

    let ex: Extractor
    var lx: Lex { ex.lx }
    var people: [Person] = []
    /// Every entity mention, sorted, with the index of its person.
    var mentionIndex: [(span: Span, person: Int)] = []
    /// Sentence number of each token.
    var sentenceOf: [Int] = []
    /// Salience events in text order: names (weighted by their role in the sentence), speakers, resolved pronouns.
    var events: [Event] = []
    /// Persons by the hash of the last word of their canonical name.
    var bySurname: [UInt64: [Int]] = [:]
    /// The longest capitalised run in the document ending with each word, by the word's hash.
    var longestRun: [UInt64: Range<Int>] = [:]
    /// Persons by each role word learned for them, and the persons introduced as experts.
    var byRole: [UInt64: [Int]] = [:]
    var experts: [Int] = []
    var byCountry: [Int: [Int]] = [:]
    /// The speaker of the previous quotation and its paragraph.
    var lastSpeaker: (person: Int, paragraph: Int)?

    /// Sentences back a pronoun or description may look, with the weight of each distance.
    static let recency: [Double] = [1.0, 0.75, 0.5, 0.35, 0.25, 0.18, 0.12]

    init(ex: Extractor, entities: EntitiesLayer?, speakers: [Span] = []) {
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
        // "China-North Korea-Russia" tagged as a person is a list of countries, not anyone's name.
        for pi in people.indices where people[pi].isPerson {
            var countryWords = 0
            for w in people[pi].canonical.split(whereSeparator: { $0 == " " || $0 == "-" }) where lx.countries[lexHash(String(w))] != nil {
                countryWords += 1
            }
            if countryWords >= 2 { people[pi].isPerson = false }
        }
        if !people.contains(where: \.isPerson) { addNameMentions() }
        mentionIndex.sort { $0.span.start < $1.span.start }
        let tokens = ex.tokens
        sentenceOf = [Int](repeating: 0, count: tokens.count)
        var sn = 0
        for k in tokens.indices {
            sentenceOf[k] = sn
            if tokens[k].endsSentence || k + 1 == tokens.count || tokens[k + 1].paragraph != tokens[k].paragraph { sn += 1 }
        }
        for pi in people.indices where people[pi].isPerson {
            if let last = people[pi].canonical.split(separator: " ").last {
                bySurname[lexHash(String(last)), default: []].append(pi)
            }
        }
        // A person's surname where the tagger saw no name ("Mayor Bill de Blasio described …") is still a
        // mention of the one person with that surname: its titles and appositions describe that person.
        var covered = Set<Int>()
        for m in mentionIndex { covered.insert(m.span.start) }
        var extra: [(span: Span, person: Int)] = []
        for t in tokens where t.kind == .word && t.isCapitalized && t.quote < 0 {
            guard let c = bySurname[t.hash], c.count == 1 else { continue }
            let sp = Span(start: t.start, end: t.end)
            if covered.contains(t.start) { continue }
            extra.append((sp, c[0]))
            people[c[0]].mentions.append(sp)
        }
        if !extra.isEmpty {
            // Drop those inside a longer mention (its last word), then merge in order.
            let sorted = mentionIndex
            var merged: [(span: Span, person: Int)] = []
            merged.reserveCapacity(sorted.count + extra.count)
            var a = 0, b = 0
            while a < sorted.count || b < extra.count {
                if b == extra.count || (a < sorted.count && sorted[a].span.start <= extra[b].span.start) {
                    merged.append(sorted[a]); a += 1
                } else {
                    if let last = merged.last, last.span.end >= extra[b].span.end { b += 1; continue }
                    merged.append(extra[b]); b += 1
                }
            }
            mentionIndex = merged
        }
        learn()
        for pi in people.indices where people[pi].isPerson {
            for w in people[pi].roleWords { byRole[w, default: []].append(pi) }
            for c in people[pi].countries { byCountry[c, default: []].append(pi) }
            if people[pi].roleWords.contains(where: { lx.expertNouns.contains($0) }) { experts.append(pi) }
        }
        indexRuns()
        buildEvents(speakers: speakers.sorted { $0.start < $1.start })
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
            while a < j, lx.titles.contains(tokens[a].hash) || lx.determiners.contains(tokens[a].hash) { a += 1 }
            let org = (a..<j).contains { lx.orgWords.contains(baseOf($0)) }
            if j - a >= 2, !org { runs.append((a..<j, baseOf(j - 1))) }
            i = j
        }
        guard !runs.isEmpty else { return }
        var alone: Set<UInt64> = []
        for k in tokens.indices where isNameWord(k) && tokens[k].quote < 0 {
            let prevName = k > 0 && isNameWord(k - 1) && tokens[k - 1].paragraph == tokens[k].paragraph && !lx.titles.contains(tokens[k - 1].hash)
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
            if prevName && !lx.titles.contains(tokens[k - 1].hash) { continue }
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


    private func isNameWordUncached(_ k: Int) -> Bool {
        let t = ex.tokens[k]
        guard t.kind == .word, t.isCapitalized, t.quote < 0 else { return false }
        if lx.countries[t.hash] != nil || lx.pronouns[t.hash] != nil || lx.npStops.contains(t.hash) { return false }
        if lx.determiners.contains(t.hash) { return false }
        return Resolver.isNameShaped(ex.s, t)
    }

    private func tokenIndex(at offset: Int) -> Int { MarkReader.firstToken(ex.tokens, at: offset) }


    /// Titles before mentions, appositions and predicates after them, and genders.
    private mutating func learn() {
        let tokens = ex.tokens
        let mentionStarts = Set(mentionIndex.map(\.span.start))
        for pi in people.indices {
            guard people[pi].isPerson else { continue }
            if let first = people[pi].canonical.split(separator: " ").first {
                let h = lexHash(String(first))
                if lx.firstNamesM.contains(h) { people[pi].nameGender = "m" }
                else if lx.firstNamesF.contains(h) { people[pi].nameGender = "f" }
            }
            for m in people[pi].mentions {
                let a = tokenIndex(at: m.start)
                guard a >= 0, a < tokens.count else { continue }
                var b = a
                while b + 1 < tokens.count, tokens[b + 1].start < m.end { b += 1 }
                // Title before: "Russian President Vladimir Putin", "analyst Ada Lindqvist", "Ms Berg".
                var k = a - 1
                if k >= 0, ex.isPunct(k, 0x2E) { k -= 1 }
                if k >= 0, tokens[k].kind == .word, tokens[k].paragraph == tokens[a].paragraph {
                    if lx.titlesM.contains(tokens[k].hash) { people[pi].titleGender = "m" }
                    else if lx.titlesF.contains(tokens[k].hash) { people[pi].titleGender = "f" }
                }
                var n = 0
                while k >= 0, n < 4, tokens[k].kind == .word, tokens[k].paragraph == tokens[a].paragraph,
                      !lx.npStops.contains(tokens[k].hash), !lx.determiners.contains(tokens[k].hash), tokens[k].quote < 0
                {
                    addRole(pi, tokens[k].hash)
                    k -= 1; n += 1
                }
                // Apposition after: "Ada Lindqvist, analyst responsible for Asia …", "Tom Reyes, 31, the Valencia midfielder,".
                if b + 1 < tokens.count, ex.isComma(b + 1) {
                    var j = b + 2
                    // An age: "Reyes, 31," makes "the 31-year-old".
                    if j + 1 < tokens.count, tokens[j].kind == .number, ex.isComma(j + 1) || tokens[j + 1].endsSentence {
                        let age = String(String.UnicodeScalarView(ex.s[tokens[j].start..<tokens[j].end]))
                        addRole(pi, lexHash(age + "-year-old"))
                        j += 2
                    }
                    learnPhrase(pi, from: j, paragraph: tokens[b].paragraph)
                }
                // Predicate: "Reyes is the Valencia midfielder", "Okafor was a minister".
                if b + 2 < tokens.count, tokens[b + 1].kind == .word, lx.copulas.contains(tokens[b + 1].hash),
                   lx.determiners.contains(tokens[b + 2].hash)
                {
                    learnPhrase(pi, from: b + 2, paragraph: tokens[b].paragraph)
                }
                // Gender: the first personal pronoun in the next few tokens.
                var j = b + 1
                var seen = 0
                while j < tokens.count, seen < 12, tokens[j].paragraph == tokens[b].paragraph {
                    if tokens[j].kind == .word, let g = lx.pronouns[tokens[j].hash] ?? lx.possessiveGender[tokens[j].hash] {
                        if g == "m" { people[pi].he += 1 } else if g == "f" { people[pi].she += 1 }
                        break
                    }
                    if mentionStarts.contains(tokens[j].start) { break }
                    j += 1; seen += 1
                }
            }
        }
    }

    /// Role words of a describing phrase from token `j0`: "the Valencia midfielder", "analyst responsible for Asia".
    private mutating func learnPhrase(_ pi: Int, from j0: Int, paragraph: Int) {
        let tokens = ex.tokens
        var j = j0
        var determiner = false
        if j < tokens.count, tokens[j].kind == .word, lx.determiners.contains(tokens[j].hash) {
            // "this Thursday", "that week": a time phrase, not a description.
            if lx.timeModifiers.contains(tokens[j].hash) { return }
            j += 1; determiner = true
        }
        if j < tokens.count, lx.timeNouns.contains(tokens[j].hash) { return }
        // The phrase opens on a lowercase noun, a country word, or any word after a determiner (not a new clause).
        guard j < tokens.count, tokens[j].kind == .word || tokens[j].kind == .number, ex.cue(j) == nil, tokens[j].quote < 0,
              determiner || !tokens[j].isCapitalized || lx.countries[tokens[j].hash] != nil || lx.leaderNouns.contains(tokens[j].hash)
        else { return }
        var n = 0
        while j < tokens.count, n < 8, tokens[j].kind == .word || tokens[j].kind == .number, tokens[j].paragraph == paragraph, tokens[j].quote < 0 {
            if ex.cue(j) != nil && !tokens[j].isCapitalized { break }
            if lx.pronouns[tokens[j].hash] != nil || tokens[j].hash == Lexicon.who { break }
            // "analyst responsible for Asia at the Institute …": the description ends at a preposition other than of/for.
            if n > 0, lx.npStops.contains(tokens[j].hash), tokens[j].hash != Lexicon.of, tokens[j].hash != Lexicon.forWord,
               tokens[j].hash != Lexicon.de { break }
            addRole(pi, tokens[j].hash)
            j += 1; n += 1
        }
    }


    private mutating func addRole(_ pi: Int, _ h: UInt64) {
        people[pi].roleWords.insert(h)
        if let full = lx.titleAbbreviations[h] { people[pi].roleWords.insert(full) }
        if let c = lx.countries[h] { people[pi].countries.insert(c) }
    }

    /// For each capitalised word, the longest capitalised run ending with it (replaces a scan per look-up).
    private mutating func indexRuns() {
        let tokens = ex.tokens
        var runStart = 0
        for i in tokens.indices {
            let t = tokens[i]
            guard t.kind == .word, t.isCapitalized else { runStart = i + 1; continue }
            var prevOK = i > 0 && i - 1 >= runStart
            if prevOK {
                let p = tokens[i - 1]
                if p.paragraph != t.paragraph || p.endsSentence { prevOK = false }
                else if lx.determiners.contains(p.hash) || lx.leaderNouns.contains(p.hash) || lx.titles.contains(p.hash) { prevOK = false }
                else if lx.countries[p.hash] != nil { prevOK = false }
            }
            if !prevOK { runStart = i }
            let a = max(runStart, i - 3)
            // A run opening its sentence may carry a sentence-initial word; it counts only from the text's start.
            let opensSentence = a > 0 && tokens[a - 1].endsSentence
            let r = (opensSentence && a < i ? a + 1 : a)..<(i + 1)
            if let old = longestRun[t.hash], old.count >= r.count { continue }
            longestRun[t.hash] = r
        }
    }

    // MARK: Salience

    /// Whether the mention at token `a` is the subject of its sentence: nothing but titles, role words
    /// or an opening adverbial phrase before it, no preposition.
    func isSubject(_ a: Int) -> Bool {
        let tokens = ex.tokens
        var k = a - 1
        let sn = sentenceOf[a]
        while k >= 0, sentenceOf[k] == sn {
            let t = tokens[k]
            if t.kind == .word {
                if lx.npStops.contains(t.hash) || lx.connectors.contains(t.hash) || lx.cues[t.hash] != nil { return false }
            } else if t.kind == .punct {
                if ex.isComma(k) {
                    // "On Tuesday, Reyes …": a short opening phrase before the comma.
                    var j = k - 1
                    var n = 0
                    while j >= 0, sentenceOf[j] == sn, !ex.isComma(j), n < 6 { j -= 1; n += 1 }
                    return j < 0 || sentenceOf[j] != sn
                }
                if !ex.isPunct(k, 0x2E) { return false }
            } else if t.kind == .mark {
                return false
            }
            k -= 1
        }
        return true
    }

    private func isPossessive(_ k: Int) -> Bool {
        let t = ex.tokens[k]
        let n: Int = t.end - t.start
        let last: UInt32 = ex.s[t.end - 1].value
        if n > 2, Scalars.isApostrophe(ex.s[t.end - 2]), last == 0x73 || last == 0x53 { return true }
        return n > 1 && Scalars.isApostrophe(ex.s[t.end - 1])
    }

    /// Names, speakers and narrative pronouns in one pass over the document, each pronoun resolved as it comes.
    private mutating func buildEvents(speakers: [Span]) {
        let tokens = ex.tokens
        var si = 0
        var mi = 0
        for k in tokens.indices {
            let t = tokens[k]
            while si < speakers.count, speakers[si].end <= t.start { si += 1 }
            let inSpeaker = si < speakers.count && speakers[si].start <= t.start && t.end <= speakers[si].end
            var handled = false
            while mi < mentionIndex.count, mentionIndex[mi].span.start < t.end {
                let m = mentionIndex[mi]
                mi += 1
                guard m.span.start >= t.start, !handled, people[m.person].isPerson, t.quote < 0 else { continue }
                handled = true
                var b = k
                while b + 1 < tokens.count, tokens[b + 1].start < m.span.end { b += 1 }
                var w = isSubject(k) ? 2.0 : 1.0
                if isPossessive(b) { w = 0.5 }
                if inSpeaker { w = 2.5 }
                events.append(Event(token: k, sentence: sentenceOf[k], person: m.person, weight: w))
            }
            guard !handled, t.kind == .word, t.quote < 0, let g = lx.pronouns[t.hash], let gender = g else { continue }
            if let p = best(at: k, gender: gender, among: nil, bonus: false) {
                events.append(Event(token: k, sentence: sentenceOf[k], person: p, weight: inSpeaker ? 2.5 : isSubject(k) ? 2.0 : 1.0))
            }
        }
    }

    func gender(_ p: Person) -> Character? {
        if let g = p.titleGender { return g }
        if p.he > p.she { return "m" }
        if p.she > p.he { return "f" }
        return p.nameGender
    }

    /// The most salient person before token `k` compatible with `gender`, from the events of the last few
    /// sentences; among `among` when given. Nil when no one is salient enough or two are nearly tied.
    func best(at k: Int, gender g: Character?, among: Set<Int>?, bonus: Bool) -> Int? {
        // The last event before k (binary search).
        var lo = 0, hi = events.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if events[mid].token < k { lo = mid + 1 } else { hi = mid }
        }
        let sn = sentenceOf[k]
        // A few persons at most: a small array beats a dictionary here.
        var persons: [Int] = []
        var scores: [Double] = []
        var e = lo - 1
        while e >= 0 {
            let ev = events[e]
            let d = sn - ev.sentence
            if d >= Resolver.recency.count { break }
            e -= 1
            if let among, !among.contains(ev.person) { continue }
            if let g, let pg = gender(people[ev.person]), pg != g { continue }
            let add = ev.weight * Resolver.recency[max(0, d)]
            if let i = persons.firstIndex(of: ev.person) { scores[i] += add } else { persons.append(ev.person); scores.append(add) }
        }
        if bonus, let last = lastSpeaker, ex.tokens[k].paragraph - last.paragraph <= 2, let i = persons.firstIndex(of: last.person) {
            scores[i] += 1.5
        }
        var bestP: Int?
        var bestS = 0.0, second = 0.0
        for (i, p) in persons.enumerated() {
            let sc = scores[i]
            var better = sc > bestS
            if !better, sc == bestS, let b = bestP, p < b { better = true }
            if better {
                second = bestS
                bestS = sc
                bestP = p
            } else if sc > second {
                second = sc
            }
        }
        guard let b = bestP, bestS >= 0.3, second < bestS * 0.85 else { return nil }
        return b
    }

    /// The candidate among `cands` mentioned most recently before `offset`, or first after it.
    func latest(_ cands: [Int], before offset: Int) -> Int? {
        var bestI: Int?
        var bestPos = Int.min
        for c in cands {
            var pos = Int.min + 1
            for m in people[c].mentions where m.start < offset && m.start > pos { pos = m.start }
            if pos > bestPos { bestPos = pos; bestI = c }
        }
        return bestI
    }

    /// The person named nearest before `offset`, outside quotations (the antecedent of a relative "who").
    func nearestPerson(before offset: Int) -> Int? {
        var lo = 0, hi = mentionIndex.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentionIndex[mid].span.start < offset { lo = mid + 1 } else { hi = mid }
        }
        var i = lo - 1
        var n = 0
        while i >= 0, n < 8 {
            let m = mentionIndex[i]
            let t = tokenIndex(at: m.span.start)
            if people[m.person].isPerson, t >= 0, t < ex.tokens.count, ex.tokens[t].quote < 0 { return m.person }
            i -= 1; n += 1
        }
        return nil
    }

    struct Resolution {
        var name: String?
        var id: String?
        var person: Int?
    }

    private func named(_ p: Int) -> Resolution { Resolution(name: people[p].canonical, id: people[p].id, person: p) }

    /// Resolves a speaker and remembers it as the last speaker (for a run of quotations by one person).
    mutating func resolveSpeaker(_ speaker: Span, tokens r: Range<Int>, pronounInside: Bool, paragraph: Int, descriptions: Bool = true) -> Resolution {
        let res = resolve(speaker, tokens: r, pronounInside: pronounInside, descriptions: descriptions)
        if let p = res.person, people[p].isPerson { lastSpeaker = (p, paragraph) }
        return res
    }

    /// `descriptions: false` for a name as written (an interview label): it is a name or nothing, never a role.
    func resolve(_ speaker: Span, tokens r: Range<Int>, pronounInside: Bool, descriptions: Bool = true) -> Resolution {
        // 1. An entity mention at the speaker (binary search, then the few overlapping mentions).
        var lo = 0, hi = mentionIndex.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentionIndex[mid].span.start < speaker.start { lo = mid + 1 } else { hi = mid }
        }
        var best: Int?
        var bestEnd = 0
        var i = max(0, lo - 2)
        while i < mentionIndex.count, mentionIndex[i].span.start < speaker.end {
            let m = mentionIndex[i]
            i += 1
            guard m.span.overlaps(speaker) else { continue }
            // A person before a non-person; among equals the phrase's head, the last ("Clinton campaign manager Robby Mook").
            let isP = people[m.person].isPerson
            let bestIsP = best.map { people[$0].isPerson } ?? false
            if best == nil || isP && !bestIsP || isP == bestIsP && m.span.end > bestEnd {
                best = m.person
                bestEnd = m.span.end
            }
        }
        // A non-person name inside a role phrase ("Chinese" in "the Chinese No. 1") is not
        // the speaker; it is when it is the phrase's head ("The New York Post").
        if let b = best, people[b].isPerson || bestEnd >= speaker.end {
            return named(b)
        }
        let tokens = ex.tokens
        // 2. A pronoun: the most salient compatible person.
        var h: UInt64 = fnvStart()
        for k in speaker.start..<speaker.end { h = fnvAdd(h, Scalars.lower(ex.s[k])) }
        let at = r.lowerBound < tokens.count ? r.lowerBound : tokenIndex(at: speaker.start)
        if let g = lx.pronouns[h] {
            guard let gender = g, at >= 0 else { return Resolution() }
            if let p = self.best(at: at, gender: gender, among: nil, bonus: true) { return named(p) }
            return Resolution()
        }
        // "…, who said": the person named right before the relative clause.
        if h == Lexicon.who {
            if let p = nearestPerson(before: speaker.start) { return named(p) }
            return Resolution()
        }
        guard !pronounInside, r.lowerBound < r.upperBound else { return Resolution() }
        // A speaker never crosses a sentence: "the Herald. But Acme".
        if r.dropLast().contains(where: { tokens[$0].endsSentence }) { return Resolution() }
        // 3. A role phrase: words of the phrase, the head last.
        let words = r.filter { tokens[$0].kind == .word || tokens[$0].kind == .number }.map { tokens[$0].hash }
        let caps = r.filter { tokens[$0].isCapitalized && lx.countries[tokens[$0].hash] == nil && !lx.determiners.contains(tokens[$0].hash) }
        let hasDeterminer = tokens[r.lowerBound].kind == .word && lx.determiners.contains(tokens[r.lowerBound].hash)
        let isName = !caps.isEmpty && !hasDeterminer && caps.count * 2 >= r.count
        if isName {
            // 4. A name the tagger missed: its last word is a person's surname (the most salient such person).
            guard let lastCap = caps.last else { return Resolution() }
            let lt = tokens[lastCap]
            if !Resolver.isNameShaped(ex.s, lt) { return Resolution() }
            // "former Pennsylvania Gov.": a phrase ending on a title is no name.
            if lx.titles.contains(lt.hash) || lx.titleAbbreviations[lt.hash] != nil { return Resolution() }
            if let cands = bySurname[lt.hash] {
                if cands.count == 1 { return named(cands[0]) }
                if let p = self.best(at: at, gender: nil, among: Set(cands), bonus: false) ?? latest(cands, before: speaker.start) { return named(p) }
            }
            var firstCap = lastCap
            while firstCap > r.lowerBound, tokens[firstCap - 1].isCapitalized, tokens[firstCap - 1].kind == .word,
                  lx.countries[tokens[firstCap - 1].hash] == nil, !lx.titles.contains(tokens[firstCap - 1].hash) { firstCap -= 1 }
            var run = firstCap..<(lastCap + 1)
            if let longer = longestRun[lt.hash], longer.count > run.count { run = longer }
            if run.contains(where: { !Resolver.isNameShaped(ex.s, tokens[$0]) }) { return Resolution() }
            return Resolution(name: String(String.UnicodeScalarView(ex.s[tokens[run.lowerBound].start..<tokens[run.upperBound - 1].end])), id: nil)
        }
        guard descriptions else { return Resolution() }
        // Learned: a role word of the phrase's head in a title, apposition or predicate.
        if let head = words.last, !lx.determiners.contains(head) {
            let c = byRole[head] ?? []
            let country = words.compactMap { lx.countries[$0] }.first
            let narrowed = country.map { cc in c.filter { people[$0].countries.isEmpty || people[$0].countries.contains(cc) } } ?? c
            let cands = narrowed.isEmpty ? c : narrowed
            if !cands.isEmpty, let p = self.best(at: at, gender: nil, among: Set(cands), bonus: true) ?? latest(cands, before: speaker.start) {
                return named(p)
            }
        }
        // An expert noun ("the sinologist") → the person introduced as an expert.
        let isExpert = words.contains { lx.expertNouns.contains($0) } || r.contains { k in
            let t = tokens[k]
            guard t.kind == .word, t.end - t.start > 6 else { return false }
            let tail = String(String.UnicodeScalarView(ex.s[(t.end - 5)..<t.end])).lowercased()
            return tail == "ogist" || tail == "ologue" || tail.hasSuffix("logue")
        }
        if isExpert {
            let c = experts
            if !c.isEmpty, let p = self.best(at: at, gender: nil, among: Set(c), bonus: true) ?? latest(c, before: speaker.start) { return named(p) }
        }
        // A leader of a country ("the Chinese No. 1", "the head of the Kremlin"), from the document's own titles.
        if let country = words.compactMap({ lx.countries[$0] }).first, words.contains(where: { lx.leaderNouns.contains($0) }) {
            let c = byCountry[country] ?? []
            if let p = latest(c, before: speaker.start) { return named(p) }
        }
        return Resolution()
    }

    /// A word that can be part of a personal name: capitalised, and capitalised after each hyphen
    /// ("Smith-Jones", not "U-turn").
    static func isNameShaped(_ s: [Unicode.Scalar], _ t: QToken) -> Bool {
        guard t.kind == .word, t.isCapitalized else { return false }
        var i = t.start + 1
        while i < t.end {
            if s[i].value == 0x2D, i + 1 < t.end, Scalars.isLetter(s[i + 1]), !Scalars.isUpper(s[i + 1]) { return false }
            i += 1
        }
        return true
    }
}
