import Foundation

/// The word lists of the quote processor for one language, read from `Model/lexicon/<code>/<list>.txt`
/// (see `Words`). Each language is read once, on first use, and shared. A few lists that are not
/// about one language's grammar (first names for gender, country words) are the union of every language.
final class Lex: Sendable {
    /// The language code, or "" for the empty lexicon of a language Gleaner has no word lists for.
    let code: String
    /// Whether the language has word lists: without them quotations are found by their marks but get no speaker.
    var covered: Bool { !code.isEmpty }

    let cues: [UInt64: Lexicon.Cue]
    let auxiliaries: WordSet
    let verbForms: WordSet
    let pronouns: [UInt64: Character?]
    let determiners: WordSet
    let npStops: WordSet
    let expertNouns: WordSet
    let leaderNouns: WordSet
    let titles: WordSet
    let countries: [UInt64: Int]
    let labelStops: WordSet
    let finiteVerbs: WordSet
    let modalNames: WordSet
    let addresseeCues: WordSet
    let titleSmallWords: WordSet
    let clauseOpeners: WordSet
    let contrastives: WordSet
    let subordinators: WordSet
    let nounPrepositions: WordSet
    let nounLikeCues: WordSet
    let possessives: WordSet
    let continueForms: WordSet
    let needsAs: WordSet
    let leadingConjunctions: WordSet
    let postModifiers: WordSet
    let connectors: WordSet
    /// Inside a subject before its verb "in" also joins ("a Democratic staffer in the room wondered").
    let npConnectors: WordSet
    let timeNouns: WordSet
    let timeModifiers: WordSet
    let focusWords: WordSet
    let nameParticles: WordSet
    let possessiveGender: [UInt64: Character?]
    let orgWords: WordSet
    let titlesM: WordSet
    let titlesF: WordSet
    let firstNamesM: WordSet
    let firstNamesF: WordSet
    let titleAbbreviations: [UInt64: UInt64]
    let copulas: WordSet
    let interviewVerbs: WordSet
    let abbreviations: WordSet
    /// Attribution phrases that name a source after them ("according to X", "selon X", "nach Angaben von X"),
    /// as sequences of word hashes, longest first.
    let attributions: [[UInt64]]
    /// Words that open "For X, …" ("pour X", "para X", "für X").
    let forPhrases: WordSet
    /// Words that open a reported clause after a cue ("that", "que", "dass", "che", "dat").
    let complementizers: WordSet
    /// Object pronouns between a subject and its cue, which are not the speaker ("lui avait dit", "le dijo", "gli ha detto").
    let objectClitics: WordSet
    /// Prepositions of the person spoken to after a cue ("dijo a la prensa", "a déclaré à l'AFP").
    let addresseePrepositions: WordSet
    /// Word endings of adverbs that may sit between a speaker and the cue ("-ly", "-ment", "-mente").
    let adverbEndings: [[Unicode.Scalar]]
    /// Adverbs without such an ending ("aussi", "también", "auch").
    let adverbs: WordSet
    /// Words after the source that attribute a sentence to it ("Angaben der Polizei zufolge").
    let postAttributions: WordSet
    /// Words opening a clause of comparison that names a source ("wie X mitteilte", "as X said").
    let asClauses: WordSet
    /// A cue, a comma and a clause report speech without a complementizer ("sagte, die Lage sei ernst").
    let reportedClauseAfterComma: Bool
    /// A description followed by a name in apposition speaks by that name ("affirme un manifestant, Abdel Nasser").
    let appositionNameSpeaker: Bool
    /// Subjects may be left out ("«…», dijo."): a cue without one speaks for the subject of the discourse.
    let proDrop: Bool

