import Foundation
import GleanerCore
import GleanerText

/// The `entities` processor: names from the statistical tagger, values from rules,
/// user gazetteer names, and mentions grouped into entities with canonical names.
public struct EntityProcessor: Processor {
    public static let descriptor = ProcessorDescriptor(
        name: "entities", version: "1.1.0", requires: [.tokens, .sentences], provides: [.entities],
        summary: "people, organisations, places, dates, amounts; mentions grouped into entities")
    public var descriptor: ProcessorDescriptor { Self.descriptor }

    let tagger: EntityTagger
    let gazetteer: UserGazetteer?
    /// Types to keep; nil keeps all.
    let types: Set<EntityType>?
    /// English: `tagger` with the built-in English rules.
    let english: EntityLanguage
    /// Every other language's model, loaded when a document first has text in it.
    let languages: EntityLanguages

    public init(tagger: EntityTagger, gazetteer: UserGazetteer? = nil, types: Set<EntityType>? = nil,
                languages: EntityLanguages = .shared) {
        self.tagger = tagger
        self.gazetteer = gazetteer
        self.types = types
        self.english = EntityLanguage(code: "en", tagger: tagger, words: nil)
        self.languages = languages
    }

    public func process(_ document: inout Document) async throws {
        guard let tokens = document[TokensLayer.self], let sentences = document[SentencesLayer.self] else {
            throw ProcessorError("entities needs the tokens and sentences layers (run the segmenter first)")
        }
        let (entities, coverage) = annotate(document.text, tokens: tokens.tokens, sentences: sentences.sentences,
                                            language: document[LanguageLayer.self])
        document.add(entities)
        document.add(coverage)
    }

    /// A mention before linking: tokens, type, and a canonical name if a gazetteer gave one.
    struct Candidate {
        var start: Int  // token index in the document
        var end: Int
        var type: EntityType
        var canonical: String?
        var entity = -1
    }

    private static let modelTypes: [EntityType] = [.person, .organization, .location, .misc]

    /// The longest run of tokens tagged at once.
    static let chunkTokens = 400

    /// The entities layer for a segmented text, all of it taken as English (as without a language layer).
    public func annotate(_ text: DocumentText, tokens: [Token], sentences: [Sentence]) -> EntitiesLayer {
        annotate(text, tokens: tokens, sentences: sentences, language: nil).entities
    }

    /// The model of a language, or nil when there is none.
    func model(_ code: String) -> EntityLanguage? { code == "en" ? english : languages.language(code) }

