import Foundation

/// Where results go: `<outbox>/<relative path of the input>.json` (and
/// `.html`), so two `report.txt` in different inbox subfolders never collide
/// and `report.txt` and `report.md` keep apart.
public struct OutboxLayout: Sendable {
    public let outbox: String

    public init(outbox: String) { self.outbox = outbox }

    public func resultPath(for relativeName: String, extension ext: String = "json") -> String {
        (outbox as NSString).appendingPathComponent(Self.safeRelativePath(relativeName) + "." + ext)
    }

    /// A relative path that cannot leave the outbox: no `..`, no leading `/`,
    /// control characters and invalid UTF-8 (shown as U+FFFD) replaced.
    public static func safeRelativePath(_ name: String) -> String {
        let parts = name.split(separator: "/").filter { $0 != "." && $0 != ".." && !$0.isEmpty }.map { part in
            String(String.UnicodeScalarView(part.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FFFD}" ? "_" : $0 }))
        }
        return parts.isEmpty ? "_" : parts.joined(separator: "/")
    }
}
