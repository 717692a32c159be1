import Foundation
import GleanerText

/// RFC 5322 / MIME messages on bytes: header fields (unfolded, RFC 2047
/// encoded words decoded), multipart bodies (nested), base64 and
/// quoted-printable, charsets. Limits the number of parts and the nesting.
public struct MIMEPart: Sendable {
    public var headers: [(name: String, value: String)]
    public var body: ArraySlice<UInt8>
    public var children: [MIMEPart]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// `text/plain` and its parameters (lower-case names).
    public var contentType: (type: String, parameters: [String: String]) {
        MIME.parameters(header("Content-Type") ?? "text/plain")
    }

    public var disposition: (type: String, parameters: [String: String]) {
        MIME.parameters(header("Content-Disposition") ?? "")
    }

    public var fileName: String? {
        let d = disposition.parameters, t = contentType.parameters
        return (d["filename"] ?? t["name"]).map { MIME.decodeWords($0) }
    }

    /// The body with its transfer encoding undone.
    public var decodedBody: [UInt8] {
        switch (header("Content-Transfer-Encoding") ?? "").trimmed.lowercased() {
        case "base64": return MIME.base64(body)
        case "quoted-printable": return MIME.quotedPrintable(body)
        default: return Array(body)
        }
    }

    /// The body as text in its charset.
    public var text: String { MIME.decode(decodedBody, charset: contentType.parameters["charset"]) }
}

public enum MIME {
    struct Counter { var parts = 0 }

    public static func parse(_ bytes: ArraySlice<UInt8>, maxParts: Int) throws(ExtractError) -> MIMEPart {
        var counter = Counter()
        return try parse(bytes, depth: 0, counter: &counter, maxParts: maxParts)
    }

    static func parse(_ bytes: ArraySlice<UInt8>, depth: Int, counter: inout Counter, maxParts: Int) throws(ExtractError) -> MIMEPart {
        counter.parts += 1
        if counter.parts > maxParts {
            throw ExtractError(.tooManyParts, "the message has more than \(maxParts) MIME parts (extract.max_parts)")
        }
        guard depth <= 20 else { throw ExtractError(.malformed, "MIME parts are nested more than 20 deep") }
        let (headers, body) = splitHeaders(bytes)
        var part = MIMEPart(headers: headers, body: body, children: [])
        let type = part.contentType
        if type.type.hasPrefix("multipart/"), let boundary = type.parameters["boundary"], !boundary.isEmpty {
            for child in split(body, boundary: Array(boundary.utf8)) {
                part.children.append(try parse(child, depth: depth + 1, counter: &counter, maxParts: maxParts))
            }
        } else if type.type == "message/rfc822" || type.type == "message/global" {
            let inner = part.decodedBody
            part.children.append(try parse(inner[...], depth: depth + 1, counter: &counter, maxParts: maxParts))
        }
        return part
    }

    static func splitHeaders(_ b: ArraySlice<UInt8>) -> ([(name: String, value: String)], ArraySlice<UInt8>) {
        var i = b.startIndex
        var lines: [ArraySlice<UInt8>] = []
        var bodyStart = b.endIndex
        while i < b.endIndex {
            var j = i
            while j < b.endIndex && b[j] != 0x0A { j += 1 }
            var line = b[i..<j]
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty {
                bodyStart = min(j + 1, b.endIndex)
                break
            }
            lines.append(line)
            i = j + 1
            if i >= b.endIndex { bodyStart = b.endIndex }
        }
        var fields: [(name: String, value: String)] = []
        for line in lines {
            if let first = line.first, first == 0x20 || first == 0x09, !fields.isEmpty {
                fields[fields.count - 1].value += " " + decode(Array(line), charset: nil).trimmed
                continue
            }
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmed
            if name.hasPrefix("From ") || name.isEmpty { continue }
            fields.append((name, decode(Array(line[(colon + 1)...]), charset: nil).trimmed))
        }
        return (fields.map { ($0.name, decodeWords($0.value)) }, b[bodyStart...])
    }

