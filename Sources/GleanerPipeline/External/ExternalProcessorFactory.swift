import Foundation
import GleanerCore
import Logging

/// Makes processors that run as external worker programs (`kind = "exec"`),
/// speaking `gleaner.plugin/1` (docs/PLUGINS.md).
///
/// `makeProcessor` validates the section, starts the workers and checks their
/// handshakes, so `gleaner plugins` and `check-config` show whether they start.
public struct ExternalProcessorFactory: ProcessorFactory {
    public let name: String
    public let defaultTimeout: Duration?
    let logger: Logger

    public init(name: String, defaultTimeout: Duration?) {
        self.init(name: name, defaultTimeout: defaultTimeout, logger: Logger(label: "gleaner.plugin.\(name)"))
    }

    /// With a chosen logger (tests capture the worker's standard error this way).
    public init(name: String, defaultTimeout: Duration?, logger: Logger) {
        self.name = name
        self.defaultTimeout = defaultTimeout
        self.logger = logger
    }

    public var descriptor: ProcessorDescriptor {
        ProcessorDescriptor(name: name, version: "?", requires: [], provides: [LayerName(name)], summary: "external program")
    }

    public static let keys: Set<String> = [
        "command", "workers", "env", "cwd", "max_documents", "requires", "provides", "options", "start_timeout",
        "kill_grace", "retry_interval",
    ]

    public func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        let spec = try Self.spec(name: name, defaultTimeout: defaultTimeout, options: options)
        var declaredRequires: [LayerName]?
        var declaredProvides: [LayerName]?
        var reader = options
        if let r = try reader.strings("requires") { declaredRequires = r.map { LayerName($0) } }
        if let p = try reader.strings("provides") { declaredProvides = p.map { LayerName($0) } }

        Self.ignoreSIGPIPE()
        let pool = WorkerPool(spec: spec, logger: logger)
        let hello: PluginProtocol.Handshake
        do {
            hello = try await pool.start()
        } catch {
            throw ConfigurationError(
                .invalidValue, "\(options.section): the plugin's worker did not start: \(error)", at: options.location("command"),
                hint: "run the command by hand: it must print its handshake line first (docs/PLUGINS.md)")
        }
        func mismatch(_ key: String, declared: [LayerName], actual: [LayerName]) -> ConfigurationError {
            ConfigurationError(
                .invalidValue,
                "\(options.section) \(key) = [\(declared.map { "\"\($0)\"" }.joined(separator: ", "))] does not match the plugin's handshake, which says [\(actual.map { "\"\($0)\"" }.joined(separator: ", "))]",
                at: options.location(key), hint: "correct the configuration or the plugin")
        }
        if let declaredRequires, Set(declaredRequires) != Set(hello.requires) {
            await pool.shutdown()
            throw mismatch("requires", declared: declaredRequires, actual: hello.requires)
        }
        if let declaredProvides, Set(declaredProvides) != Set(hello.provides) {
            await pool.shutdown()
            throw mismatch("provides", declared: declaredProvides, actual: hello.provides)
        }
        var descriptor = ProcessorDescriptor(
            name: name, version: hello.version, requires: hello.requires, provides: hello.provides, summary: hello.summary)
        descriptor.render = hello.render
        // Version 2: the options are checked against the schema the plugin announced, every mistake at once.
        if let schema = hello.optionsSchema {
            let problems = OptionsSchema.validate(spec.options, against: schema)
            if !problems.isEmpty {
                await pool.shutdown()
                throw ConfigurationError(
                    .invalidValue,
                    "\(options.section) options do not match the plugin's options schema: \(problems.joined(separator: "; "))",
                    at: options.location("options"), hint: "the plugin's handshake lists its options (gleaner plugin test shows it)")
            }
        }
        return ExternalProcessor(descriptor: descriptor, pool: pool, options: spec.options, logger: logger)
    }

    /// Reads and checks every key of an exec section, with the file and line of each mistake.
    static func spec(name: String, defaultTimeout: Duration?, options: ProcessorOptions, alsoAccepted: [String] = []) throws(ConfigurationError) -> WorkerSpec {
        var o = options
        for key in alsoAccepted { o.accept(key) }
        let section = o.section
        // The folder of the file that declares the section, made absolute (a relative --config is relative to
        // the folder Gleaner started in): relative paths in the section are relative to it.
        var configFolder = o.table.location.map { ($0.file as NSString).deletingLastPathComponent } ?? ""
        if let file = o.table.location?.file, !file.hasPrefix("("), !configFolder.hasPrefix("/") {
            configFolder = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(configFolder)
        }
        func resolve(_ path: String) -> String {
            if path.hasPrefix("/") || configFolder.isEmpty || configFolder.hasPrefix("(") { return (path as NSString).standardizingPath }
            return ((configFolder as NSString).appendingPathComponent(path) as NSString).standardizingPath
        }

        guard let command = try o.strings("command") else {
            throw ConfigurationError(
                .missingKey, "\(section) has kind = \"exec\" but no command", at: o.table.location ?? o.location("kind"),
                hint: "add command = [\"/path/to/program\", \"argument\", …]")
        }
        guard let program = command.first, !program.isEmpty else {
            throw ConfigurationError(
                .invalidValue, "\(section) command is empty", at: o.location("command"),
                hint: "the first element is the program to run, e.g. [\"/usr/bin/python3\", \"plugin.py\"]")
        }
        // No shell: a bare name is looked up in the fixed PATH, a relative path beside the configuration file.
        var path = program
        if !program.contains("/") {
            guard let found = ["/usr/local/bin", "/usr/bin", "/bin"].map({ "\($0)/\(program)" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else {
                throw ConfigurationError(
                    .invalidValue, "\(section) command: '\(program)' is not found in /usr/local/bin, /usr/bin or /bin",
                    at: o.location("command"), hint: "give the program's absolute path")
            }
            path = found
        } else {
            path = resolve(program)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError(
                .invalidValue, "\(section) command: the program \(path) does not exist", at: o.location("command"))
        }
        guard !isDirectory.boolValue, access(path, X_OK) == 0 else {
            throw ConfigurationError(
                .invalidValue, "\(section) command: \(path) is not an executable file", at: o.location("command"),
                hint: "chmod +x \(path), or run it through its interpreter: [\"/usr/bin/python3\", \"\(path)\"]")
        }

        let workers = try o.int("workers", default: 1, range: 1...64)
        let maxDocuments = try o.int("max_documents", default: 0, range: 0...Int.max)
        let timeout = defaultTimeout ?? .seconds(30)
        if timeout <= .zero {
            throw ConfigurationError(.invalidValue, "\(section) timeout must be more than zero", at: o.location("timeout"))
        }
        let startTimeout = try o.duration("start_timeout", default: max(.seconds(10), timeout))
        let grace = try o.duration("kill_grace", default: .seconds(2))
        // required = false: the first wait before trying again to start a plugin that did not start (doubling up to 5 min).
        let retryInterval = try o.duration("retry_interval", default: .seconds(2))

        var environment = ["PATH": "/usr/bin:/bin"]
        if let value = o.table["env"] {
            o.accept("env")
            guard let table = value.table else {
                throw ConfigurationError(
                    .wrongType, "\(section) env must be a table of strings, e.g. env = { LANG = \"C.UTF-8\" }", at: value.location)
            }
            for entry in table.entries {
                guard let s = entry.value.string else {
                    throw ConfigurationError(
                        .wrongType, "\(section) env.\(entry.key) must be a string, not \(entry.value.typeName)", at: entry.value.location)
                }
                guard !entry.key.isEmpty, !entry.key.contains("=") else {
                    throw ConfigurationError(.invalidValue, "\(section) env: '\(entry.key)' is not a variable name", at: entry.value.location)
                }
                environment[entry.key] = s
            }
        }

        var directory = (path as NSString).deletingLastPathComponent
        if let cwd = try o.string("cwd") {
            directory = resolve(cwd)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
                throw ConfigurationError(.invalidValue, "\(section) cwd: \(directory) is not a folder", at: o.location("cwd"))
            }
        }

        var pluginOptions: JSONValue = .object([])
        if let value = o.table["options"] {
            o.accept("options")
            guard value.table != nil else {
                throw ConfigurationError(
                    .wrongType, "\(section) options must be a table, e.g. options = { top = 10 }", at: value.location)
            }
            pluginOptions = value.jsonValue
        }
        _ = try o.strings("requires")
        _ = try o.strings("provides")
        try o.finish()

        // An interpreter's script given as a relative path (["/usr/bin/python3", "plugins/x.py"]) is relative to the
        // declaring file too, not to the worker's folder (the interpreter's): an argument that names an existing
        // file there is made absolute.
        let arguments = command.dropFirst().map { argument -> String in
            guard !argument.isEmpty, !argument.hasPrefix("-"), !argument.hasPrefix("/"), !argument.contains("="),
                !configFolder.isEmpty, !configFolder.hasPrefix("(")
            else { return argument }
            let candidate = resolve(argument)
            return FileManager.default.fileExists(atPath: candidate) ? candidate : argument
        }
        return WorkerSpec(
            name: name, arguments: [path] + arguments, environment: environment, directory: directory,
            timeout: timeout, startTimeout: startTimeout, workers: workers, maxDocuments: maxDocuments, grace: grace,
            options: pluginOptions, retryInterval: retryInterval)
    }

    /// A worker that dies mid-write must not kill Gleaner with SIGPIPE.
    static func ignoreSIGPIPE() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}

