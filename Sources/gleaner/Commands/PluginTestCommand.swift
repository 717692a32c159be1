import ArgumentParser
import Foundation
import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerPipeline
import Synchronization

/// `gleaner plugin`: tools for plugin authors.
struct PluginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin", abstract: "Tools for plugin authors (docs/PLUGINS.md).", subcommands: [PluginTestCommand.self])
}

/// `gleaner plugin test COMMAND FILE...`: runs an external plugin through the real supervisor (the same code the
/// daemon uses: handshake checks, negotiation, timeouts, answer validation) on files, and shows every line
/// exchanged with its timing, then each document's outcome.
struct PluginTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run an external plugin on files through the real supervisor, showing requests, responses, timings and validation errors.",
        discussion: """
            COMMAND is the plugin's command line, split at spaces (no shell), e.g. "/usr/bin/python3 shouting.py"; a relative \
            path is relative to the current folder. Built-in processors that provide what the plugin requires run before it. \
            Exit status: 0 when every document got the plugin's layers, 1 when any did not, 2 when the plugin does not start \
            or its options are refused.
            """)

    @Argument(help: "The plugin's command line (one argument, split at spaces).")
    var command: String

    @Argument(help: "The files to process.")
    var files: [String]

    @Option(name: .long, help: "The plugin's options, as a JSON object (checked against its options schema, if it announces one).")
    var options: String = "{}"

    @Option(name: .long, help: "The longest wait for one document's answer.")
    var timeout: String = "30s"

    @Flag(name: .long, help: "Show whole lines (by default a long text is shortened in what is shown; what is sent is always whole).")
    var full = false

    func run() async throws {
        let parts = command.split(separator: " ").map(String.init)
        guard var program = parts.first else { throw ValidationError("the command is empty") }
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p) }
        if program.contains("/") { program = absolute(program) }
        // Relative arguments that name files (a script) are made absolute: the worker runs in its program's folder.
        let arguments = parts.dropFirst().map { a in
            !a.hasPrefix("-") && !a.hasPrefix("/") && FileManager.default.fileExists(atPath: absolute(a)) ? absolute(a) : a
        }
        guard let optionsJSON = try? JSONValue.parse(options), optionsJSON.objectValue != nil else {
            throw ValidationError("--options must be a JSON object, e.g. '{\"top\": 3}'")
        }

        // The plugin's name comes from its handshake: read it once from a first run.
        guard let name = firstHandshakeName(program, arguments) else {
            printError("gleaner plugin test: the plugin printed no handshake within 10 s (its first line must be the JSON handshake)")
            throw ExitCode(2)
        }

        let folder = NSTemporaryDirectory() + "gleaner-plugin-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/in", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var toml = """
            inbox = "\(folder)/in"
            outbox = "\(folder)/out"
            [processors.\(name)]
            kind = "exec"
            command = [\(([program] + arguments).map { JSONValue.string($0).serialized() }.joined(separator: ", "))]
            timeout = \(JSONValue.string(timeout).serialized())
            options = \(tomlInline(optionsJSON))

            """
        // Built-in processors that provide what it requires (and what they require), found from a first start.
        let trace = TracePrinter(full: full)
        PluginEvents.onTrace { trace.print($0) }
        print("plugin test: \(([program] + arguments).joined(separator: " "))")
        let configPath = folder + "/gleaner.toml"
        try toml.write(toFile: configPath, atomically: true, encoding: .utf8)
        var pipeline: Pipeline
        switch await build(configPath) {
        case .success(let built):
            pipeline = built
        case .failure(let errors):
            let needed = errors.errors.filter { $0.code == .missingRequirement }
            guard !needed.isEmpty, needed.count == errors.errors.count else {
                for e in errors.errors { printError("✗ \(e.message)\(e.hint.map { " (\($0))" } ?? "")") }
                throw ExitCode(2)
            }
            var wanted = Set<String>()
            var frontier = Set(needed.compactMap { layerName(in: $0.message) })
            while !frontier.isEmpty {
                let layer = frontier.removeFirst()
                guard let provider = BuiltinProcessors.registry.all.first(where: { $0.descriptor.provides.map(\.rawValue).contains(layer) }) else { continue }
                if wanted.insert(provider.descriptor.name).inserted {
                    frontier.formUnion(provider.descriptor.requires.map(\.rawValue))
                }
            }
            for builtin in wanted.sorted() { toml += "[processors.\(builtin)]\n" }
            try toml.write(toFile: configPath, atomically: true, encoding: .utf8)
            print("  (running first: \(wanted.sorted().joined(separator: ", ")), for the layers the plugin requires)")
            switch await build(configPath) {
            case .success(let built):
                pipeline = built
            case .failure(let errors):
                for e in errors.errors { printError("✗ \(e.message)\(e.hint.map { " (\($0))" } ?? "")") }
                throw ExitCode(2)
            }
        }
        print("pipeline: \(pipeline.descriptors.map(\.name).joined(separator: " → "))")

        var ok = 0, failed = 0
        for file in files {
            let documents: [Document]
            do {
                documents = try await DocumentReader.documents(path: file, name: (file as NSString).lastPathComponent, extraction: pipeline.extraction)
            } catch {
                print("✗ \(file): \(error.code): \(error.message)")
                failed += 1
                continue
            }
            for document in documents {
                print("── \(document.metadata.sourceName) (\(document.text.count) characters)")
                trace.reset()
                let result = await pipeline.run(document)
                for run in result.runs where run.name == name {
                    let ms = String(format: "%.1f", run.durationMs)
                    switch run.outcome {
                    case .ok:
                        ok += 1
                        let layers = pipeline.descriptors.first { $0.name == name }?.provides ?? []
                        print("✓ \(name) ok in \(ms) ms: \(layers.map { "\($0) " + summary(result.json(of: $0)) }.joined(separator: ", "))")
                        for warning in run.warnings { print("  warning: \(warning)") }
                    case .failed, .skipped:
                        failed += 1
                        print("✗ \(name) \(run.outcome.rawValue) (\(run.reason ?? "error")) in \(ms) ms: \(run.error ?? "")")
                        if let details = run.errorDetails { print("  error details: \(details.serialized())") }
                    }
                }
            }
        }
        await pipeline.shutdown()
        print("summary: \(ok) ok, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }

    func build(_ path: String) async -> Result<Pipeline, ConfigurationErrors> {
        do throws(ConfigurationErrors) {
            let configuration = try ConfigurationLoader.load(path: path)
            return .success(try await PipelineBuilder.build(configuration, registry: BuiltinProcessors.registry))
        } catch {
            return .failure(error)
        }
    }

    func layerName(in message: String) -> String? {
        guard let start = message.range(of: "requires the layer '")?.upperBound, let end = message[start...].firstIndex(of: "'") else { return nil }
        return String(message[start..<end])
    }

    func summary(_ json: JSONValue?) -> String {
        guard let json else { return "(none)" }
        if let items = json.arrayValue { return "(\(items.count) item\(items.count == 1 ? "" : "s"))" }
        if let members = json.objectValue { return "(\(members.count) key\(members.count == 1 ? "" : "s"): \(members.prefix(6).map(\.0).joined(separator: ", ")))" }
        return "(\(json.serialized().prefix(60)))"
    }

    /// Starts the plugin once, reads its first line, and returns the name it gives.
    func firstHandshakeName(_ program: String, _ arguments: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: (program as NSString).deletingLastPathComponent)
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardInput = input
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            printError("gleaner plugin test: cannot start \(program): \(error.localizedDescription)")
            return nil
        }
        defer {
            try? input.fileHandleForWriting.close()
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
        }
        let fd = out.fileHandleForReading.fileDescriptor
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(10)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            line += buffer[0..<n]
            if let newline = line.firstIndex(of: 0x0A) {
                return (try? JSONValue.parse(bytes: Array(line[..<newline])))?["name"]?.stringValue
            }
        }
        return nil
    }
}

