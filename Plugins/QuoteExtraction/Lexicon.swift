/// Word lists of the quote processor, read from per-language data files (see `Words`).
/// Every entry is looked up by the hash of its lowercase form.
enum Lexicon {
    /// How a reporting word behaves.
    struct Cue: Sendable {
        /// A weak cue ("call", "describe") only attributes with an explicit subject before it.
        var weak: Bool = false
        /// An auxiliary ("a" in "a-t-il déclaré") that needs a participle after it.
        var auxiliary: Bool = false
    }

    static let strongCues: [String] = Words.all("cues")
    static let weakCues: [String] = Words.all("weakCues")

    /// Auxiliaries before a participle cue ("a-t-il déclaré", "a déclaré", "has said").
    static let auxiliaries: Set<UInt64> = Words.set("auxiliaries")

    static let cues: [UInt64: Cue] = {
        var d: [UInt64: Cue] = [:]
        for w in weakCues { d[lexHash(w)] = Cue(weak: true) }
        for w in strongCues { d[lexHash(w)] = Cue() }
        // Ambiguous or too common to be cues on their own: downgrade only, a word not in the lists stays no cue.
        for w in Words.all("ambiguousCues") where d[lexHash(w)] != nil { d[lexHash(w)] = Cue(weak: true) }
        d[lexHash("a")] = Cue(weak: true, auxiliary: true)
        return d
    }()

    /// Frequent irregular verb forms, which end a speaker phrase.
    static let verbForms: Set<UInt64> = Words.set("verbForms")

    /// Pronouns that can be a speaker, with gender (m, f, or nil for plural/unknown).
    static let pronouns: [UInt64: Character?] = {
        var d: [UInt64: Character?] = [:]
        for w in Words.all("pronouns-other") { d[lexHash(w)] = .some(nil) }
        for w in Words.all("pronouns-m") { d[lexHash(w)] = "m" }
        for w in Words.all("pronouns-f") { d[lexHash(w)] = "f" }
        return d
    }()

    static let determiners: Set<UInt64> = Words.set("determiners")

    /// Words that end a speaker noun phrase when met.
    static let npStops: Set<UInt64> = Words.set("npStops")

    /// Adverbs that may sit between a speaker and the cue ("boldly declared").
    static func isAdverb(_ s: [Unicode.Scalar], _ t: QToken) -> Bool {
        if auxiliaries.contains(t.hash) { return !t.isCapitalized }
        guard t.kind == .word, !t.isCapitalized, t.end - t.start > 4 else { return false }
        return s[t.end - 1] == "y" && s[t.end - 2] == "l"
    }

    static let according: UInt64 = lexHash("according")
    static let to: UInt64 = lexHash("to")
    static let selon: UInt64 = lexHash("selon")
    static let forWord: UInt64 = lexHash("for")
    static let pour: UInt64 = lexHash("pour")
    static let of: UInt64 = lexHash("of")
    static let de: UInt64 = lexHash("de")
    static let the: UInt64 = lexHash("the")
    static let who: UInt64 = lexHash("who")
    static let it: UInt64 = lexHash("it")
    static let that: UInt64 = lexHash("that")
    static let que: UInt64 = lexHash("que")
    static let so: UInt64 = lexHash("so")

    /// Nouns of people who comment: an expert introduced as "analyst" is the one "the sinologist" means.
    static let expertNouns: Set<UInt64> = Words.set("expertNouns")

    /// Nouns of people who lead a country or an institution.
    static let leaderNouns: Set<UInt64> = Words.set("leaderNouns")

    /// Titles written before names, not part of the canonical name.
    static let titles: Set<UInt64> = Words.set("titles")

    /// Demonyms, country names and capitals, each to a country key, so "the Chinese No. 1", "the head of
    /// the Kremlin" and "Beijing's leader" point to a country. Data: `countries.txt`, one country a line,
    /// `key<TAB>word word …`, the same key in every language.
    static let countries: [UInt64: Int] = {
        var keys: [String: Int] = [:]
        var d: [UInt64: Int] = [:]
        for line in Words.all("countries") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let k = keys[String(parts[0])] ?? keys.count
            keys[String(parts[0])] = k
            for w in parts[1].split(separator: " ") { d[lexHash(String(w))] = k }
        }
        return d
    }()

    /// Words of a label that are not names ("Update:", "Note:").
    static let labelStops: Set<UInt64> = Words.set("labelStops")
}
