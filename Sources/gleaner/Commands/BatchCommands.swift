import ArgumentParser

/// `gleaner language`: language of each text on standard input.
struct LanguageCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "language",
        abstract: "Detect the language of standard input (or of each line with --lines): CODE<TAB>CONFIDENCE per text.")

    @Flag(name: .long, help: "Each input line is one text; one output line per input line, in order.")
    var lines = false

    @Option(name: .long, help: "Also print the N best alternatives as CODE<TAB>PROBABILITY pairs.")
    var top: Int = 0

    func run() async throws {
        printError("gleaner language: the language processor is not built into this binary yet")
        throw ExitCode(1)
    }
}

/// `gleaner entities --conll`: named entities of CoNLL-style tokens.
struct EntitiesCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "Tag CoNLL-style tokens on standard input: TOKEN<TAB>TAG (IOB2: PER, ORG, LOC, MISC).")

    @Flag(name: .long, help: "Read CoNLL lines (first column the token, blank line between sentences, -DOCSTART- between documents).")
    var conll = false

    func run() async throws {
        printError("gleaner entities: the entity processor is not built into this binary yet")
        throw ExitCode(1)
    }
}

/// `gleaner quotes --jsonl`: quotations of JSON-lines documents.
struct QuotesCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotes",
        abstract: "Extract quotations from JSON lines {\"doc_id\", \"text\"} on standard input: {\"doc_id\", \"quotes\"} per line.")

    @Flag(name: .long, help: "Read and write JSON lines.")
    var jsonl = false

    func run() async throws {
        printError("gleaner quotes: the quote processor is not built into this binary yet")
        throw ExitCode(1)
    }
}
