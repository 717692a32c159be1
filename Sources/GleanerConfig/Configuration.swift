import Foundation
import GleanerCore

/// The whole configuration: the main file, then the drop-ins of
/// `processors.d/*.toml` in name order, validated into typed settings.
public struct GleanerConfiguration: Sendable {
    /// Absolute paths, resolved against the working directory at load time.
    public var inbox: String
    public var outbox: String
    /// Claimed files and the journal; on the inbox's file system so a claim is a rename.
    public var state: String
    public var failed: String
    public var archive: String
    public var logs: String

    public var daemon: DaemonSettings
    public var input: InputSettings
    /// `[extract]`: limits of turning files into text (docs/CONFIGURATION.md).
    public var extract: ExtractSettings = ExtractSettings()
    public var output: OutputSettings
    public var logging: LoggingSettings
    public var metrics: MetricsSettings
    /// The catalogue and the web app (issue #15).
    public var catalogue: CatalogueSettings = CatalogueSettings(enabled: true, path: "", aliases: "")
    public var serve: ServeSettings = ServeSettings(listen: "127.0.0.1:8080", token: "")
    /// `[catalogue] backend` and its PostgreSQL settings, and `[fleet]` (issue #18, FleetSettings.swift).
    public var catalogueBackend: CatalogueBackend = .sqlite
    public var cataloguePostgres = PostgresSettings()
    public var fleet = FleetSettings()
    /// Enabled and disabled processor sections, in the order first written.
    public var processors: [ProcessorSection]
    /// The files read, main file first ("(embedded default)" for the built-in one).
    public var sources: [String]

    public var enabledProcessors: [ProcessorSection] { processors.filter { $0.enabled && $0.kind != "extractor" } }
    /// `[processors.NAME]` sections with `kind = "extractor"`: external extractors (docs/PLUGINS.md).
    public var enabledExtractors: [ProcessorSection] { processors.filter { $0.enabled && $0.kind == "extractor" } }
}

public struct DaemonSettings: Sendable, Hashable {
    /// Documents processed at once.
    public var workers: Int
    /// Ready files waiting for a worker; the watcher waits when it is full.
    public var queueCapacity: Int
    public var settle: Duration
    public var documentTimeout: Duration
    public var shutdownTimeout: Duration
    public enum AfterSuccess: String, Sendable { case archive, delete }
    public var afterSuccess: AfterSuccess
    /// Glob patterns of names that are still being written.
    public var ignore: [String]
    /// How often the inbox is rescanned in full even with inotify (0 = only on overflow).
    public var rescanInterval: Duration
    /// Polling period when the inbox's file system has no inotify events.
    public var pollInterval: Duration
    /// Times a document may be found mid-processing after a crash before it goes to failed/.
    public var maxAttempts: Int
    /// Refresh period of the status file.
    public var statusInterval: Duration
    /// Documents at least this large never take the last worker free for the others.
    public var largeDocumentBytes: Int = 1 << 20
}

public struct InputSettings: Sendable, Hashable {
    public var maxBytes: Int
}

/// `[extract]`: the limits every extraction runs under (against ZIP bombs, endless PDFs, huge mails).
public struct ExtractSettings: Sendable, Hashable {
    public var maxExpandedBytes = 256 << 20
    public var maxExpansionRatio = 200
    public var maxParts = 1000
    public var maxAttachmentBytes = 32 << 20
    public var maxMessages = 10_000
    public var timeLimit: Duration = .seconds(30)
    public var memoryLimit = 2 << 30
    public init() {}
}

public struct OutputSettings: Sendable, Hashable {
    public var html: Bool
    public var pretty: Bool
    /// The file mode mask for everything the daemon writes (results, failures, archive, logs).
    public var umask: Int = 0o027
}

public struct LoggingSettings: Sendable, Hashable {
    public var level: String
    public var fileMaxBytes: Int
    public var filesKept: Int
}

