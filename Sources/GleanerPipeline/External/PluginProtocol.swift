import Foundation
import GleanerCore

/// The `gleaner.plugin/1` protocol (docs/PLUGINS.md): JSON lines over the
/// worker's standard input and output. The worker speaks first (handshake),
/// then answers one request per document, in order.
public enum PluginProtocol {
    public static let version = "gleaner.plugin/1"

    /// What a worker says about itself in its first line.
    public struct Handshake: Sendable, Hashable {
        public var name: String
        public var version: String
        public var requires: [LayerName]
        public var provides: [LayerName]
        public var summary: String
    }

    /// Reads the handshake line; every mistake is said plainly.
    static func parseHandshake(_ line: [UInt8]) throws(ProtocolError) -> Handshake {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes: line) } catch {
            throw ProtocolError("the first line is not a JSON handshake (\(error)): \(preview(line))")
        }
        guard json.objectValue != nil else { throw ProtocolError("the handshake must be a JSON object: \(preview(line))") }
        guard let proto = json["protocol"]?.stringValue else {
            throw ProtocolError("the handshake has no \"protocol\" (expected \"\(version)\"): \(preview(line))")
        }
        guard proto == version else {
            throw ProtocolError("the worker speaks \"\(proto)\"; this Gleaner speaks \"\(version)\"")
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
        return Handshake(
            name: name, version: pluginVersion, requires: requires, provides: provides,
            summary: json["summary"]?.stringValue ?? "external program")
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
        case layers([(LayerName, JSONValue)])
        /// The plugin reported that it could not process this document.
        case failure(String)
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
            return .failure(error.stringValue ?? error.serialized())
        }
        if let layer = json["layer"] {
            guard provides.count == 1 else {
                throw ProtocolError("the response has \"layer\", but the plugin provides \(provides.count) layers: use \"layers\"")
            }
            return .layers([(provides[0], layer)])
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
            return .layers(out)
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
