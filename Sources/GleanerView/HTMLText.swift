import Foundation

/// Small helpers that turn untrusted strings into safe HTML pieces.
enum HTMLText {
    /// Escapes for text content and double-quoted attribute values alike, and
    /// replaces control characters that HTML parsers reject.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars { append(c, to: &out) }
        return out
    }

    /// Escapes a slice of scalars straight from the document text, without an intermediate String.
    static func escape(_ scalars: ArraySlice<Unicode.Scalar>, into out: inout String) {
        for c in scalars { append(c, to: &out) }
    }

    @inline(__always)
    static func append(_ c: Unicode.Scalar, to out: inout String) {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\n", "\t", "\r": out.unicodeScalars.append(c)
        default:
            // C0/C1 controls and noncharacters are parse errors in HTML; show a replacement mark instead.
            if c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0xFFFE || c.value == 0xFFFF {
                out += "\u{FFFD}"
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }

    /// Percent-encodes each segment of a relative path so that any file name
    /// (spaces, quotes, `<`, `&`, `#`, `?`, `:`, non-ASCII) becomes a valid relative href.
    static func href(relativePath path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).map { percentEncode(String($0)) }
            .joined(separator: "/")
    }

    static func percentEncode(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        // A segment of only dots would mean "here" or "up"; keep it literal.
        if out == "." || out == ".." { return out.replacingOccurrences(of: ".", with: "%2E") }
        return out
    }

    /// A BCP 47 language tag safe for a `lang` attribute, or nil.
    static func languageTag(_ code: String) -> String? {
        guard !code.isEmpty, code.count <= 16, code != "und",
            code.unicodeScalars.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        return code
    }

    /// "2026-11-23 09:38 UTC": readable, unambiguous and the same on every machine.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { String(v ?? 0).leftPadded(to: 2) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) UTC"
    }

    /// Machine-readable form for `<time datetime>`.
    static func isoDate(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func percent(_ p: Double) -> String {
        guard p.isFinite else { return "?" }
        return "\(Int((max(0, min(1, p)) * 100).rounded()))%"
    }

    static func milliseconds(_ ms: Double) -> String {
        guard ms.isFinite else { return "?" }
        if ms < 10 { return String(format: "%.2f ms", ms) }
        if ms < 1000 { return String(format: "%.1f ms", ms) }
        return String(format: "%.2f s", ms / 1000)
    }

    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) bytes" }
        if n < 1024 * 1024 { return String(format: "%.1f KiB", Double(n) / 1024) }
        return String(format: "%.1f MiB", Double(n) / 1024 / 1024)
    }

    /// Collapses runs of whitespace so excerpts read as one line.
    static func oneLine(_ s: String, limit: Int = 0) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        var count = 0
        for c in s.unicodeScalars {
            if c.properties.isWhitespace {
                space = !out.isEmpty
                continue
            }
            if space { out.append(" "); count += 1; space = false }
            out.append(c)
            count += 1
            if limit > 0 && count >= limit {
                out.append("…")
                break
            }
        }
        return String(out)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