    /// The entities layer for a segmented text, each run of one language (``LanguageLayer/regions(length:)``)
    /// tagged by that language's model and rules; a run in a language without a model gets no entities.
    /// Without a language layer the text is taken as English, and the coverage layer says so.
    public func annotate(_ text: DocumentText, tokens: [Token], sentences: [Sentence], language: LanguageLayer?)
        -> (entities: EntitiesLayer, coverage: EntityLanguagesLayer)
    {
        let scalars = text.scalars
        var sessions: [String: EntityTagger.DocumentSession] = [:]
        var candidates: [Candidate] = []
        var ranges: [Range<Int>] = []
        var covered = Set<String>(), notCovered = Set<String>()
        /// Runs of tokens of one language other than English whose values are read after the names.
        var valueRuns: [(tokens: Range<Int>, code: String, language: EntityLanguage)] = []
        let regions = language?.regions(length: scalars.count) ?? []
        var regionIndex = 0
        /// The language of token `k` (tokens are asked for in text order).
        func code(_ k: Int) -> String {
            guard !regions.isEmpty else { return "en" }
            let s = tokens[k].span.start
            while regionIndex + 1 < regions.count, regions[regionIndex].span.end <= s { regionIndex += 1 }
            return regions[regionIndex].code
        }
        // Tagged in pieces of at most `chunkTokens` tokens: a real sentence is far shorter, and a "sentence"
        // of a million quotation marks must cost memory and time per token, not per sentence squared.
        let pieces = sentences.lazy.flatMap { sentence -> [Range<Int>] in
            let r = sentence.tokens.clamped(to: 0..<tokens.count)
            return stride(from: r.lowerBound, to: r.upperBound, by: Self.chunkTokens).map { $0..<min($0 + Self.chunkTokens, r.upperBound) }
        }
        for piece in pieces {
            if piece.isEmpty { continue }
            // Runs of one language inside the piece.
            var runs: [(Range<Int>, String)] = []
            for k in piece {
                let c = code(k)
                if let last = runs.last, last.1 == c {
                    runs[runs.count - 1].0 = last.0.lowerBound..<(k + 1)
                } else {
                    runs.append((k..<(k + 1), c))
                }
            }
            for (r, c) in runs {
                guard let lang = model(c) else {
                    if r.contains(where: { tokens[$0].kind == .word }) { notCovered.insert(c) }
                    continue
                }
                if r.contains(where: { tokens[$0].kind == .word }) { covered.insert(c) }
                ranges.removeAll(keepingCapacity: true)
                for t in tokens[r] { ranges.append(t.span.range) }
                let base = r.lowerBound
                // Taken out of the dictionary while in use, so its buffers are not copied.
                var session = sessions.removeValue(forKey: c) ?? EntityTagger.DocumentSession(tagger: lang.tagger)
                var names = scalars.withUnsafeBufferPointer { session.tagChunks($0, ranges: ranges) }
                    .map { Candidate(start: base + $0.start, end: base + $0.end, type: Self.modelTypes[$0.type]) }
                sessions[c] = session
                var sentenceStart = base
                if !lang.isEnglish {
                    // After an opening quotation mark or dash: « Pour nous… », — Dans…
                    while sentenceStart < r.upperBound - 1, tokens[sentenceStart].kind != .word, tokens[sentenceStart].kind != .number {
                        sentenceStart += 1
                    }
                }
                names = Self.trimFunctionWords(names, sentenceStart: sentenceStart, scalars: scalars, tokens: tokens, language: lang)
                if lang.isEnglish { names = Self.mergeOf(names, scalars: scalars, tokens: tokens) }
                names = Self.titledPersons(names, sentence: r, scalars: scalars, tokens: tokens, language: lang)
                if let gazetteer {
                    for m in gazetteer.matches(scalars, tokens: ranges) {
                        let (s, e) = (base + m.start, base + m.end)
                        if let k = names.firstIndex(where: { $0.start <= s && e <= $0.end }) {
                            // A known alias inside a tagged name: the whole name is that entity.
                            names[k].canonical = m.entry.canonical
                            if let t = m.entry.type { names[k].type = t }
                        } else {
                            names.removeAll { $0.start < e && s < $0.end }
                            names.append(Candidate(start: s, end: e, type: m.entry.type ?? .misc, canonical: m.entry.canonical))
                        }
                    }
                }
                candidates += names
                if !lang.isEnglish {
                    // Values are read later over runs that cross sentence ends: "am 3." | "März 2024" is one date,
                    // though the splitter ends a sentence after "3.".
                    let joins = valueRuns.last.map { last in
                        last.code == c && last.tokens.upperBound == r.lowerBound
                            && !scalars[tokens[r.lowerBound - 1].span.end..<tokens[r.lowerBound].span.start].contains("\n")
                    } ?? false
                    if joins { valueRuns[valueRuns.count - 1].tokens = valueRuns[valueRuns.count - 1].tokens.lowerBound..<r.upperBound }
                    else { valueRuns.append((r, c, lang)) }
                    continue
                }
                let values = lang.rules.find(scalars, ranges: ranges).filter { v in
                    !names.contains { $0.start < base + v.end && base + v.start < $0.end }
                }
                candidates += values.map { Candidate(start: base + $0.start, end: base + $0.end, type: $0.type) }
            }
        }
        if !valueRuns.isEmpty {
            var isName = [Bool](repeating: false, count: tokens.count)
            for c in candidates { for k in c.start..<c.end { isName[k] = true } }
            for (r, _, lang) in valueRuns {
                let base = r.lowerBound
                let values = lang.rules.find(scalars, ranges: tokens[r].map(\.span.range))
                for v in values where !((base + v.start)..<(base + v.end)).contains(where: { isName[$0] }) {
                    candidates.append(Candidate(start: base + v.start, end: base + v.end, type: v.type))
                }
            }
        }
        if let types { candidates.removeAll { !types.contains($0.type) } }
        candidates.sort { $0.start < $1.start }
        let coverage = EntityLanguagesLayer(covered: covered.sorted(), notCovered: notCovered.sorted(),
                                            assumed: language == nil ? "en" : nil)
        return (link(candidates, text: text, tokens: tokens), coverage)
    }

