import Foundation
import GleanerText

/// One language's word lists for the entity processor, read from `entities-LANG.words`:
/// `KIND<TAB>word word …` per line, lowercase, `_` joining the words of a multi-word entry,
/// `#` comments (each file names its sources). Kinds: `month`, `weekday`, `scale`, `currency`,
/// `money_link`, `percent`, `date_link`, `date_lead`, `ordinal`, `flag`, `function`, `article`,
/// `title`, `strict_title`.
struct EntityWords: Sendable {
    private var lists: [String: [String]] = [:]

    init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("#") { continue }
            let cols = line.split(separator: "\t", maxSplits: 1)
            guard let kind = cols.first else { continue }
            let words = cols.count > 1 ? cols[1].split(separator: " ").map { $0.replacingOccurrences(of: "_", with: " ") } : []
            lists[String(kind), default: []] += words
        }
    }

    func entries(_ kind: String) -> [String] { lists[kind] ?? [] }

    func hashes(_ kind: String) -> Set<UInt64> {
        Set(entries(kind).filter { !$0.contains(" ") }.map { ValueRules.wordHash(Array($0.unicodeScalars)[...]) })
    }
}

/// What the entity processor uses for one language: its tagger, value rules and the word lists
/// of its name clean-up rules.
public struct EntityLanguage: Sendable {
    public let code: String
    public let tagger: EntityTagger
    let rules: ValueRules
    /// Words that never start a name (prepositions, conjunctions, pronouns: "Pour", "Dans", "Because").
    let functionWords: Set<UInt64>
    /// Articles: dropped when they alone are tagged as a name at a sentence start ("La"), kept
    /// inside a name ("Le Monde", "El País", "Der Spiegel").
    let articles: Set<UInt64>
    let titles: Set<UInt64>
    let strictTitles: Set<UInt64>

    var isEnglish: Bool { rules.lexicon.isEnglish }

    init(code: String, tagger: EntityTagger, words: EntityWords?) {
        self.code = code
        self.tagger = tagger
        if let words {
            rules = ValueRules(lexicon: ValueLexicon(words: words))
            functionWords = words.hashes("function")
            articles = words.hashes("article")
            titles = words.hashes("title")
            strictTitles = words.hashes("strict_title")
        } else {
            rules = ValueRules()
            functionWords = EntityProcessor.englishFunctionWords
            articles = []
            titles = EntityProcessor.personalTitles
            strictTitles = EntityProcessor.strictTitles
        }
    }
}

/// The entity models of every language that has one, loaded lazily — the first time a document
/// has text in that language — once per process, and shared by all threads.
///
/// English is `entities.bin`; another language `xx` is `entities-xx.bin` with its word lists
/// `entities-xx.words`, found by ``ModelFile`` like every model.
public final class EntityLanguages: @unchecked Sendable {
    public static let shared = EntityLanguages()

    private let lock = NSLock()
    private var loaded: [String: EntityLanguage?] = [:]
    private let english: EntityTagger?

    /// `english` is the English tagger to use (the shipped one when nil).
    public init(english: EntityTagger? = nil) {
        self.english = english
    }

    /// The languages with a model, from the files beside the English model.
    public static var available: [String] {
        guard let en = try? ModelFile.locate("entities.bin", bundle: "gleaner_EntityTagging", sourceFile: #filePath) else { return [] }
        let dir = (en as NSString).deletingLastPathComponent
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let others = files.compactMap { f -> String? in
            guard f.hasPrefix("entities-"), f.hasSuffix(".bin") else { return nil }
            return String(f.dropFirst(9).dropLast(4))
        }
        return (["en"] + others.sorted())
    }

    /// The language's tagger and word lists, or nil when it has no model. Loads on first use.
    public func language(_ code: String) -> EntityLanguage? {
        lock.lock()
        defer { lock.unlock() }
        if let known = loaded[code] { return known }
        let made = Self.load(code, english: english)
        loaded[code] = made
        return made
    }

    /// The codes loaded so far (for tests and the benchmark: only languages present are loaded).
    public var loadedCodes: [String] {
        lock.lock()
        defer { lock.unlock() }
        return loaded.compactMap { $0.value == nil ? nil : $0.key }.sorted()
    }

    private static func load(_ code: String, english: EntityTagger?) -> EntityLanguage? {
        // A code is two or three lowercase letters: never a path.
        guard (2...3).contains(code.count), code.unicodeScalars.allSatisfy({ $0.value >= 97 && $0.value <= 122 }) else { return nil }
        if code == "en" {
            guard let tagger = english ?? (try? EntityTagger.shared()) else { return nil }
            return EntityLanguage(code: "en", tagger: tagger, words: nil)
        }
        let bundle = "gleaner_EntityTagging"
        guard let model = try? ModelFile.locate("entities-\(code).bin", bundle: bundle, sourceFile: #filePath),
            let tagger = try? EntityTagger(modelPath: model)
        else { return nil }
        var words: EntityWords?
        if let path = try? ModelFile.locate("entities-\(code).words", bundle: bundle, sourceFile: #filePath),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        {
            words = EntityWords(text: text)
        }
        return EntityLanguage(code: code, tagger: tagger, words: words ?? EntityWords(text: ""))
    }
}