    /// The parts between `--boundary` lines.
    static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        let delimiter: [UInt8] = [0x2D, 0x2D] + boundary
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var i = body.startIndex
        while i < body.endIndex {
            var j = i
            while j < body.endIndex && body[j] != 0x0A { j += 1 }
            let line = body[i..<j]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                var end = i
                if end > body.startIndex && body[end - 1] == 0x0A { end -= 1 }
                if end > body.startIndex && body[end - 1] == 0x0D { end -= 1 }
                if let s = partStart { parts.append(body[s..<max(s, end)]) }
                if rest.starts(with: [0x2D, 0x2D]) { return parts }
                partStart = min(j + 1, body.endIndex)
            }
            i = j + 1
        }
        if let s = partStart, s < body.endIndex { parts.append(body[s...]) }
        return parts
    }

    /// `type/subtype; a=b; c="d"` (RFC 2231 `name*=charset''value` too).
    static func parameters(_ value: String) -> (String, [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for c in value {
            if c == "\"" { quoted.toggle(); current.append(c); continue }
            if c == ";" && !quoted { pieces.append(current); current = ""; continue }
            current.append(c)
        }
        pieces.append(current)
        let type = pieces.first?.trimmed.lowercased() ?? ""
        var out: [String: String] = [:]
        for p in pieces.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            var name = p[..<eq].trimmed.lowercased()
            var v = p[p.index(after: eq)...].trimmed
            if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            if name.hasSuffix("*") || name.contains("*0") {
                let extended = name.hasSuffix("*")
                name = String(name.split(separator: "*").first ?? "")
                if extended, let q = v.range(of: "''") {
                    let charset = String(v[..<q.lowerBound])
                    let raw = String(v[q.upperBound...])
                    v = decode(percentBytes(raw), charset: charset)
                }
                out[name] = (out[name] ?? "") + v
            } else if out[name] == nil {
                out[name] = v
            }
        }
        return (type, out)
    }

    static func percentBytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    /// RFC 2047 encoded words: `=?utf-8?B?…?=`, `=?iso-8859-1?Q?…?=`.
    public static func decodeWords(_ s: String) -> String {
        guard s.contains("=?") else { return s }
        var out = ""
        var rest = Substring(s)
        var lastWasWord = false
        while let start = rest.range(of: "=?") {
            let between = rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            let fields = after.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, fields[3].hasPrefix("="), let enc = fields[1].first?.lowercased() else {
                out += rest[..<start.upperBound]
                rest = after
                lastWasWord = false
                continue
            }
            if !(lastWasWord && between.allSatisfy(\.isWhitespace)) { out += between }
            let charset = String(fields[0]).split(separator: "*").first.map(String.init) ?? "utf-8"
            let payload = Array(fields[2].utf8)
            let bytes: [UInt8] = enc == "b" ? base64(payload[...]) : quotedPrintable(payload.map { $0 == 0x5F ? 0x20 : $0 }[...])
            out += decode(bytes, charset: charset)
            rest = fields[3].dropFirst()
            lastWasWord = true
        }
        out += rest
        return out
    }

    public static func base64(_ b: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in b {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B, 0x2D: v = 62
            case 0x2F, 0x5F: v = 63
            case 0x3D: bits = 0; acc = 0; continue
            default: continue
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    public static func quotedPrintable(_ b: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = b.startIndex
        while i < b.endIndex {
            let c = b[i]
            if c == 0x3D {
                if i + 1 < b.endIndex, b[i + 1] == 0x0A { i += 2; continue }
                if i + 2 < b.endIndex, b[i + 1] == 0x0D, b[i + 2] == 0x0A { i += 3; continue }
                if i + 2 < b.endIndex, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// Bytes in a named charset → text; unknown or missing charsets are guessed as GleanerText does.
    public static func decode(_ bytes: [UInt8], charset: String?) -> String {
        let name = (charset ?? "").trimmed.lowercased()
        let encoding: String.Encoding?
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            if let s = String(validating: bytes, as: UTF8.self) { return s }
            encoding = nil
        case "iso-8859-1", "latin1", "iso8859-1", "iso_8859-1": encoding = .isoLatin1
        case "iso-8859-2", "latin2": encoding = .isoLatin2
        case "windows-1252", "cp1252", "iso-8859-15", "latin-9": encoding = .windowsCP1252
        case "windows-1250", "cp1250": encoding = .windowsCP1250
        case "windows-1251", "cp1251": encoding = .windowsCP1251
        case "windows-1253": encoding = .windowsCP1253
        case "windows-1254": encoding = .windowsCP1254
        case "utf-16": encoding = .utf16
        case "utf-16le": encoding = .utf16LittleEndian
        case "utf-16be": encoding = .utf16BigEndian
        default: encoding = nil
        }
        if let encoding, let s = String(bytes: bytes, encoding: encoding) { return s }
        if let decoded = try? TextDecoder.decode(bytes) { return decoded.string }
        return String(decoding: bytes, as: UTF8.self)
    }
}