    private static let hOf = ValueRules.wordHash(Array("of".unicodeScalars)[...])
    private static let hThe = ValueRules.wordHash(Array("the".unicodeScalars)[...])

    static let englishFunctionWords: Set<UInt64> = Set(
        ("is are was were does do did has have had can could will would should may might must how what why when where who "
            + "which because but and or so if as at in on of for with by from to the a an this that these those it he she "
            + "we they i you there then yet also still only even after before since while although though")
            .split(separator: " ").map { ValueRules.wordHash(Array($0.unicodeScalars)[...]) })

    /// Drops a capitalised function word that opens a sentence from a name ("Is Xi", "Because China"):
    /// news headlines taught the model that sentence-initial capitals can start names, and
    /// questions in other text make it over-reach.
    /// In other languages the same goes for "Pour", "Dans", "Der"…; an article ("La", "Die", "El") is
    /// dropped only when it alone was tagged, since it starts names too ("Le Monde", "Der Spiegel").
    static func trimFunctionWords(_ names: [Candidate], sentenceStart: Int, scalars: [Unicode.Scalar], tokens: [Token],
                                  language: EntityLanguage? = nil) -> [Candidate]
    {
        let function = language?.functionWords ?? englishFunctionWords
        let articles = language?.articles ?? []
        return names.compactMap { n in
            guard n.start == sentenceStart else { return n }
            let w = ValueRules.wordHash(scalars[tokens[n.start].span.range])
            if n.end - n.start == 1, articles.contains(w) { return nil }
            guard function.contains(w) else { return n }
            if n.end - n.start == 1 { return nil }
            var m = n
            m.start += 1
            return m
        }
    }

    private static func hashes(_ words: String) -> Set<UInt64> {
        Set(words.split(separator: " ").map { ValueRules.wordHash(Array($0.unicodeScalars)[...]) })
    }
    static let personalTitles = hashes(
        "mr mrs ms mx dr prof sen senator rep gov governor president pres judge justice gen lt col capt sgt adm rev "
            + "sir dame lord lady mme mlle monsieur madame mister chancellor minister premier pope rabbi imam sheikh "
            + "ambassador secretary commissioner mayor congressman congresswoman councilman councilwoman")
    /// Titles that only ever stand before a person's name: these may also make a person of words the model missed.
    static let strictTitles = hashes("mr mrs ms mx dr prof sen rep gov mme mlle monsieur madame mister")
    private static let placeWords = hashes(
        "university college school institute hospital foundation center centre museum street avenue road square "
            + "bridge park hall building airport station church cathedral library county district hotel company bank")

