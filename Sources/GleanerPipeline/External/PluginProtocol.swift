import Foundation
import GleanerCore
import Logging

/// The `gleaner.plugin/N` protocol (docs/PLUGINS.md): JSON lines over the
/// worker's standard input and output. The worker speaks first (handshake),
/// then answers one request per document, in order.
///
/// Version 2 (issue #16) adds, for workers that announce it: Gleaner's answer to the handshake (the version and
/// capabilities both sides use), an options schema checked by `check-config`, structured errors, warnings,
/// log messages with levels, a cancel message, and rendering hints. Version 1 workers work unchanged: they
/// never receive anything but requests.
public enum PluginProtocol {
    public static let version = "gleaner.plugin/1"
    public static let version2 = "gleaner.plugin/2"
    /// The versions this Gleaner speaks, newest first.
    public static let supported = [version2, version]
    /// Capabilities this Gleaner offers a version-2 worker; the negotiated set is those both announce.
    public static let gleanerCapabilities: Set<String> = ["cancel", "log", "warnings"]

    /// What a worker says about itself in its first line.
    public struct Handshake: Sendable, Hashable {
        public var name: String
        public var version: String
        public var requires: [LayerName]
        public var provides: [LayerName]
        public var summary: String
        /// 1 or 2: the protocol version chosen from what the worker announced.
        public var protocolVersion: Int = 1
        /// The capabilities both sides announced (version 2).
        public var capabilities: Set<String> = []
        /// A JSON Schema (a subset: docs/PLUGINS.md) for the section's `options`.
        public var optionsSchema: JSONValue?
        /// How results should show each provided layer (`render`: docs/PLUGINS.md).
        public var render: JSONValue?

        public init(name: String, version: String, requires: [LayerName], provides: [LayerName], summary: String) {
            self.name = name
            self.version = version
            self.requires = requires
            self.provides = provides
            self.summary = summary
        }

        /// Gleaner's answer to a version-2 handshake (newline included); nil for version 1.
        public func reply(gleanerVersion: String) -> [UInt8]? {
            guard protocolVersion >= 2 else { return nil }
            let line: JSONValue = [
                "protocol": .string(PluginProtocol.version2), "gleaner": .string(gleanerVersion),
                "capabilities": .array(capabilities.sorted().map(JSONValue.string)),
            ]
            return Array((line.serialized() + "\n").utf8)
        }
    }