/// A JSON object as a TOML inline table (for the temporary configuration).
func tomlInline(_ value: JSONValue) -> String {
    switch value {
    case .object(let members):
        return "{ " + members.filter { !$0.1.isNull }.map { "\(JSONValue.string($0.0).serialized()) = \(tomlInline($0.1))" }.joined(separator: ", ") + " }"
    case .array(let items): return "[" + items.map(tomlInline).joined(separator: ", ") + "]"
    case .null: return "\"\""
    default: return value.serialized()
    }
}

/// Prints each line exchanged with the plugin's workers, with the time since the last request.
final class TracePrinter: Sendable {
    let full: Bool
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(full: Bool) { self.full = full }

    func reset() { last.withLock { $0 = nil } }

    func print(_ t: PluginEvents.Trace) {
        var shown = String(decoding: t.line, as: UTF8.self)
        if !full, var json = try? JSONValue.parse(bytes: t.line), case .object(var members) = json {
            if let i = members.firstIndex(where: { $0.0 == "text" }), let text = members[i].1.stringValue, text.unicodeScalars.count > 120 {
                members[i].1 = .string(String(String.UnicodeScalarView(text.unicodeScalars.prefix(100))) + "… (\(text.unicodeScalars.count) characters in all)")
                json = .object(members)
                shown = json.serialized()
            }
        }
        if !full, shown.count > 2000 { shown = String(shown.prefix(2000)) + "… (\(t.line.count) bytes in all)" }
        let timing: String
        switch t.direction {
        case .toWorker:
            last.withLock { $0 = t.time }
            timing = ""
        case .fromWorker:
            let since = last.withLock { $0 }
            timing = since.map { "   [\(String(format: "%.1f", (t.time - $0).milliseconds)) ms]" } ?? ""
        }
        let arrow = t.direction == .toWorker ? "→" : "←"
        Swift.print("\(arrow) [pid \(t.pid)] \(shown)\(timing)")
    }
}