    /// "Mr. Obama", "Sen. Warren", "Mme Lagarde": a name right after a personal title is a
    /// person, whatever the model said (CoNLL news hardly uses titles; without one the model may
    /// read an unknown surname as a place). A title followed by capitalised words the model
    /// missed makes a person of them too. "President Hospital" and the like stay as they are.
    static func titledPersons(_ names: [Candidate], sentence: Range<Int>, scalars: [Unicode.Scalar], tokens: [Token],
                              language: EntityLanguage? = nil) -> [Candidate] {
        let personalTitles = language?.titles ?? Self.personalTitles
        let strictTitles = language?.strictTitles ?? Self.strictTitles
        func word(_ i: Int) -> ArraySlice<Unicode.Scalar> { scalars[tokens[i].span.range] }
        func isTitle(_ i: Int) -> Bool {
            var w = word(i)
            if w.last == "." { w = w.dropLast() }
            return personalTitles.contains(ValueRules.wordHash(w))
        }
        func isCapitalized(_ i: Int) -> Bool { word(i).first.map { $0.properties.isUppercase } ?? false }
        /// The token that ends a title before `i` ("Mr" "." or "Mr."), or nil.
        func titleBefore(_ i: Int) -> Int? {
            var k = i - 1
            if k >= sentence.lowerBound, word(k) == ["."] { k -= 1 }
            return k >= sentence.lowerBound && isTitle(k) ? k : nil
        }
        var out = names
        for (n, c) in names.enumerated() where c.type != .person && c.end - c.start <= 3 && titleBefore(c.start) != nil {
            if (c.start..<c.end).contains(where: { placeWords.contains(ValueRules.wordHash(word($0))) }) { continue }
            out[n].type = .person
        }
        // A title followed by a capitalised name the model left out.
        var i = sentence.lowerBound + 1
        while i < sentence.upperBound {
            if let t = titleBefore(i), strictTitles.contains(ValueRules.wordHash(word(t).last == "." ? word(t).dropLast() : word(t))),
               isCapitalized(i), !out.contains(where: { $0.start <= i && i < $0.end })
            {
                var e = i + 1
                while e < sentence.upperBound, e - i < 3, isCapitalized(e), !out.contains(where: { $0.start <= e && e < $0.end }) { e += 1 }
                if !(i..<e).contains(where: { placeWords.contains(ValueRules.wordHash(word($0))) || isTitle($0) }) {
                    out.append(Candidate(start: i, end: e, type: .person))
                }
                i = e
                continue
            }
            i += 1
        }
        out.sort { $0.start < $1.start }
        return out
    }

    /// Joins "Institute for Security Studies" + "of the" + "European Union" into one
    /// organisation: CoNLL-style news rarely splits such names, but the tagger can.
    static func mergeOf(_ names: [Candidate], scalars: [Unicode.Scalar], tokens: [Token]) -> [Candidate] {
        guard names.count > 1 else { return names }
        var out: [Candidate] = []
        for n in names {
            if let last = out.last, last.type == .organization, n.type == .organization || n.type == .location,
                n.start > last.end, n.start - last.end <= 2
            {
                let between = (last.end..<n.start).map { ValueRules.wordHash(scalars[tokens[$0].span.range]) }
                if between == [hOf] || between == [hOf, hThe] {
                    out[out.count - 1].end = n.end
                    continue
                }
            }
            out.append(n)
        }
        return out
    }