    /// Reads the handshake line; every mistake is said plainly.
    static func parseHandshake(_ line: [UInt8]) throws(ProtocolError) -> Handshake {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes: line) } catch {
            throw ProtocolError("the first line is not a JSON handshake (\(error)): \(preview(line))")
        }
        guard json.objectValue != nil else { throw ProtocolError("the handshake must be a JSON object: \(preview(line))") }
        guard let proto = json["protocol"]?.stringValue else {
            throw ProtocolError("the handshake has no \"protocol\" (expected \"\(version)\" or \"\(version2)\"): \(preview(line))")
        }
        // A worker may offer several versions ("protocols"); the newest both sides speak is used.
        let offered = [proto] + (json["protocols"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        guard let chosen = supported.first(where: offered.contains) else {
            throw ProtocolError("the worker speaks \(offered.map { "\"\($0)\"" }.joined(separator: ", ")); this Gleaner speaks \(supported.map { "\"\($0)\"" }.joined(separator: " and "))")
        }
        guard let name = json["name"]?.stringValue, !name.isEmpty else { throw ProtocolError("the handshake has no \"name\"") }
        let pluginVersion = json["version"]?.stringValue ?? "unknown"
        func layers(_ key: String) throws(ProtocolError) -> [LayerName]? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let items = value.arrayValue else { throw ProtocolError("the handshake's \"\(key)\" must be an array of layer names") }
            var out: [LayerName] = []
            for item in items {
                guard let s = item.stringValue, !s.isEmpty else {
                    throw ProtocolError("the handshake's \"\(key)\" must be an array of layer names")
                }
                out.append(LayerName(s))
            }
            return out
        }
        let requires = try layers("requires") ?? []
        let provides = try layers("provides") ?? [LayerName(name)]
        guard !provides.isEmpty else { throw ProtocolError("the handshake's \"provides\" is empty: a plugin adds at least one layer") }
        var hello = Handshake(
            name: name, version: pluginVersion, requires: requires, provides: provides,
            summary: json["summary"]?.stringValue ?? "external program")
        if chosen == version2 {
            hello.protocolVersion = 2
            let announced = Set(json["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            hello.capabilities = announced.intersection(gleanerCapabilities)
            if let schema = json["options_schema"], !schema.isNull {
                guard schema.objectValue != nil else { throw ProtocolError("the handshake's \"options_schema\" must be a JSON Schema object") }
                hello.optionsSchema = schema
            }
            if let render = json["render"], !render.isNull {
                guard let members = render.objectValue else { throw ProtocolError("the handshake's \"render\" must be an object: layer → hints") }
                for (layer, _) in members where !provides.contains(LayerName(layer)) {
                    throw ProtocolError("the handshake's \"render\" names '\(layer)', which is not in \"provides\"")
                }
                hello.render = render
            }
        }
        return hello
    }

    /// The request line for one document (newline included).
    public static func request(id: String, document: Document, requires: [LayerName], options: JSONValue) -> [UInt8] {
        let m = document.metadata
        var layers: [(String, JSONValue)] = []
        for name in requires { layers.append((name.rawValue, document.json(of: name) ?? .null)) }
        let metadata: JSONValue = [
            "name": .string(m.sourceName), "media_type": .string(m.mediaType), "bytes": .int(m.bytes),
            "sha256": .string(m.sha256), "encoding": .string(m.encoding),
        ]
        // The text dominates the line: it is escaped straight from its UTF-8 bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(document.text.string.utf8.count + 256)
        bytes.append(contentsOf: #"{"id":"#.utf8)
        bytes.append(contentsOf: JSONValue.string(id).serialized().utf8)
        bytes.append(contentsOf: #","text":"#.utf8)
        appendJSONString(document.text.string, to: &bytes)
        bytes.append(contentsOf: #","metadata":"#.utf8)
        bytes.append(contentsOf: metadata.serialized().utf8)
        bytes.append(contentsOf: #","layers":"#.utf8)
        bytes.append(contentsOf: JSONValue.object(layers).serialized().utf8)
        bytes.append(contentsOf: #","options":"#.utf8)
        bytes.append(contentsOf: options.serialized().utf8)
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal from UTF-8 bytes: quotes, backslashes and control characters escaped, the rest copied.
    static func appendJSONString(_ string: String, to out: inout [UInt8]) {
        var string = string
        out.append(0x22)
        string.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                default:
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        out.append(0x22)
    }

    /// A worker's answer to one request.
    enum Response: Sendable {
        /// The layers, with the warnings the plugin gave about this document (version 2).
        case layers([(LayerName, JSONValue)], warnings: [String])
        /// The plugin reported that it could not process this document.
        case failure(Failure)
    }

    /// An error a plugin reports for one document: a message, or (version 2) `{code, message, data}`.
    struct Failure: Sendable {
        var code: String?
        var message: String
        var data: JSONValue?

        var description: String { code.map { "\($0): \(message)" } ?? message }
    }

    /// A line from a worker: a log message (version 2, between requests and answers) or an answer.
    enum Message: Sendable {
        case log(Logger.Level, String)
        case response(Response)
    }

    static let logLevels: [String: Logger.Level] = [
        "trace": .trace, "debug": .debug, "info": .info, "notice": .notice, "warning": .warning, "warn": .warning,
        "error": .error, "critical": .critical,
    ]

    /// Reads one line of a worker: version 2 allows `{"log": {"level", "message"}}` lines before an answer.
    static func parseMessage(_ line: [UInt8], expectedID: String, provides: [LayerName], version: Int) throws(ProtocolError) -> Message {
        if version >= 2, let json = try? JSONValue.parse(bytes: line), json["id"] == nil, let log = json["log"] {
            guard let message = log["message"]?.stringValue else {
                throw ProtocolError("a log message needs {\"log\": {\"level\": \"info\", \"message\": \"…\"}}: \(preview(line))")
            }
            let levelName = log["level"]?.stringValue ?? "info"
            guard let level = logLevels[levelName.lowercased()] else {
                throw ProtocolError("unknown log level \"\(levelName)\" (trace, debug, info, notice, warning, error, critical)")
            }
            return .log(level, message)
        }
        return .response(try parseResponse(line, expectedID: expectedID, provides: provides))
    }

    /// Checks the envelope: JSON object, the right id, `layer`/`layers` or `error`.
    static func parseResponse(_ line: [UInt8], expectedID: String, provides: [LayerName]) throws(ProtocolError) -> Response {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes: line) } catch {
            throw ProtocolError("the response is not JSON (\(error)): \(preview(line))")
        }
        guard json.objectValue != nil else { throw ProtocolError("the response is not a JSON object: \(preview(line))") }
        guard let id = json["id"] else { throw ProtocolError("the response has no \"id\" (expected \"\(expectedID)\")") }
        let idText = id.stringValue ?? id.serialized()
        guard idText == expectedID else {
            throw ProtocolError("the response is for id \(id.serialized()), but the request was \"\(expectedID)\"")
        }
        if let error = json["error"], !error.isNull {
            if let message = error.stringValue { return .failure(Failure(message: message)) }
            if error.objectValue != nil, let message = error["message"]?.stringValue {
                let code = error["code"].flatMap { $0.stringValue ?? ($0.isNull ? nil : $0.serialized()) }
                let data = error["data"].flatMap { $0.isNull ? nil : $0 }
                return .failure(Failure(code: code, message: message, data: data))
            }
            return .failure(Failure(message: error.serialized()))
        }
        var warnings: [String] = []
        if let w = json["warnings"], !w.isNull {
            guard let items = w.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                throw ProtocolError("the response's \"warnings\" must be an array of strings")
            }
            warnings = items.compactMap(\.stringValue)
        }
        if let layer = json["layer"] {
            guard provides.count == 1 else {
                throw ProtocolError("the response has \"layer\", but the plugin provides \(provides.count) layers: use \"layers\"")
            }
            return .layers([(provides[0], layer)], warnings: warnings)
        }
        if let layers = json["layers"] {
            guard let members = layers.objectValue else { throw ProtocolError("the response's \"layers\" must be an object") }
            var out: [(LayerName, JSONValue)] = []
            for name in provides {
                guard let value = members.first(where: { $0.0 == name.rawValue })?.1 else {
                    throw ProtocolError("the response's \"layers\" lacks the layer '\(name)'")
                }
                out.append((name, value))
            }
            if let extra = members.first(where: { m in !provides.contains(where: { $0.rawValue == m.0 }) }) {
                throw ProtocolError("the response's \"layers\" has '\(extra.0)', which the plugin did not declare in \"provides\"")
            }
            return .layers(out, warnings: warnings)
        }
        throw ProtocolError("the response has neither \"layer\" nor \"error\"")
    }

    /// Checks every object with integer `start` and `end` anywhere in `json`:
    /// 0 ≤ start ≤ end ≤ the text's length in scalars, and `text`, when present, equal to the slice.
    static func validateOffsets(_ json: JSONValue, in text: DocumentText, path: String) throws(ProtocolError) {
        switch json {
        case .array(let items):
            for (i, item) in items.enumerated() { try validateOffsets(item, in: text, path: "\(path)[\(i)]") }
        case .object(let members):
            if let start = json["start"]?.intValue, let end = json["end"]?.intValue {
                guard start >= 0, start <= end, end <= text.count else {
                    throw ProtocolError(
                        "\(path) has start \(start), end \(end) outside the text (\(text.count) Unicode scalars)")
                }
                if let claimed = json["text"]?.stringValue {
                    let actual = text[start..<end]
                    guard claimed == actual else {
                        throw ProtocolError(
                            "\(path) says its text is \(JSONValue.string(claimed).serialized()), but [\(start), \(end)) is \(JSONValue.string(actual).serialized()) (offsets count Unicode scalars)")
                    }
                }
            }
            for (key, value) in members { try validateOffsets(value, in: text, path: "\(path).\(key)") }
        default:
            break
        }
    }

    static func preview(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(120), as: UTF8.self)
        return JSONValue.string(line.count > 120 ? text + "…" : text).serialized()
    }
}

/// A breach of the protocol by a worker.
struct ProtocolError: Error, Sendable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