    private init(code: String, languages: [String]) {
        self.code = code
        func all(_ list: String) -> [String] { languages.flatMap { Words.entries(list, language: $0) } }
        func set(_ list: String) -> WordSet { WordSet(all(list).map(lexHash)) }
        func everyLanguage(_ list: String) -> [String] { Words.languages.flatMap { Words.entries(list, language: $0) } }

        var c: [UInt64: Lexicon.Cue] = [:]
        for w in all("weakCues") { c[lexHash(w)] = Lexicon.Cue(weak: true) }
        for w in all("cues") { c[lexHash(w)] = Lexicon.Cue() }
        // Ambiguous or too common to be cues on their own: downgrade only, a word not in the lists stays no cue.
        for w in all("ambiguousCues") where c[lexHash(w)] != nil { c[lexHash(w)] = Lexicon.Cue(weak: true) }
        // Auxiliaries that carry an inverted subject or a participle cue ("a-t-il déclaré", "ha dicho").
        for w in all("auxiliaryCues") { c[lexHash(w)] = Lexicon.Cue(weak: true, auxiliary: true) }
        cues = c
        auxiliaries = set("auxiliaries")
        verbForms = set("verbForms")
        var p: [UInt64: Character?] = [:]
        for w in all("pronouns-other") { p[lexHash(w)] = .some(nil) }
        for w in all("pronouns-m") { p[lexHash(w)] = "m" }
        for w in all("pronouns-f") { p[lexHash(w)] = "f" }
        pronouns = p
        determiners = set("determiners")
        npStops = set("npStops")
        expertNouns = set("expertNouns")
        leaderNouns = set("leaderNouns")
        titles = set("titles")
        // Demonyms, country names and capitals, each to a country key, so "the Chinese No. 1", "the head of
        // the Kremlin" and "Beijing's leader" point to a country. Data: `countries.txt`, one country a line,
        // `key<TAB>word word …`, the same key in every language.
        var keys: [String: Int] = [:]
        var d: [UInt64: Int] = [:]
        for line in everyLanguage("countries") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let k = keys[String(parts[0])] ?? keys.count
            keys[String(parts[0])] = k
            for w in parts[1].split(separator: " ") { d[lexHash(String(w))] = k }
        }
        countries = d
        labelStops = set("labelStops")
        finiteVerbs = set("finiteVerbs")
        modalNames = set("modalNames")
        addresseeCues = set("addresseeCues")
        titleSmallWords = set("titleSmallWords")
        clauseOpeners = set("clauseOpeners")
        contrastives = set("contrastives")
        subordinators = set("subordinators")
        nounPrepositions = set("nounPrepositions")
        nounLikeCues = set("nounLikeCues")
        possessives = set("possessives")
        continueForms = set("continueForms")
        needsAs = set("needsAs")
        leadingConjunctions = set("leadingConjunctions")
        postModifiers = set("postModifiers")
        connectors = set("connectors")
        npConnectors = connectors.union(set("npConnectors"))
        timeNouns = set("timeNouns")
        timeModifiers = set("timeModifiers")
        focusWords = set("focusWords")
        nameParticles = set("nameParticles")
        var g: [UInt64: Character?] = [:]
        for w in all("gender-m") { g[lexHash(w)] = "m" }
        for w in all("gender-f") { g[lexHash(w)] = "f" }
        possessiveGender = g
        orgWords = set("orgWords")
        titlesM = set("titles-m")
        titlesF = set("titles-f")
        firstNamesM = WordSet(everyLanguage("first-names-m").map(lexHash))
        firstNamesF = WordSet(everyLanguage("first-names-f").map(lexHash))
        var ta: [UInt64: UInt64] = [:]
        for line in all("titleAbbreviations") {
            let parts = line.split(separator: "\t")
            guard parts.count == 2 else { continue }
            ta[lexHash(String(parts[0]))] = lexHash(String(parts[1]))
        }
        titleAbbreviations = ta
        copulas = set("copulas")
        interviewVerbs = set("verbs")
        abbreviations = set("abbreviations")
        attributions = all("attributions")
            .map { $0.split(separator: " ").map { lexHash(String($0)) } }
            .filter { !$0.isEmpty }
            .sorted { $0.count > $1.count }
        forPhrases = set("forPhrases")
        complementizers = set("complementizers")
        objectClitics = set("objectClitics")
        addresseePrepositions = set("addresseePrepositions")
        adverbEndings = all("adverbEndings").map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }
        adverbs = set("adverbs")
        postAttributions = set("postAttributions")
        asClauses = set("asClauses")
        // Conventions: "key value" lines.
        var conventions: [String: String] = [:]
        for line in all("conventions") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { conventions[parts[0]] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        reportedClauseAfterComma = conventions["reported_clause_after_comma"] == "yes"
        appositionNameSpeaker = conventions["apposition_name_speaker"] == "yes"
        proDrop = conventions["pro_drop"] == "yes"
    }

    /// Adverbs that may sit between a speaker and the cue ("boldly declared").
    func isAdverb(_ s: [Unicode.Scalar], _ t: QToken) -> Bool {
        if auxiliaries.contains(t.hash) { return !t.isCapitalized }
        if t.kind == .word, !t.isCapitalized, adverbs.contains(t.hash) { return true }
        guard t.kind == .word, !t.isCapitalized, t.end - t.start > 4 else { return false }
        for e in adverbEndings where t.end - t.start > e.count + 2 {
            var ok = true
            for (k, c) in e.enumerated() where s[t.end - e.count + k] != c { ok = false; break }
            if ok { return true }
        }
        return false
    }

    /// The attribution phrase starting at token `i` ("according to", "selon", "nach Angaben von"): its length in tokens.
    func attribution(at i: Int, _ tokens: [QToken]) -> Int? {
        guard tokens[i].kind == .word else { return nil }
        for a in attributions where a[0] == tokens[i].hash && i + a.count <= tokens.count {
            var ok = true
            for k in 1..<max(a.count, 1) where tokens[i + k].hash != a[k] || tokens[i + k].kind != .word { ok = false; break }
            // A one-word phrase ("laut", "so", "según") names a source only when one follows: a determiner,
            // a pronoun or a capitalised word ("so der Minister", not "so viel").
            if ok, a.count == 1 {
                let n = i + 1
                guard n < tokens.count, tokens[n].kind == .word,
                      tokens[n].isCapitalized || determiners.contains(tokens[n].hash) || pronouns[tokens[n].hash] != nil
                else { continue }
            }
            if ok { return a.count }
        }
        return nil
    }

    // MARK: One lexicon per language, loaded on first use

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: Lex] = [:]

    /// The lexicon of a language code ("fr", "de"; a region code such as "pt-BR" uses its language);
    /// a language without word lists gets the empty lexicon (`covered == false`).
    static func of(_ code: String) -> Lex {
        let base = String(code.lowercased().prefix { $0 != "-" && $0 != "_" })
        lock.lock()
        defer { lock.unlock() }
        if let l = loaded[base] { return l }
        let l = Words.languages.contains(base) ? Lex(code: base, languages: [base]) : (loaded[""] ?? Lex(code: "", languages: []))
        loaded[base] = l
        return l
    }

    /// Whether Gleaner has quote word lists for a language.
    static func covers(_ code: String) -> Bool { of(code).covered }
}
