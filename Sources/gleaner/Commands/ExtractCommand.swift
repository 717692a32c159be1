import ArgumentParser
import Foundation
import GleanerCore
import GleanerExtract
import GleanerPipeline

#if canImport(Glibc)
import Glibc
#endif

/// `gleaner extract`: a file's text and source metadata, as the pipeline would see them.
/// With `--child` it is the isolated side of extraction: the daemon runs it on one file
/// under a time and memory limit, and reads one JSON answer from its standard output.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the text and source metadata of files (PDF, DOCX, ODT, EPUB, e-mail, mbox, text, Markdown, HTML).",
        discussion: "Prints one JSON object per document made from the files (an e-mail's attachments and an mbox's messages are documents of their own). Exit status 1 when a file is refused (its reason code on standard error).")

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: .hidden)
    var child = false

    @Option(name: .long, help: .hidden)
    var name: String?

    @Option(name: .long, help: .hidden)
    var limits: String?

    @Flag(name: .long, help: "Print the text only.")
    var text = false

    @Argument(help: "The files.")
    var files: [String]

    func run() async throws {
        if child {
            await runChild()
            return
        }
        let configuration = try loadConfiguration(options.config)
        let pipeline = try await buildPipeline(configuration)
        var failures = 0
        let out = OutputBuffer()
        for file in files {
            let base = (file as NSString).lastPathComponent
            do {
                let documents = try await DocumentReader.documents(path: file, name: base, extraction: pipeline.extraction)
                for d in documents {
                    if text {
                        out.write(d.text.string + "\n")
                    } else {
                        var json = ResultDocument.json(for: d, gleanerVersion: GleanerVersion.current)
                        if case .object(let members) = json { json = .object(members.filter { ["source", "text"].contains($0.0) }) }
                        out.write(json.serialized() + "\n")
                    }
                }
            } catch {
                printError("gleaner: \(file): \(error.code): \(error.message)")
                failures += 1
            }
        }
        out.flush()
        await pipeline.shutdown()
        if failures > 0 { throw ExitCode(1) }
    }

    /// The child: limits on itself, extraction in this process, one JSON answer.
    func runChild() async {
        var limits = ExtractLimits()
        if let json = self.limits, let decoded = try? JSONDecoder().decode(ExtractLimits.self, from: Data(json.utf8)) { limits = decoded }
        // CPU seconds as a second line of defence behind the parent's wall-clock limit.
        let seconds = max(1, Int(limits.timeLimit.components.seconds) + 1)
        var cpu = rlimit(rlim_cur: rlim_t(seconds), rlim_max: rlim_t(seconds + 1))
        _ = setrlimit(Int32(RLIMIT_CPU.rawValue), &cpu)
        let path = files.first ?? ""
        let extraction = Extraction(registry: .builtin, limits: limits, childBinary: nil)
        let answer: ChildAnswer
        do {
            answer = ChildAnswer(documents: try await extraction.extract(path: path, name: name ?? (path as NSString).lastPathComponent))
        } catch {
            answer = ChildAnswer(error: error)
        }
        let bytes = answer.encoded()
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
