import ArgumentParser
import Foundation
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
            2 for a configuration error.
            """)

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print the result JSON to standard output instead of writing to the outbox (one file: indented JSON; several: one JSON object per line).")
    var stdout = false

    @Flag(name: .long, help: "With --stdout, always print one compact JSON object per line.")
    var jsonl = false

    @Argument(help: "The files to process.")
    var files: [String]

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        umask(mode_t(configuration.output.umask))
        let pipeline = try await buildPipeline(configuration)
        let layout = OutboxLayout(outbox: configuration.outbox)
        let out = OutputBuffer()
        var failures = 0
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
                    if configuration.output.html {
                        try FileIO.writeAtomically(Array(HTMLView.render(result).utf8), to: stem + ".html")
                    }
                    try FileIO.writeAtomically(configuration.output.pretty ? json.prettyPrintedBytes() : json.serializedBytes() + [0x0A], to: path)
                    printError("gleaner: \(file) → \(path)")
                } catch {
                    printError("gleaner: \(file): cannot write the result: \(error.message)")
                    failures += 1
                }
            }
        }
        out.flush()
        await pipeline.shutdown()
        if failures > 0 { throw ExitCode(1) }
    }
}