/// A processor answered by an external worker pool.
public struct ExternalProcessor: Processor {
    public let descriptor: ProcessorDescriptor
    let pool: WorkerPool
    let options: JSONValue
    let logger: Logger
    private let counter = Locked<UInt64>(0)

    init(descriptor: ProcessorDescriptor, pool: WorkerPool, options: JSONValue, logger: Logger) {
        self.descriptor = descriptor
        self.pool = pool
        self.options = options
        self.logger = logger
    }

    public func process(_ document: inout Document) async throws {
        let id = counter.withLock { n in n += 1; return String(n) }
        let request = PluginProtocol.request(id: id, document: document, requires: descriptor.requires, options: options)
        switch try await pool.run(request: request, id: id, document: document.metadata.sourceName) {
        case .failure(let failure):
            var error = ProcessorError("the plugin reported: \(failure.description)")
            if failure.code != nil || failure.data != nil {
                error.details = ["code": .optional(failure.code), "message": .string(failure.message), "data": failure.data ?? .null]
            }
            throw error
        case .layers(let layers, let warnings):
            for (name, json) in layers {
                do {
                    try PluginProtocol.validateOffsets(json, in: document.text, path: name.rawValue)
                } catch {
                    logger.error("rejected layer '\(name)' of request \(id): \(error.message)")
                    throw ProcessorError("rejected the plugin's layer: \(error.message)", code: .invalidOutput)
                }
            }
            for (name, json) in layers { document.add(layer: name, json: json) }
            document.pendingWarnings += warnings
        }
    }

    public func shutdown() async { await pool.shutdown() }

    /// Process ids of every worker started so far (tests check none is left behind).
    public func workerPIDs() async -> [Int32] { await pool.pids }

    /// Workers started after the first ones (restarts and recycling).
    public func restartCount() async -> Int { await pool.restarts }

    /// How many workers run now.
    public func liveWorkers() async -> Int { await pool.liveWorkers }
}
