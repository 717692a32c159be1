import Foundation
import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerPipeline
import Logging

/// Paths of the repository's plugin scripts, found from this file.
enum Paths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let workers = tests.appendingPathComponent("Workers").path
    static let examples = tests.appendingPathComponent("../../Plugins/external").standardized.path
    static let python = "/usr/bin/python3"

    static func worker(_ name: String) -> String { "\(workers)/\(name).py" }
    static func example(_ name: String) -> String { "\(examples)/\(name).py" }
}

/// A temporary folder with a configuration, removed by `cleanup`.
struct TestConfig {
    let folder: String
    var mainName: String { "\(folder)/gleaner.toml" }

    init() {
        folder = NSTemporaryDirectory() + "gleaner-exec-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Loads `main` as gleaner.toml plus drop-ins named `processors.d/NAME.toml`.
    func load(_ main: String, dropIns: [(String, String)] = []) throws -> GleanerConfiguration {
        var files = [(name: mainName, text: "inbox = \"in\"\noutbox = \"out\"\n" + main)]
        for (name, text) in dropIns { files.append(("\(folder)/processors.d/\(name).toml", text)) }
        return try ConfigurationLoader.load(files: files, workingDirectory: folder)
    }

    func pipeline(_ main: String, dropIns: [(String, String)] = []) async throws -> Pipeline {
        try await PipelineBuilder.build(try load(main, dropIns: dropIns), registry: BuiltinProcessors.registry)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: folder) }
}

/// A TOML section for an exec plugin running `script` with the system Python.
func execSection(
    _ name: String, script: String, arguments: [String] = [], timeout: String = "5s", extra: String = ""
) -> String {
    let command = ([Paths.python, script] + arguments).map { "\"\($0)\"" }.joined(separator: ", ")
    return """
        [processors.\(name)]
        kind = "exec"
        command = [\(command)]
        timeout = "\(timeout)"
        \(extra)

        """
}

extension Document {
    func run(_ name: String) -> ProcessorRun? { runs.first(where: { $0.name == name }) }
}

extension Pipeline {
    func external(_ name: String) -> ExternalProcessor? {
        processors.first(where: { $0.descriptor.name == name }) as? ExternalProcessor
    }
}

/// Whether `pid` is still a process (a zombie counts) that is our child.
func isLeftBehind(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    // Fields after the command's closing parenthesis: state, ppid, …
    guard let close = stat.lastIndex(of: ")") else { return false }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 1, let ppid = Int32(fields[1]) else { return false }
    return ppid == getpid()
}

/// Waits up to five seconds for `pid` to be reaped.
func isGone(_ pid: Int32) async -> Bool {
    for _ in 0..<500 {
        if !isLeftBehind(pid) { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return false
}

/// Log lines captured from a plugin's logger.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }

    var logger: Logger {
        Logger(label: "gleaner.plugin.test") { _ in CaptureHandler(capture: self) }
    }
}

struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        capture.append("\(event.level): \(event.message)")
    }
}