    /// Groups mentions into entities: gazetteer canonical names, identical names, acronyms of
    /// organisations, and person clusters. A person is keyed by first and last name, so middle names
    /// and initials ("Donald J. Trump" = "Donald Trump") and titles ("Ms Okafor") do not split it; a
    /// surname alone or after a title joins the person whose full name is nearest before it (nearest
    /// after when none is before), so two people who share a surname stay apart; a lone first word
    /// joins the one person with that first word ("Xi" of "Xi Jinping"). The canonical name of a
    /// person is its longest full name. Every look-up goes through a dictionary: linear in mentions.
    func link(_ mentions: [Candidate], text: DocumentText, tokens: [Token]) -> EntitiesLayer {
        struct Entity {
            var canonical: String
            var type: EntityType
            var first: Int
            /// The canonical came from a full personal name (two words or more).
            var fullName = false
        }
        var ms = mentions
        var entities: [Entity] = []
        let scalars = text.scalars
        func word(_ k: Int) -> String { text[tokens[k].span].replacingOccurrences(of: "’", with: "'") }
        func surface(_ r: Range<Int>) -> String { text[Span(start: tokens[r.lowerBound].span.start, end: tokens[r.upperBound - 1].span.end)] }
        let isName: (EntityType) -> Bool = { Self.modelTypes.contains($0) }
        var byCanonical: [String: Int] = [:]
        var byWords: [String: [Int]] = [:]
        var byAcronym: [String: Int] = [:]
        var personByKey: [String: Int] = [:]
        /// Surname (lowercased) → full-name mentions (start token, entity), in text order.
        var fullBySurname: [String: [(start: Int, entity: Int)]] = [:]
        var byFirstWord: [String: Set<Int>] = [:]
        var byHyphenPart: [String: Set<Int>] = [:]

        /// The name words of a person mention: titles, periods, possessives and words that are not
        /// name-shaped ("U-turn", lowercase words) trimmed from both ends.
        func nameRange(_ m: Candidate) -> Range<Int> {
            var a = m.start, b = m.end
            while a < b, Self.isTitleOrDot(scalars[tokens[a].span.range]) { a += 1 }
            while b > a, !Self.isNameShaped(scalars[tokens[b - 1].span.range]) { b -= 1 }
            while a < b, !Self.isNameShaped(scalars[tokens[a].span.range]) { a += 1 }
            return a..<b
        }
        func nameWords(_ r: Range<Int>) -> [String] {
            r.filter { Self.isNameShaped(scalars[tokens[$0].span.range]) && !Self.isInitial(scalars[tokens[$0].span.range]) }.map { word($0).lowercased() }
        }
        func newEntity(_ canonical: String, _ type: EntityType, _ first: Int, full: Bool = false) -> Int {
            entities.append(Entity(canonical: canonical, type: type, first: first, fullName: full))
            return entities.count - 1
        }
        func assign(_ i: Int, _ f: Int) {
            ms[i].entity = f
            ms[i].type = entities[f].type
            entities[f].first = min(entities[f].first, ms[i].start)
        }

        // 1. Gazetteer names and full personal names found the entities.
        var pending: [Int] = []
        for i in ms.indices {
            let m = ms[i]
            if let c = m.canonical {
                let f = byCanonical[c] ?? newEntity(c, m.type, m.start)
                byCanonical[c] = f
                assign(i, f)
                continue
            }
            guard m.type == .person else { pending.append(i); continue }
            let r = nameRange(m)
            let w = nameWords(r)
            guard w.count >= 2, let first = w.first, let last = w.last else { pending.append(i); continue }
            let key = first + "|" + last
            let name = surface(r)
            let f: Int
            if let known = personByKey[key] {
                f = known
                if !entities[f].fullName || name.unicodeScalars.count > entities[f].canonical.unicodeScalars.count { entities[f].canonical = name }
                entities[f].fullName = true
            } else {
                f = newEntity(name, .person, m.start, full: true)
                personByKey[key] = f
                byFirstWord[first, default: []].insert(f)
                if last.contains("-") { for part in last.split(separator: "-") { byHyphenPart[String(part), default: []].insert(f) } }
            }
            fullBySurname[last, default: []].append((m.start, f))
            // The mention is the name itself: "Hart U-turn" in a headline is "Hart".
            ms[i].start = r.lowerBound
            ms[i].end = r.upperBound
            assign(i, f)
        }
        // 2. Every other mention, in text order.
        for i in pending {
            let m = ms[i]
            let wordsAll = (m.start..<m.end).map { word($0) }
            let s = surface(m.start..<m.end)
            var found: Int?
            if isName(m.type) {
                let r = m.type == .person || m.end - m.start == 1 ? nameRange(m) : m.start..<m.end
                let w = nameWords(r)
                if w.count == 1, r.count >= 1, let lone = w.first {
                    if m.type == .person {
                        ms[i].start = r.lowerBound
                        ms[i].end = r.upperBound
                    }
                    // A surname alone or after a title: the person whose full name is nearest before it.
                    if let list = fullBySurname[lone], !list.isEmpty {
                        var before: Int?
                        var after: Int?
                        var lo = 0, hi = list.count
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if list[mid].start < m.start { lo = mid + 1 } else { hi = mid }
                        }
                        if lo > 0 { before = list[lo - 1].entity }
                        if lo < list.count { after = list[lo].entity }
                        found = before ?? after
                    } else if let one = byFirstWord[lone], one.count == 1, m.type == .person || m.type == .misc {
                        found = one.first
                    } else if m.type == .person, let one = byHyphenPart[lone], one.count == 1 {
                        found = one.first
                    }
                    if found == nil, m.type == .person {
                        // A person known only by one name ("Okafor", "Ms Okafor"): one entity for all its mentions.
                        let key = "|" + lone
                        if let known = personByKey[key] { found = known } else {
                            found = newEntity(surface(r), .person, m.start)
                            personByKey[key] = found
                        }
                    }
                }
                if found == nil {
                    let key = wordsAll.joined(separator: " ")
                    found = byWords[key]?.first { entities[$0].type == m.type || wordsAll.count == 1 }
                }
                if found == nil, m.type != .person, wordsAll.count == 1, let f = byAcronym[wordsAll[0]] { found = f }
                if found == nil {
                    let f = newEntity(m.type == .person && !r.isEmpty ? surface(r) : s, m.type, m.start)
                    byWords[wordsAll.joined(separator: " "), default: []].append(f)
                    if m.type == .organization, wordsAll.count >= 2 {
                        let initials = String(wordsAll.compactMap { w in w.first.flatMap { $0.isUppercase ? $0 : nil } })
                        if initials.count >= 2, byAcronym[initials] == nil { byAcronym[initials] = f }
                    }
                    found = f
                }
            } else {
                let key = m.type.rawValue + "|" + s
                if let f = byCanonical[key] { found = f } else {
                    found = newEntity(s, m.type, m.start)
                    byCanonical[key] = found
                }
            }
            if let f = found { assign(i, f) }
        }
        // Ids in order of first mention.
        let byFirst = entities.indices.sorted { entities[$0].first < entities[$1].first }
        var id = [Int](repeating: 0, count: entities.count)
        for (k, e) in byFirst.enumerated() { id[e] = k + 1 }
        return EntitiesLayer(ms.map { m in
            let span = Span(start: tokens[m.start].span.start, end: tokens[m.end - 1].span.end)
            return EntityMention(span: span, type: m.type, entityID: "E\(id[m.entity])", canonical: entities[m.entity].canonical)
        })
    }

    private static let titleWords: Set<UInt64> = personalTitles.union(hashes("former acting deputy vice interim late the"))

    /// A title ("Mr", "Ms.", "President") or a lone period.
    static func isTitleOrDot(_ w: ArraySlice<Unicode.Scalar>) -> Bool {
        if w.count == 1, w.first == "." { return true }
        var x = w
        if x.last == "." { x = x.dropLast() }
        return titleWords.contains(ValueRules.wordHash(x))
    }

    /// A word that can be part of a personal name: capitalised, and capitalised after each hyphen
    /// ("Smith-Jones", "Jean-Luc"; not "U-turn"). Particles ("de", "van", "bin") count too.
    static func isNameShaped(_ w: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let f = w.first, f.properties.isUppercase else {
            return nameParticles.contains(ValueRules.wordHash(w))
        }
        var i = w.startIndex + 1
        while i < w.endIndex {
            if w[i] == "-", i + 1 < w.endIndex, w[i + 1].properties.isLowercase { return false }
            i += 1
        }
        return true
    }

    /// "J." or "J": a middle initial, not a name word for the key.
    static func isInitial(_ w: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let f = w.first, f.properties.isUppercase else { return false }
        if w.count == 1 { return true }
        return w.count == 2 && w.last == Unicode.Scalar(0x2E)
    }

    private static let nameParticles = hashes("de van von der den da di del della la le du bin ibn al el dos das y")

    static func isSubsequence(_ w: [String], of full: [String]) -> Bool {
        guard !w.isEmpty, w.count <= full.count else { return false }
        for s in 0...(full.count - w.count) where Array(full[s..<(s + w.count)]) == w { return true }
        return false
    }

    /// "SCO" for "Shanghai Cooperation Organization".
    static func isAcronym(_ a: String, of words: [String]) -> Bool {
        guard a.count >= 2, a.count <= 8, a.allSatisfy({ $0.isUppercase }) else { return false }
        let initials = String(words.compactMap { w in w.first.flatMap { $0.isUppercase ? $0 : nil } })
        return initials == a
    }
}

