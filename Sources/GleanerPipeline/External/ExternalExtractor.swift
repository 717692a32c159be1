import Foundation
import GleanerConfig
import GleanerCore
import GleanerExtract
import Logging

/// An extractor answered by an external worker pool (`kind = "extractor"`),
/// speaking `gleaner.plugin/1` with extraction requests (docs/PLUGINS.md):
/// the request names the file, the answer's layer is the extracted document.
public struct ExternalExtractor: Extractor {
    public let name: String
    public let version: String
    public let mediaTypes: [String]
    public let extensions: [String]
    let pool: WorkerPool
    let options: JSONValue
    let logger: Logger
    private let counter = Locked<UInt64>(0)

    /// Validates `[processors.NAME]` with `kind = "extractor"`, starts the workers and checks their handshake.
    public static func make(section: ProcessorSection) async throws(ConfigurationError) -> ExternalExtractor {
        var o = section.options
        let extensions = (try o.strings("extensions") ?? []).map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        let mediaTypes = try o.strings("media_types") ?? []
        if extensions.isEmpty && mediaTypes.isEmpty {
            throw ConfigurationError(
                .missingKey, "\(o.section) has kind = \"extractor\" but names no extensions or media_types", at: section.location,
                hint: "add extensions = [\"png\", \"tiff\"] and/or media_types = [\"image/png\"]")
        }
        let spec = try ExternalProcessorFactory.spec(
            name: section.name, defaultTimeout: section.timeout, options: section.options, alsoAccepted: ["extensions", "media_types", "kind"])
        ExternalProcessorFactory.ignoreSIGPIPE()
        let logger = Logger(label: "gleaner.extractor.\(section.name)")
        let pool = WorkerPool(spec: spec, logger: logger)
        let hello: PluginProtocol.Handshake
        do {
            hello = try await pool.start()
        } catch {
            throw ConfigurationError(
                .invalidValue, "\(o.section): the extractor's worker did not start: \(error)", at: o.location("command"),
                hint: "run the command by hand: it must print its handshake line first (docs/PLUGINS.md)")
        }
        return ExternalExtractor(
            name: section.name, version: hello.version,
            mediaTypes: mediaTypes.isEmpty ? extensions.map { "application/x-\($0)" } : mediaTypes, extensions: extensions, pool: pool,
            options: spec.options, logger: logger)
    }

    init(name: String, version: String, mediaTypes: [String], extensions: [String], pool: WorkerPool, options: JSONValue, logger: Logger) {
        self.name = name
        self.version = version
        self.mediaTypes = mediaTypes
        self.extensions = extensions
        self.pool = pool
        self.options = options
        self.logger = logger
    }

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        var path = input.path
        var temporary: String?
        if path == nil {
            let p = NSTemporaryDirectory() + "gleaner-ext-\(UUID().uuidString)." + Sniffer.fileExtension(input.fileName)
            guard FileManager.default.createFile(atPath: p, contents: Data(input.bytes)) else {
                throw ExtractError(.extractorFailed, "cannot write a temporary copy for the extractor \(name)")
            }
            path = p
            temporary = p
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        // The worker runs in its own folder: it needs an absolute path.
        if let p = path, !p.hasPrefix("/") { path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(p) }
        let id = counter.withLock { n in n += 1; return String(n) }
        let request: JSONValue = [
            "id": .string(id), "extract": [
                "path": .string(path!), "name": .string(input.fileName), "media_type": .string(input.mediaType),
                "bytes": .int(input.bytes.count),
            ], "options": options,
        ]
        let response: PluginProtocol.Response
        do {
            response = try await pool.run(request: Array((request.serialized() + "\n").utf8), id: id)
        } catch {
            throw ExtractError(.extractorFailed, "the extractor \(name) failed: \(error)")
        }
        switch response {
        case .failure(let failure):
            // Version 2: a structured {code, message}; version 1: "code: message" lets a plugin give its own reason code.
            if let code = failure.code, !code.isEmpty, code.allSatisfy({ $0.isLetter || $0 == "-" }) {
                throw ExtractError(ExtractError.Code(code), failure.message)
            }
            let message = failure.description
            if let colon = message.firstIndex(of: ":"), message[..<colon].allSatisfy({ $0.isLetter || $0 == "-" }), !message[..<colon].isEmpty {
                throw ExtractError(ExtractError.Code(String(message[..<colon])), String(message[message.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            throw ExtractError(.extractorFailed, "the extractor \(name) reported: \(message)")
        case .layers(let layers, let responseWarnings):
            guard let json = layers.first?.1, let text = json["text"]?.stringValue else {
                throw ExtractError(.extractorFailed, "the extractor \(name) answered without \"text\"")
            }
            var builder = TextBuilder()
            var parts: [SourcePart] = []
            if let pages = json["pages"]?.arrayValue {
                for (i, page) in pages.enumerated() {
                    let start = builder.nextStart
                    for p in (page.stringValue ?? "").components(separatedBy: "\n\n") { builder.paragraph(p) }
                    parts.append(SourcePart(kind: "page", start: min(start, builder.scalars), end: builder.scalars, number: i + 1))
                }
            } else {
                for p in text.components(separatedBy: "\n\n") { builder.paragraph(p) }
            }
            guard !builder.text.isEmpty else { throw ExtractError(.empty, "the extractor \(name) found no text") }
            return [ExtractedDocument(
                text: builder.text, mediaType: input.mediaType, format: json["format"]?.stringValue ?? Sniffer.fileExtension(input.fileName),
                extractorName: name, extractorVersion: version, normalizations: builder.normalized ? ["nfc"] : [],
                title: json["title"]?.stringValue, authors: json["authors"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                published: json["published"]?.stringValue.flatMap(DateText.iso8601), outlet: json["outlet"]?.stringValue, parts: parts,
                warnings: (json["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []) + responseWarnings)]
        }
    }

    public func shutdown() async { await pool.shutdown() }
}
