import ArgumentParser
import EntityTagging
import GleanerCore
import GleanerText
import LanguageDetection
import QuoteExtraction

/// `gleaner language`: language of each text on standard input.
struct LanguageCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "language",
        abstract: "Detect the language of standard input (or of each line with --lines): CODE<TAB>CONFIDENCE per text.",
        discussion: "Streaming: output lines come in input order, with memory bounded by the longest line.")

    @Flag(name: .long, help: "Each input line is one text; one output line per input line, in order.")
    var lines = false

    @Option(name: .long, help: "Print up to N hypotheses as CODE<TAB>PROBABILITY pairs (the first is the answer).")
    var top: Int = 1

    @Option(name: .long, parsing: .upToNextOption, help: "Restrict the answer to these ISO 639-1 codes.")
    var languages: [String] = []

    func run() async throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        try LanguageCommand.run(lines: lines, top: top, languages: languages.isEmpty ? nil : languages)
    }
}

/// `gleaner entities --conll`: named entities of CoNLL-style tokens.
struct EntitiesCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "Tag CoNLL-style tokens on standard input: TOKEN<TAB>TAG (IOB2: PER, ORG, LOC, MISC).")

    @Flag(name: .long, help: "Read CoNLL lines (first column the token, blank line between sentences, -DOCSTART- between documents).")
    var conll = false

    @Option(name: .long, help: "Tag every document with this language's model (ISO 639-1: en, fr, de…); without it, each document's language is detected.")
    var lang: String?

    func run() async throws {
        guard conll else { throw ValidationError("only --conll input is supported: gleaner entities --conll < tokens.conll") }
        if let lang {
            guard EntityLanguages.shared.language(lang) != nil else {
                throw ValidationError("no entity model for '\(lang)'; models: \(EntityLanguages.available.joined(separator: ", "))")
            }
            try EntitiesCommand.runCoNLL(language: lang)
        } else {
            let detector = try LanguageDetector.shared()
            try EntitiesCommand.runCoNLL(detect: { detector.dominantLanguage(for: $0).code })
        }
    }
}

/// `gleaner quotes --jsonl`: quotations of JSON-lines documents.
struct QuotesCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotes",
        abstract: "Extract quotations from JSON lines {\"doc_id\", \"text\"} on standard input: {\"doc_id\", \"quotes\"} per line.",
        discussion: "Runs the segmenter, the language detector (or takes --lang) and the entity tagger first, so each passage is read with its language's word lists and speakers resolve to canonical names.")

    @Flag(name: .long, help: "Read and write JSON lines.")
    var jsonl = false

    @Option(name: .long, help: "The language of every document (ISO 639-1, e.g. fr); without it each document's language and passages are detected.")
    var lang: String?

    @Flag(name: .long, help: "Also output reported speech without quotation marks (kind \"indirect\").")
    var indirect = false

    func run() async throws {
        guard jsonl else { throw ValidationError("only --jsonl input is supported: gleaner quotes --jsonl < docs.jsonl") }
        let entities = try await EntityProcessorFactory().makeProcessor(options: ProcessorOptions(processor: "entities"))
        if let lang {
            guard lang.count >= 2, lang.count <= 8, lang.allSatisfy({ $0.isLetter || $0 == "-" }) else {
                throw ValidationError("--lang takes a language code such as fr, de or es")
            }
            try await QuotesCommand.runJSONL(upstream: [SegmenterProcessor(), entities], settings: QuoteSettings(indirect: indirect),
                                             language: lang.lowercased())
        } else {
            let language = try await LanguageProcessorFactory().makeProcessor(options: ProcessorOptions(processor: "language"))
            try await QuotesCommand.runJSONL(upstream: [SegmenterProcessor(), language, entities], settings: QuoteSettings(indirect: indirect))
        }
    }
}
