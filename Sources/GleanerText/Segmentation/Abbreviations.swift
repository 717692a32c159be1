import Foundation

/// Words written with a period that belongs to them, read from one data file per language
/// (`Model/abbreviations/<code>.txt`: "M.", "Mme", "Dr.", "z. B.", "Sr.", "Sra." …, each file with its source).
/// Sentences are split before the language is known, so the lists of every language are used together;
/// dotted acronyms (U.S., e.g., a.m.) are recognised by shape.
enum Abbreviations {
    /// The languages whose lists are read.
    static let languages = ["en", "fr", "de", "es", "it", "pt", "nl", "hr"]

    /// Titles and the like: a sentence never ends after them.
    static let titles: Set<String> = lists.titles
    /// Abbreviations after which a sentence may end.
    static let others: Set<String> = lists.others
    /// Abbreviations that only count before a number ("No. 1", "p. 5", "art. 3").
    static let beforeNumbers: Set<String> = lists.beforeNumbers

    /// The files that could not be read (sentence splitting then knows fewer abbreviations).
    static var missing: [String] { lists.missing }

    private static let lists: (titles: Set<String>, others: Set<String>, beforeNumbers: Set<String>, missing: [String]) = {
        var titles = Set<String>(), others = Set<String>(), numbers = Set<String>()
        var missing: [String] = []
        for language in languages {
            let file = "abbreviations/\(language).txt"
            guard let path = try? ModelFile.locate(file, bundle: "gleaner_GleanerText", sourceFile: #filePath),
                  let text = try? String(contentsOfFile: path, encoding: .utf8)
            else { missing.append(file); continue }
            for line in text.split(whereSeparator: \.isNewline) {
                let l = line.trimmingCharacters(in: .whitespaces)
                if l.isEmpty || l.hasPrefix("#") { continue }
                let parts = l.split(separator: " ", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[1].isEmpty else { continue }
                let word = parts[1].lowercased()
                switch parts[0] {
                case "title": titles.insert(word)
                case "other": others.insert(word)
                case "number": numbers.insert(word)
                default: continue
                }
            }
        }
        return (titles, others, numbers, missing)
    }()
}
