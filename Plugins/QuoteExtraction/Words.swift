import Foundation
import GleanerText

/// The quote processor's word lists: one data file per list and language under
/// `Model/lexicon/<language>/<list>.txt` (one entry a line, `#` comments), loaded once.
/// A list is the union of its files in every language of `languages`; a language
/// without a file for a list simply adds nothing to it. Adding a language is adding
/// its folder and its code here.
enum Words {
    static let languages = ["en", "fr"]

    /// Files that could not be found (the factory reports them as a configuration error).
    nonisolated(unsafe) static var missing: [String] = []
    private static let lock = NSLock()

    /// The entries of one list in one language, in file order.
    static func entries(_ list: String, language: String) -> [String] {
        let file = "lexicon/\(language)/\(list).txt"
        guard let path = try? ModelFile.locate(file, bundle: "gleaner_QuoteExtraction", sourceFile: #filePath),
              let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return [] }
        var out: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let l = line.trimmingCharacters(in: .whitespaces)
            if l.isEmpty || l.hasPrefix("#") { continue }
            out.append(l)
        }
        return out
    }

    /// The entries of a list in all languages; a list found in no language is recorded as missing.
    static func all(_ list: String) -> [String] {
        var out: [String] = []
        var found = false
        for language in languages {
            let e = entries(list, language: language)
            if !e.isEmpty { found = true }
            out += e
        }
        if !found {
            lock.lock()
            missing.append("lexicon/*/\(list).txt")
            lock.unlock()
        }
        return out
    }

    /// A list as a set of hashes of its lowercase entries.
    static func set(_ list: String) -> Set<UInt64> { Set(all(list).map(lexHash)) }

    /// Every list the processor uses, loaded now; the names of the files that are missing.
    static func check() -> [String] {
        // Touch every list once (each statement apart: one long expression is slow to type-check).
        var n = 0
        n += Lexicon.cues.count
        n += Lexicon.auxiliaries.count
        n += Lexicon.verbForms.count
        n += Lexicon.pronouns.count
        n += Lexicon.determiners.count
        n += Lexicon.npStops.count
        n += Lexicon.expertNouns.count
        n += Lexicon.leaderNouns.count
        n += Lexicon.titles.count
        n += Lexicon.countries.count
        n += Lexicon.labelStops.count
        n += Resolver.orgWords.count
        n += Extractor.possessiveGender.count
        n += Extractor.finiteVerbs.count
        n += Extractor.nounLikeCues.count
        n += Extractor.timeNouns.count
        n += Extractor.nameParticles.count
        n += InterviewReader.verbs.count
        n += QTokenizer.abbreviations.count
        n += Extractor.addresseeCues.count
        n += Resolver.titlesM.count
        n += Resolver.titlesF.count
        n += Resolver.firstNamesM.count
        n += Resolver.firstNamesF.count
        n += Extractor.connectors.count
        n += Extractor.leadingConjunctions.count
        n += Resolver.titleAbbreviations.count
        _ = n
        lock.lock()
        defer { lock.unlock() }
        return missing
    }
}
