import Foundation
import GleanerText

/// The quote processor's word lists: one data file per list and language under
/// `Model/lexicon/<language>/<list>.txt` (one entry a line, `#` comments, the source noted at the top).
/// Each language's lists are read into its own `Lex`: a quotation is read with the lists of the language
/// it is written in, never with another language's words. Adding a language is adding its folder and its
/// code here.
enum Words {
    static let languages = ["en", "fr", "de", "es", "it", "pt", "nl"]

    /// The lists every covered language must have (the others may be absent for a language).
    static let required = ["cues", "pronouns-m", "pronouns-f", "pronouns-other", "determiners", "npStops", "abbreviations", "attributions"]

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

    /// Every language's lexicon, loaded now; the names of the required files that are missing.
    static func check() -> [String] {
        var missing: [String] = []
        for language in languages {
            for list in required where entries(list, language: language).isEmpty {
                missing.append("lexicon/\(language)/\(list).txt")
            }
            _ = Lex.of(language)
        }
        return missing
    }
}
