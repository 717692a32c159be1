import ArgumentParser
import Foundation
import GleanerCatalogue
import GleanerConfig
import GleanerCore
import GleanerPipeline
import GleanerView

/// `gleaner process`: runs the configured pipeline on files once.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process files once, writing results where the daemon would (or to standard output).",
        discussion: """
            Exit status: 0 when every file gave a result, 1 when any failed (the reason is on standard error), \
            2 for a configuration error. With --strict, a result in which any processor failed (or was skipped \
            because one it depends on failed) also gives 1.
            """)

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print the result JSON to standard output instead of writing to the outbox (one file: indented JSON; several: one JSON object per line).")
    var stdout = false

    @Flag(name: .long, help: "With --stdout, always print one compact JSON object per line.")
    var jsonl = false

    @Flag(name: .long, help: "Exit 1 when any processor failed on any document, even though its result was written.")
    var strict = false

    @Argument(help: "The files to process.")
    var files: [String]

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        umask(mode_t(configuration.output.umask))
        let pipeline = try await buildPipeline(configuration)
        let layout = OutboxLayout(outbox: configuration.outbox)
        let out = OutputBuffer()
        var failures = 0
        var processorFailures = 0
        // The catalogue and the outbox index learn of each result, as with the daemon (issue #15).
        let catalogue = stdout ? nil : CatalogueHook.open(configuration, repair: false) { printError("gleaner: \($0)") }
        var indexed: [IndexEntry] = []
        defer { if !indexed.isEmpty { updateOutboxIndex(configuration, adding: indexed) } }
        for file in files {
            let inputName = (file as NSString).lastPathComponent
            let documents: [Document]
            do {
                documents = try await DocumentReader.documents(path: file, name: inputName, extraction: pipeline.extraction)
            } catch {
                printError("gleaner: \(file): \(error.code): \(error.message)")
                failures += 1
                continue
            }
            // An e-mail with attachments or an mbox gives several documents (docs/FORMAT.md).
            for document in documents {
                let name = document.metadata.sourceName
                let result = await pipeline.run(document)
                for run in result.runs where run.outcome != .ok {
                    processorFailures += 1
                    printError("gleaner: \(file): processor \(run.name) \(run.outcome.rawValue): \(run.error ?? "")")
                }
                let json = ResultDocument.json(for: result, gleanerVersion: GleanerVersion.current, expectedLayers: pipeline.providedLayers)
                if stdout {
                    out.write(files.count == 1 && documents.count == 1 && !jsonl ? json.prettyPrintedBytes() : json.serializedBytes() + [0x0A])
                    continue
                }
                // Named as the daemon names results: a second input of the same name gets `.2`, never replaces the first.
                let stem = layout.resultStem(for: name, sha256: result.metadata.sha256).stem
                let path = stem + ".json"
                do {
                    try FileIO.makeDirectories((path as NSString).deletingLastPathComponent)
                    let html = configuration.output.html ? stem + ".html" : nil
                    if let html {
                        try FileIO.writeAtomically(Array(HTMLView.render(result).utf8), to: html)
                    }
                    let bytes = configuration.output.pretty ? json.prettyPrintedBytes() : json.serializedBytes() + [0x0A]
                    try FileIO.writeAtomically(bytes, to: path)
                    printError("gleaner: \(file) → \(path)")
                    catalogue?.committed(result: json, jsonPath: path, htmlPath: html)
                    let folders = CatalogueHook.folders(configuration)
                    indexed.append(OutboxIndex.entry(for: result, htmlPath: html.map(folders.relative), jsonPath: folders.relative(path)))
                } catch {
                    printError("gleaner: \(file): cannot write the result: \(error.message)")
                    failures += 1
                }
            }
        }
        out.flush()
        catalogue?.drain()
        await pipeline.shutdown()
        if failures > 0 { throw ExitCode(1) }
        if strict && processorFailures > 0 {
            printError("gleaner: --strict: \(processorFailures) processor run(s) failed or were skipped")
            throw ExitCode(1)
        }
    }
}

/// The daemon's outbox index (`<state>/index.json` → `<outbox>/index.html`) with these entries added.
/// A running daemon rewrites the page from its own list at its next change, and reads this list at its next start.
func updateOutboxIndex(_ configuration: GleanerConfiguration, adding entries: [IndexEntry]) {
    struct Saved: Codable {
        var entries: [IndexEntry]
        var failed: [FailedEntry]
    }
    let file = (configuration.state as NSString).appendingPathComponent("index.json")
    var saved = (try? JSONDecoder().decode(Saved.self, from: Data(contentsOf: URL(fileURLWithPath: file)))) ?? Saved(entries: [], failed: [])
    for entry in entries {
        saved.entries.removeAll { $0.jsonPath == entry.jsonPath }
        saved.entries.insert(entry, at: 0)
    }
    if saved.entries.count > 500 { saved.entries.removeLast(saved.entries.count - 500) }
    let html = OutboxIndex.render(entries: saved.entries, failed: saved.failed, generatedAt: Date())
    try? FileIO.makeDirectories(configuration.state)
    if let data = try? JSONEncoder().encode(saved) { try? FileIO.writeAtomically(String(decoding: data, as: UTF8.self), to: file) }
    try? FileIO.writeAtomically(html, to: (configuration.outbox as NSString).appendingPathComponent("index.html"))
}
