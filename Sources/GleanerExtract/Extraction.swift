import Foundation

/// The extractors a configuration enables: the built-in ones, then external
/// ones, which may add formats or replace a built-in one for a media type.
public struct ExtractorRegistry: Sendable {
    public private(set) var extractors: [any Extractor]

    public init(_ extractors: [any Extractor]) { self.extractors = extractors }

    public static var builtin: ExtractorRegistry {
        ExtractorRegistry([
            PlainTextExtractor(), PDFExtractor(), DOCXExtractor(), ODTExtractor(), EPUBExtractor(), EmailExtractor(),
            MboxExtractor(),
        ])
    }

    /// Adds `extractor` in front: it wins for the media types and extensions it names.
    public mutating func prepend(_ extractor: any Extractor) { extractors.insert(extractor, at: 0) }

    public func extractor(forMediaType type: String) -> (any Extractor)? {
        extractors.first { $0.mediaTypes.contains(type) }
    }

    /// Extension → media type, built-in ones overridden by extractors that name both.
    public var extensionTypes: [String: String] {
        var map = Sniffer.byExtension
        for e in extractors.reversed() {
            for ext in e.extensions { map[ext] = e.mediaTypes.first ?? "application/x-\(ext)" }
        }
        return map
    }
}

/// Reads one file into documents: chooses the extractor by content and
/// extension, enforces the size limit, and runs extractors of untrusted
/// container formats in a child process (`gleaner extract --child`) under a
/// time and memory limit, so that a malformed file can crash that child but
/// never the caller.
public struct Extraction: Sendable {
    public var registry: ExtractorRegistry
    public var limits: ExtractLimits
    /// The `gleaner` binary for isolated extraction; nil runs every extractor in this process.
    public var childBinary: String?
    /// Extra arguments before `extract --child` (e.g. the configuration).
    public var childArguments: [String]

    public init(registry: ExtractorRegistry = .builtin, limits: ExtractLimits = ExtractLimits(), childBinary: String? = Extraction.defaultChildBinary, childArguments: [String] = []) {
        self.registry = registry
        self.limits = limits
        self.childBinary = childBinary
        self.childArguments = childArguments
    }

    /// This program when it is `gleaner` (the daemon and the command line), or `$GLEANER_BINARY`.
    public static var defaultChildBinary: String? {
        if let env = ProcessInfo.processInfo.environment["GLEANER_BINARY"], access(env, X_OK) == 0 { return env }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            (exe as NSString).lastPathComponent == "gleaner"
        {
            return exe
        }
        return nil
    }

    /// Reads `path` (at most `limits.maxBytes`) and extracts it.
    public func extract(path: String, name: String) async throws(ExtractError) -> [ExtractedDocument] {
        let bytes = try Self.readFile(path, limit: limits.maxBytes)
        return try await extract(bytes: bytes, name: name, path: path)
    }

    public func extract(bytes: [UInt8], name: String, path: String? = nil) async throws(ExtractError) -> [ExtractedDocument] {
        guard !bytes.isEmpty else { throw ExtractError(.empty, "the file is empty (0 bytes)") }
        guard bytes.count <= limits.maxBytes else {
            throw ExtractError(.tooLarge, "the file has \(bytes.count) bytes, more than the limit of \(limits.maxBytes) (input.max_bytes)")
        }
        let choice = Sniffer.choose(bytes, fileName: name, extensionTypes: registry.extensionTypes)
        guard let type = choice.mediaType, let extractor = registry.extractor(forMediaType: type) else {
            if let type = choice.mediaType ?? Sniffer.byContent(bytes) {
                throw ExtractError(
                    .binary,
                    "the file is \(type), which no extractor reads; Gleaner reads text, Markdown, HTML, PDF, DOCX, ODT, EPUB, e-mail and mbox (an external extractor can add others: docs/PLUGINS.md)")
            }
            let ext = Sniffer.fileExtension(name)
            throw ExtractError(
                .unsupportedType,
                "unsupported file type '.\(ext)': Gleaner reads .txt, .md, .html, .pdf, .docx, .odt, .epub, .eml and .mbox files")
        }
        var documents: [ExtractedDocument]
        if extractor.isolated, let childBinary {
            documents = try await runChild(childBinary, path: path, bytes: bytes, name: name)
        } else {
            let input = ExtractionInput(bytes: bytes, fileName: name, path: path, mediaType: type, limits: limits)
            documents = try await extractor.extract(input)
            if extractor.isolated {
                documents = try await withAttachments(documents, bytesOf: input)
            }
        }
        if let warning = choice.warning {
            for i in documents.indices where documents[i].suffix == nil { documents[i].warnings.insert(warning, at: 0) }
        }
        return documents
    }