public struct MetricsSettings: Sendable, Hashable {
    /// `host:port` on loopback, or empty for no listener.
    public var listen: String
    /// A `.prom` file for node_exporter's textfile collector, or empty.
    public var textfile: String
    public var interval: Duration
}

/// `[catalogue]`: the SQLite catalogue of every result.
public struct CatalogueSettings: Sendable, Hashable {
    public var enabled: Bool
    /// Absolute path of the database file.
    public var path: String
    /// The user's alias file (alias<TAB>canonical, split<TAB>name), or empty.
    public var aliases: String
}

/// `[serve]`: `gleaner serve`, the local web app.
public struct ServeSettings: Sendable, Hashable {
    /// `host:port`; loopback unless a token is set.
    public var listen: String
    /// Required (as `?token=` once, then a cookie, or `Authorization: Bearer`) when listening beyond loopback.
    public var token: String
}

/// One `[processors.NAME]` table, merged across files.
public struct ProcessorSection: Sendable {
    public var name: String
    public var enabled: Bool
    /// `builtin` or `exec`.
    public var kind: String
    public var timeout: Duration?
    public var table: ConfigTable
    public var location: SourceLocation?
    /// `required = false` (external plugins): the daemon starts without it when it does not start, and retries.
    public var required: Bool = true

    public var options: ProcessorOptions { ProcessorOptions(processor: name, table: table) }
}

public enum ConfigurationLoader {
    /// The configuration the binary embeds: the same text as `Config/gleaner.toml`.
    public static let embeddedDefaultName = "(embedded default)"