/// Makes the `entities` processor. Options: `gazetteer` (path of a TSV file of names,
/// aliases and types) and `types` (the entity types to keep).
public struct EntityProcessorFactory: ProcessorFactory {
    public init() {}
    public var descriptor: ProcessorDescriptor { EntityProcessor.descriptor }

    public func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        var options = options
        let path = try options.string("gazetteer").map { Self.resolve($0, relativeTo: options.location("gazetteer")) }
        let builtinNames = try options.bool("builtin_names", default: true)
        let typeNames = try options.strings("types")
        try options.finish()
        var sources: [String] = []
        if builtinNames, let builtin = try? ModelFile.locate("names.tsv", bundle: "gleaner_EntityTagging", sourceFile: #filePath),
            let text = try? String(contentsOfFile: builtin, encoding: .utf8)
        {
            sources.append(text)
        }
        if let path {
            do {
                // Parsed alone first, so its mistakes carry its own line numbers.
                _ = try UserGazetteer(path: path)
                sources.append(try String(contentsOfFile: path, encoding: .utf8))
            } catch let error as ConfigurationError {
                var e = error
                if e.location == nil { e.location = options.table["gazetteer"]?.location }
                throw e
            } catch {
                throw ConfigurationError(.unreadable, "entities gazetteer file '\(path)' cannot be read", at: options.location("gazetteer"))
            }
        }
        var gazetteer: UserGazetteer?
        if !sources.isEmpty {
            gazetteer = try UserGazetteer(tsv: sources.joined(separator: "\n"), source: path ?? "names.tsv")
        }
        var types: Set<EntityType>?
        if let typeNames {
            let known = UserGazetteer.knownTypes.map(\.rawValue)
            var set = Set<EntityType>()
            for name in typeNames {
                guard known.contains(name.uppercased()) else {
                    throw ConfigurationError(
                        .invalidValue, "[processors.entities] types: unknown entity type \"\(name)\"",
                        at: options.table["types"]?.location,
                        hint: closestMatch(to: name, in: known).map { "did you mean \"\($0)\"?" }
                            ?? "known types: \(known.joined(separator: ", "))")
                }
                set.insert(EntityType(rawValue: name.uppercased()))
            }
            types = set
        }
        let tagger: EntityTagger
        do {
            tagger = try EntityTagger.shared()
        } catch {
            throw ConfigurationError(.unreadable, "entities: cannot load the model: \(error)")
        }
        return EntityProcessor(tagger: tagger, gazetteer: gazetteer, types: types)
    }

    /// A relative gazetteer path is taken from the folder of the file that names it
    /// (so `/etc/gleaner/processors.d/x.toml` can say `gazetteer = "names.tsv"`),
    /// or from the working directory for the embedded default.
    static func resolve(_ path: String, relativeTo location: SourceLocation?) -> String {
        guard !path.hasPrefix("/"), let file = location?.file, file.hasPrefix("/") || file.contains("/") else { return path }
        return ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
    }
}
