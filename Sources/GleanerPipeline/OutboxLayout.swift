import Crypto
import Foundation
import GleanerCore

#if canImport(Glibc)
import Glibc
#endif

/// Where results go: `<outbox>/<relative path of the input>.json` (and
/// `.html`), so two `report.txt` in different inbox subfolders never collide
/// and `report.txt` and `report.md` keep apart. The daemon and `gleaner process`
/// name results the same way (one numbering for results, archived originals and failures).
public struct OutboxLayout: Sendable {
    public let outbox: String

    public init(outbox: String) { self.outbox = outbox }

    /// The longest path component a result name keeps in full (bytes of UTF-8). File systems allow 255;
    /// the rest leaves room for `.N`, `.json`, `.html` and `.error.json`.
    public static let componentLimit = 200

    /// A relative path that cannot leave the outbox: no `..`, no leading `/`,
    /// control characters and invalid UTF-8 (shown as U+FFFD) replaced, and every
    /// component short enough for its result's suffixes (see `safeComponent`).
    public static func safeRelativePath(_ name: String) -> String {
        let parts = name.split(separator: "/").filter { $0 != "." && $0 != ".." && !$0.isEmpty }.map(safeComponent)
        return parts.isEmpty ? "_" : parts.joined(separator: "/")
    }

    /// One path component, cleaned; one longer than `componentLimit` bytes is shortened deterministically:
    /// its start, `~`, 16 hex digits of the SHA-256 of the whole component, and its extension (the full
    /// name stays in the result's `source.name`).
    public static func safeComponent(_ part: Substring) -> String {
        let clean = String(String.UnicodeScalarView(part.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FFFD}" ? "_" : $0
        }))
        guard clean.utf8.count > componentLimit else { return clean }
        let digest = SHA256.hash(data: Array(part.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        var ext = ""
        if let dot = clean.lastIndex(of: "."), clean.utf8.distance(from: dot, to: clean.endIndex) <= 16 {
            ext = String(clean[dot...])
        }
        let budget = componentLimit - ext.utf8.count - 17
        var head = String.UnicodeScalarView()
        var used = 0
        for scalar in clean.unicodeScalars {
            let n = String(scalar).utf8.count
            if used + n > budget { break }
            head.append(scalar)
            used += n
        }
        return String(head) + "~" + digest + ext
    }

    /// Where the result of the document `name` (with `sha256`) goes: `<outbox>/<safe path>` as a stem to
    /// which `.json` and `.html` are added, and its number (1, or 2, 3, … when that stem holds the result
    /// of another input). The same input again (same name, same content) lands on the same stem; a
    /// different input whose name cleans up to the same path, or a top-level input whose view would
    /// replace the outbox's `index.html`, gets the next number.
    public static func resultStem(
        outbox: String, name: String, sha256: String, existing: (String) -> ResultIdentity?
    ) -> (stem: String, number: Int) {
        let safe = safeRelativePath(name)
        let base = (outbox as NSString).appendingPathComponent(safe)
        var n = safe == "index" ? 2 : 1
        while true {
            let stem = n == 1 ? base : base + ".\(n)"
            guard let found = existing(stem + ".json") else { return (stem, n) }
            if found.sha256 == sha256 && (found.name == nil || found.name == name) { return (stem, n) }
            n += 1
        }
    }

    /// `<outbox>/<name>.json` for a single name, numbered like the daemon's results.
    public func resultStem(for name: String, sha256: String) -> (stem: String, number: Int) {
        Self.resultStem(outbox: outbox, name: name, sha256: sha256) { ResultIdentity.read(path: $0) }
    }

    public func resultPath(for relativeName: String, extension ext: String = "json") -> String {
        (outbox as NSString).appendingPathComponent(Self.safeRelativePath(relativeName) + "." + ext)
    }
}

/// Which input a result file is for: `source.name` and `source.sha256`, read from the file's start.
public struct ResultIdentity: Sendable, Hashable {
    public var name: String?
    public var sha256: String

    public init(name: String?, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }

    /// Nil when there is no file at `path`; a file whose head cannot be read counts as another input's.
    public static func read(path: String) -> ResultIdentity? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return errno == ENOENT ? nil : ResultIdentity(name: nil, sha256: "") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16384)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return ResultIdentity(name: nil, sha256: "") }
        return parse(head: Array(buffer[0..<n]))
    }

    /// The `"name"` and `"sha256"` of the `source` object near the start of a result (compact or indented).
    public static func parse(head bytes: [UInt8]) -> ResultIdentity {
        let head = String(decoding: bytes, as: UTF8.self)
        guard let source = head.range(of: "\"source\"") else { return ResultIdentity(name: nil, sha256: "") }
        let rest = head[source.upperBound...]
        var sha = ""
        if let r = rest.range(of: "\"sha256\": \"") ?? rest.range(of: "\"sha256\":\"") {
            sha = String(rest[r.upperBound...].prefix(64))
        }
        var name: String?
        if let r = rest.range(of: "\"name\": ") ?? rest.range(of: "\"name\":") {
            // The JSON string that follows, parsed by the JSON parser (it handles every escape).
            var end = r.upperBound
            var escaped = false
            var started = false
            while end < rest.endIndex {
                let c = rest[end]
                if started && !escaped && c == "\"" { end = rest.index(after: end); break }
                escaped = started && !escaped && c == "\\"
                if c == "\"" { started = true }
                end = rest.index(after: end)
            }
            name = (try? JSONValue.parse(String(rest[r.upperBound..<end])))?.stringValue
        }
        return ResultIdentity(name: name, sha256: sha)
    }
}