    /// Extracts in this process, whatever the extractor (the child's side of `gleaner extract --child`).
    public func extractInProcess(bytes: [UInt8], name: String, path: String?) async throws(ExtractError) -> [ExtractedDocument] {
        var inner = self
        inner.childBinary = nil
        return try await inner.extract(bytes: bytes, name: name, path: path)
    }

    /// E-mail attachments come back as pending bytes; each is extracted in turn and
    /// every document but the main one is named `#N-…` by its place in the list.
    func withAttachments(_ documents: [ExtractedDocument], bytesOf input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        var out: [ExtractedDocument] = []
        func add(_ d: ExtractedDocument, role: String?) {
            var d = d
            let position = out.count + 1
            d.suffix = role.map { "#\(position)-\($0)" }
            out.append(d)
        }
        for var document in documents {
            let pending = PendingAttachments.take(&document) ?? []
            let mainIndex = out.count
            let parentName = document.suffix == nil ? input.fileName : "\(input.fileName)#\(mainIndex + 1)-message"
            add(document, role: document.suffix)
            for attachment in pending {
                var inner = self
                inner.childBinary = nil
                inner.limits.maxBytes = limits.maxAttachmentBytes
                do {
                    let docs = try await inner.extract(bytes: attachment.bytes, name: attachment.fileName, path: nil)
                    for var d in docs {
                        d.warnings.insert("attachment of \(parentName)", at: 0)
                        let safe = String(attachment.fileName.map { $0 == "/" || $0 == "#" || $0.isNewline ? "_" : $0 })
                        add(d, role: "attachment-" + safe)
                    }
                } catch {
                    out[mainIndex].warnings.append("attachment '\(attachment.fileName)' skipped: \(error.code): \(error.message)")
                }
            }
        }
        return out
    }

    static func readFile(_ path: String, limit: Int) throws(ExtractError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ExtractError(.malformed, "cannot open the file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, Int(st.st_size) > limit {
            throw ExtractError(.tooLarge, "the file has \(st.st_size) bytes, more than the limit of \(limit) (input.max_bytes)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, Int(st.st_size)))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ExtractError(.malformed, "cannot read the file: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > limit { throw ExtractError(.tooLarge, "the file has more than \(limit) bytes (input.max_bytes)") }
        }
        return bytes
    }

    /// Runs `gleaner extract --child` on the file and reads its JSON answer.
    func runChild(_ binary: String, path: String?, bytes: [UInt8], name: String) async throws(ExtractError) -> [ExtractedDocument] {
        var file = path
        var temporary: String?
        if file == nil {
            let p = NSTemporaryDirectory() + "gleaner-extract-\(UUID().uuidString)"
            guard FileManager.default.createFile(atPath: p, contents: Data(bytes)) else {
                throw ExtractError(.malformed, "cannot write a temporary copy for the extractor")
            }
            file = p
            temporary = p
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        let limitsJSON = String(decoding: (try? JSONEncoder().encode(limits)) ?? Data(), as: UTF8.self)
        let arguments = [binary] + childArguments + ["extract", "--child", "--name", name, "--limits", limitsJSON, file!]
        var environment = ProcessInfo.processInfo.environment.filter { ["PATH", "LANG", "LC_ALL", "TMPDIR", "GLEANER_CHILD_TEST"].contains($0.key) }
        environment["PATH"] = environment["PATH"] ?? "/usr/bin:/bin"
        let outcome = try await Supervisor.run(
            arguments, timeLimit: limits.timeLimit + .seconds(1), memoryLimit: limits.memoryLimit, environment: environment)
        if outcome.timedOut {
            throw ExtractError(.timeout, "extraction took longer than \(limits.timeLimit) (extract.time_limit) and was stopped")
        }
        if let signal = outcome.signal {
            throw ExtractError(
                .crashed,
                "the extractor's process was killed by signal \(signal) (a malformed file, or past extract.memory_limit); the daemon is unaffected. \(outcome.stderrText.split(separator: "\n").last.map(String.init) ?? "")")
        }
        return try ChildAnswer.decode(outcome.stdout, stderr: outcome.stderrText)
    }
}

/// The JSON a child writes on standard output: `{"documents": [...]}` or `{"error": {"code", "message"}}`.
public struct ChildAnswer: Codable, Sendable {
    public var documents: [ExtractedDocument]?
    public var error: ExtractError?

    public init(documents: [ExtractedDocument]? = nil, error: ExtractError? = nil) {
        self.documents = documents
        self.error = error
    }

    public func encoded() -> [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data("{}".utf8)) }

    static func decode(_ bytes: [UInt8], stderr: String) throws(ExtractError) -> [ExtractedDocument] {
        guard let answer = try? JSONDecoder().decode(ChildAnswer.self, from: Data(bytes)) else {
            throw ExtractError(.crashed, "the extractor's process gave no answer (\(bytes.count) bytes): \(stderr.split(separator: "\n").last.map(String.init) ?? "")")
        }
        if let error = answer.error { throw error }
        return answer.documents ?? []
    }
}