    /// Loads `path` (or the embedded default when nil) and its `processors.d/`.
    public static func load(path: String?, workingDirectory: String = FileManager.default.currentDirectoryPath)
        throws(ConfigurationErrors) -> GleanerConfiguration
    {
        var files: [(name: String, text: String)] = []
        if let path {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationErrors([
                    ConfigurationError(.unreadable, "cannot read the configuration file \(path): \(describe(error))",
                                       hint: "check the path given to --config")
                ])
            }
            files.append((path, text))
            let dropIns = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("processors.d")
            if let names = try? FileManager.default.contentsOfDirectory(atPath: dropIns) {
                for name in names.sorted() where name.hasSuffix(".toml") && !name.hasPrefix(".") {
                    let file = (dropIns as NSString).appendingPathComponent(name)
                    do {
                        files.append((file, try String(contentsOfFile: file, encoding: .utf8)))
                    } catch {
                        throw ConfigurationErrors([ConfigurationError(.unreadable, "cannot read \(file): \(describe(error))")])
                    }
                }
            }
        } else {
            files.append((embeddedDefaultName, EmbeddedDefault.text))
        }
        return try load(files: files, workingDirectory: workingDirectory)
    }

    /// Parses and validates configuration texts: the main file first, then drop-ins.
    public static func load(files: [(name: String, text: String)], workingDirectory: String) throws(ConfigurationErrors)
        -> GleanerConfiguration
    {
        var errors: [ConfigurationError] = []
        var tables: [ConfigTable] = []
        for file in files {
            do {
                tables.append(try TOML.parse(file.text, file: file.name))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty, let main = tables.first else { throw ConfigurationErrors(errors) }

        // Top-level keys of the main file.
        let sectionNames = ["daemon", "input", "extract", "output", "logging", "metrics", "catalogue", "serve", "fleet", "processors"]
        let topLevel = ["inbox", "outbox", "state", "failed", "archive", "logs", "allow_no_processors"]
        for entry in main.entries where !topLevel.contains(entry.key) && !sectionNames.contains(entry.key) {
            errors.append(ConfigurationError(
                .unknownKey, "unknown key '\(entry.key)' at the top level", at: entry.value.location,
                hint: closestMatch(to: entry.key, in: topLevel + sectionNames).map { "did you mean '\($0)'?" }
                    ?? "known: \((topLevel + sectionNames).joined(separator: ", "))"))
        }
        for (index, table) in tables.enumerated().dropFirst() {
            for entry in table.entries where entry.key != "processors" {
                errors.append(ConfigurationError(
                    .unknownKey, "a drop-in file may only hold [processors.NAME] tables, not '\(entry.key)'",
                    at: entry.value.location ?? SourceLocation(file: files[index].name),
                    hint: "move '\(entry.key)' to the main file"))
            }
        }

        func path(_ key: String, default fallback: String) -> String {
            guard let value = main[key] else { return absolute(fallback, workingDirectory) }
            guard let s = value.string, !s.isEmpty else {
                errors.append(ConfigurationError(.badPath, "\(key) must be a non-empty path string", at: value.location))
                return absolute(fallback, workingDirectory)
            }
            return absolute(s, workingDirectory)
        }
        let inbox = path("inbox", default: "./var/inbox")
        let outbox = path("outbox", default: "./var/outbox")
        let state = path("state", default: (inbox as NSString).appendingPathComponent(".gleaner"))
        let failed = path("failed", default: (outbox as NSString).appendingPathComponent("failed"))
        let archive = path("archive", default: (outbox as NSString).appendingPathComponent("archive"))
        let logs = path("logs", default: (outbox as NSString).appendingPathComponent("logs"))
        errors += validatePaths(inbox: inbox, outbox: outbox, state: state, main: main)

        func section(_ name: String) -> ProcessorOptions {
            guard let value = main[name] else { return ProcessorOptions(section: name, table: ConfigTable()) }
            guard let table = value.table else {
                errors.append(ConfigurationError(.wrongType, "'\(name)' must be a table: [\(name)]", at: value.location))
                return ProcessorOptions(section: name, table: ConfigTable())
            }
            return ProcessorOptions(section: name, table: table)
        }
        func collect<T>(_ fallback: T, _ body: () throws(ConfigurationError) -> T) -> T {
            do { return try body() } catch {
                errors.append(error)
                return fallback
            }
        }

        let cores = ProcessInfo.processInfo.activeProcessorCount
        var d = section("daemon")
        let daemon = DaemonSettings(
            workers: collect(cores) { () throws(ConfigurationError) in let w = try d.int("workers", default: 0, range: 0...1024); return w == 0 ? cores : w },
            queueCapacity: collect(256) { () throws(ConfigurationError) in try d.int("queue_capacity", default: 256, range: 1...1_000_000) },
            settle: collect(.milliseconds(50)) { () throws(ConfigurationError) in try d.duration("settle", default: .milliseconds(50)) },
            documentTimeout: collect(.seconds(120)) { () throws(ConfigurationError) in try d.duration("document_timeout", default: .seconds(120), positive: true) },
            shutdownTimeout: collect(.seconds(1)) { () throws(ConfigurationError) in try d.duration("shutdown_timeout", default: .seconds(1), positive: true) },
            afterSuccess: collect(.archive) { () throws(ConfigurationError) in
                DaemonSettings.AfterSuccess(rawValue: try d.string("after_success", default: "archive", oneOf: ["archive", "delete"])) ?? .archive
            },
            ignore: collect([]) { () throws(ConfigurationError) in try d.strings("ignore") ?? [".*", "*.part", "*.tmp", "*.crdownload", "*~", "*.swp"] },
            rescanInterval: collect(.seconds(60)) { () throws(ConfigurationError) in try d.duration("rescan_interval", default: .seconds(60)) },
            pollInterval: collect(.seconds(2)) { () throws(ConfigurationError) in try d.duration("poll_interval", default: .seconds(2), positive: true) },
            maxAttempts: collect(3) { () throws(ConfigurationError) in try d.int("max_attempts", default: 3, range: 1...100) },
            statusInterval: collect(.seconds(2)) { () throws(ConfigurationError) in try d.duration("status_interval", default: .seconds(2), positive: true) },
            largeDocumentBytes: collect(1 << 20) { () throws(ConfigurationError) in try d.bytes("large_document_bytes", default: 1 << 20) })
        collect(()) { () throws(ConfigurationError) in try d.finish() }

        var i = section("input")
        let input = InputSettings(maxBytes: collect(16 << 20) { () throws(ConfigurationError) in try i.bytes("max_bytes", default: 16 << 20) })
        collect(()) { () throws(ConfigurationError) in try i.finish() }

        var x = section("extract")
        var extract = ExtractSettings()
        extract.maxExpandedBytes = collect(extract.maxExpandedBytes) { () throws(ConfigurationError) in try x.bytes("max_expanded_bytes", default: 256 << 20) }
        extract.maxExpansionRatio = collect(extract.maxExpansionRatio) { () throws(ConfigurationError) in try x.int("max_expansion_ratio", default: 200, range: 2...100_000) }
        extract.maxParts = collect(extract.maxParts) { () throws(ConfigurationError) in try x.int("max_parts", default: 1000, range: 1...1_000_000) }
        extract.maxAttachmentBytes = collect(extract.maxAttachmentBytes) { () throws(ConfigurationError) in try x.bytes("max_attachment_bytes", default: 32 << 20) }
        extract.maxMessages = collect(extract.maxMessages) { () throws(ConfigurationError) in try x.int("max_messages", default: 10_000, range: 1...10_000_000) }
        extract.timeLimit = collect(extract.timeLimit) { () throws(ConfigurationError) in try x.duration("time_limit", default: .seconds(30)) }
        extract.memoryLimit = collect(extract.memoryLimit) { () throws(ConfigurationError) in try x.bytes("memory_limit", default: 2 << 30) }
        collect(()) { () throws(ConfigurationError) in try x.finish() }

        var o = section("output")
        let output = OutputSettings(
            html: collect(true) { () throws(ConfigurationError) in try o.bool("html", default: true) },
            pretty: collect(true) { () throws(ConfigurationError) in try o.bool("pretty", default: true) },
            umask: collect(0o027) { () throws(ConfigurationError) in
                let text = try o.string("umask") ?? "0027"
                guard text.count <= 4, let mask = Int(text, radix: 8), (0...0o777).contains(mask), mask & 0o300 == 0 else {
                    throw ConfigurationError(
                        .invalidValue, "[output] umask must be an octal mask such as \"0027\" that leaves the owner read and write",
                        at: o.location("umask"))
                }
                return mask
            })
        collect(()) { () throws(ConfigurationError) in try o.finish() }

        var l = section("logging")
        let logging = LoggingSettings(
            level: collect("info") { () throws(ConfigurationError) in
                try l.string("level", default: "info", oneOf: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
            },
            fileMaxBytes: collect(10 << 20) { () throws(ConfigurationError) in try l.bytes("file_max_bytes", default: 10 << 20) },
            filesKept: collect(5) { () throws(ConfigurationError) in try l.int("files_kept", default: 5, range: 1...1000) })
        collect(()) { () throws(ConfigurationError) in try l.finish() }

        var m = section("metrics")
        let metrics = MetricsSettings(
            listen: collect("") { () throws(ConfigurationError) in try m.string("listen") ?? "" },
            textfile: collect("") { () throws(ConfigurationError) in try m.string("textfile").map { absolute($0, workingDirectory) } ?? "" },
            interval: collect(.seconds(15)) { () throws(ConfigurationError) in try m.duration("interval", default: .seconds(15)) })
        collect(()) { () throws(ConfigurationError) in try m.finish() }
        if !metrics.listen.isEmpty, !isLoopback(metrics.listen) {
            errors.append(ConfigurationError(
                .invalidValue, "[metrics] listen = \"\(metrics.listen)\" must be a loopback address with a port",
                at: m.location("listen"), hint: "for example \"127.0.0.1:9464\""))
        }

        // [catalogue] and [serve] (issue #15).
        var c = section("catalogue")
        let catalogue = CatalogueSettings(
            enabled: collect(true) { () throws(ConfigurationError) in try c.bool("enabled", default: true) },
            path: collect("") { () throws(ConfigurationError) in
                absolute(try c.string("path") ?? (outbox as NSString).appendingPathComponent(".gleaner/catalogue.sqlite"), workingDirectory)
            },
            aliases: collect("") { () throws(ConfigurationError) in try c.string("aliases").map { absolute($0, workingDirectory) } ?? "" })
        let (catalogueBackend, cataloguePostgres) = parseCatalogueBackend(&c, workingDirectory: workingDirectory, errors: &errors)  // issue #18
        collect(()) { () throws(ConfigurationError) in try c.finish() }
        var fl = section("fleet")
        let fleet = parseFleet(&fl, catalogue: cataloguePostgres, workingDirectory: workingDirectory, errors: &errors)
        var sv = section("serve")
        let serve = ServeSettings(
            listen: collect("127.0.0.1:8080") { () throws(ConfigurationError) in try sv.string("listen") ?? "127.0.0.1:8080" },
            token: collect("") { () throws(ConfigurationError) in try sv.string("token") ?? "" })
        collect(()) { () throws(ConfigurationError) in try sv.finish() }
        if !serve.listen.isEmpty, !isLoopback(serve.listen), serve.token.count < 16 {
            errors.append(ConfigurationError(
                .invalidValue, "[serve] listen = \"\(serve.listen)\" is not a loopback address: it needs a token of at least 16 characters",
                at: sv.location("listen"), hint: "set [serve] token = \"…\" (for example from `openssl rand -hex 16`), or listen on 127.0.0.1"))
        }

        let processors = mergeProcessors(tables, errors: &errors)
        var allowEmpty = false
        if let value = main["allow_no_processors"] {
            if let b = value.boolean { allowEmpty = b } else {
                errors.append(ConfigurationError(.wrongType, "allow_no_processors must be true or false", at: value.location))
            }
        }
        if errors.isEmpty, !allowEmpty, !processors.contains(where: { $0.enabled && $0.kind != "extractor" }) {
            errors.append(ConfigurationError(
                .noProcessors, "no processor is enabled: every result would hold only the text",
                at: SourceLocation(file: files[0].name),
                hint: "enable a [processors.NAME] table, or set allow_no_processors = true to extract text only"))
        }
        guard errors.isEmpty else { throw ConfigurationErrors(errors) }
        var configuration = GleanerConfiguration(
            inbox: inbox, outbox: outbox, state: state, failed: failed, archive: archive, logs: logs,
            daemon: daemon, input: input, output: output, logging: logging, metrics: metrics,
            processors: processors, sources: files.map(\.name))
        configuration.extract = extract
        configuration.catalogue = catalogue
        configuration.serve = serve
        configuration.catalogueBackend = catalogueBackend
        configuration.cataloguePostgres = cataloguePostgres
        configuration.fleet = fleet
        return configuration
    }

    /// Merges `[processors.NAME]` tables: a later file's keys override an earlier file's.
    static func mergeProcessors(_ tables: [ConfigTable], errors: inout [ConfigurationError]) -> [ProcessorSection] {
        var order: [String] = []
        var merged: [String: ConfigTable] = [:]
        var locations: [String: SourceLocation] = [:]
        for table in tables {
            guard let value = table["processors"] else { continue }
            guard let processors = value.table else {
                errors.append(ConfigurationError(.wrongType, "'processors' must hold tables: [processors.NAME]", at: value.location))
                continue
            }
            for entry in processors.entries {
                guard let section = entry.value.table else {
                    errors.append(ConfigurationError(
                        .wrongType, "processors.\(entry.key) must be a table: [processors.\(entry.key)]", at: entry.value.location))
                    continue
                }
                if merged[entry.key] == nil {
                    order.append(entry.key)
                    merged[entry.key] = section
                    locations[entry.key] = section.location ?? entry.value.location
                } else {
                    for kv in section.entries { merged[entry.key]?[kv.key] = kv.value }
                }
            }
        }
        var sections: [ProcessorSection] = []
        for name in order {
            guard let table = merged[name] else { continue }
            var reader = ProcessorOptions(processor: name, table: table)
            var enabled = true, kind = "builtin"
            var timeout: Duration?
            var required = true
            do {
                enabled = try reader.bool("enabled", default: true)
                required = try reader.bool("required", default: true)
                kind = try reader.string("kind", default: "builtin", oneOf: ["builtin", "exec", "extractor"])
                if table["timeout"] != nil { timeout = try reader.duration("timeout", default: .seconds(60), positive: true) }
            } catch {
                errors.append(error)
            }
            if !isValidProcessorName(name) {
                errors.append(ConfigurationError(
                    .invalidValue, "processor name '\(name)' must be lower-case letters, digits, '-' or '_'", at: table.location))
            }
            sections.append(ProcessorSection(
                name: name, enabled: enabled, kind: kind, timeout: timeout, table: table, location: locations[name],
                required: required))
        }
        return sections
    }

    static func isValidProcessorName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    static func validatePaths(inbox: String, outbox: String, state: String, main: ConfigTable) -> [ConfigurationError] {
        var errors: [ConfigurationError] = []
        func within(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        if within(outbox, inbox) || within(inbox, outbox) {
            errors.append(ConfigurationError(
                .badPath, "inbox (\(inbox)) and outbox (\(outbox)) must be separate folders, neither inside the other",
                at: main["outbox"]?.location ?? main["inbox"]?.location,
                hint: "results written inside the inbox would be processed again"))
        }
        for (key, path) in [("inbox", inbox), ("outbox", outbox), ("state", state)] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                errors.append(ConfigurationError(
                    .badPath, "\(key) \(path) exists but is not a folder", at: main[key]?.location))
            }
        }
        return errors
    }

    static func isLoopback(_ address: String) -> Bool {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port)
        else { return false }
        let host = address[..<colon]
        return host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
    }

    static func absolute(_ path: String, _ workingDirectory: String) -> String {
        let full = path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    static func describe(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.underlying as? POSIXError { return underlying.localizedDescription }
        return (error as NSError).localizedFailureReason ?? error.localizedDescription
    }
}

/// Shell-style glob matching for file names (`*`, `?`, `[abc]`), used for ignore patterns.
public func globMatch(_ pattern: String, _ name: String) -> Bool {
    let p = Array(pattern.unicodeScalars), n = Array(name.unicodeScalars)
    var pi = 0, ni = 0, star = -1, mark = 0
    while ni < n.count {
        if pi < p.count, p[pi] == "[", let close = p[(pi + 1)...].firstIndex(of: "]") {
            if bracketMatches(p[(pi + 1)..<close], n[ni]) { pi = close + 1; ni += 1; continue }
        } else if pi < p.count, p[pi] == "?" || p[pi] == n[ni] {
            pi += 1
            ni += 1
            continue
        }
        if pi < p.count, p[pi] == "*" {
            star = pi
            mark = ni
            pi += 1
        } else if star >= 0 {
            pi = star + 1
            mark += 1
            ni = mark
        } else {
            return false
        }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
}

/// `[abc]`, `[a-z]` and `[!x]` / `[^x]` in glob patterns.
private func bracketMatches(_ set: ArraySlice<Unicode.Scalar>, _ c: Unicode.Scalar) -> Bool {
    var items = Array(set)
    var negate = false
    if let first = items.first, first == "!" || first == "^" {
        negate = true
        items.removeFirst()
    }
    var found = false
    var i = 0
    while i < items.count {
        if i + 2 < items.count, items[i + 1] == "-" {
            if items[i] <= c && c <= items[i + 2] { found = true }
            i += 3
        } else {
            if items[i] == c { found = true }
            i += 1
        }
    }
    return found != negate
}
