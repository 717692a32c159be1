/// Decodes a file's bytes to a string, detecting the encoding: a byte-order
/// mark first, then strict UTF-8, then BOM-less UTF-16 by its NUL pattern, then
/// legacy 8-bit text (Windows-1252, a superset of Latin-1's printable range).
/// Anything else is refused rather than decoded into mojibake.
public enum TextDecoder {
    public struct Decoded: Sendable, Hashable {
        public var string: String
        /// `utf-8`, `utf-16le`, `utf-16be`, `utf-32le`, `utf-32be`, `windows-1252` or `iso-8859-1`.
        public var encoding: String
        public var hadBOM: Bool
    }

    public static func decode(_ bytes: [UInt8]) throws(ExtractionError) -> Decoded {
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            return Decoded(string: try utf32(bytes.dropFirst(4), littleEndian: true), encoding: "utf-32le", hadBOM: true)
        }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            return Decoded(string: try utf32(bytes.dropFirst(4), littleEndian: false), encoding: "utf-32be", hadBOM: true)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return Decoded(string: try utf8(bytes.dropFirst(3)), encoding: "utf-8", hadBOM: true)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return Decoded(string: try utf16(bytes.dropFirst(2), littleEndian: true), encoding: "utf-16le", hadBOM: true)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return Decoded(string: try utf16(bytes.dropFirst(2), littleEndian: false), encoding: "utf-16be", hadBOM: true)
        }
        if let guess = bomlessUTF16(bytes) {
            return Decoded(string: try utf16(bytes[...], littleEndian: guess), encoding: guess ? "utf-16le" : "utf-16be", hadBOM: false)
        }
        if bytes.contains(0) {
            throw ExtractionError(.binary, "the file contains NUL bytes: it is binary, not text")
        }
        if let s = String(validating: bytes, as: UTF8.self) {
            return Decoded(string: s, encoding: "utf-8", hadBOM: false)
        }
        return try legacy8Bit(bytes)
    }

    // MARK: Unicode encodings

    static func utf8(_ bytes: ArraySlice<UInt8>) throws(ExtractionError) -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw ExtractionError(.invalidEncoding, "the file starts with a UTF-8 byte-order mark but holds invalid UTF-8 at byte \(firstInvalidUTF8(bytes) + 3)")
        }
        return s
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) throws(ExtractionError) -> String {
        guard bytes.count % 2 == 0 else {
            throw ExtractionError(.invalidEncoding, "UTF-16 text with an odd number of bytes (\(bytes.count)): the file is truncated")
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
            i += 2
        }
        guard let s = String(validating: units, as: UTF16.self) else {
            throw ExtractionError(.invalidEncoding, "invalid UTF-16 (an unpaired surrogate)")
        }
        if s.unicodeScalars.contains("\0") {
            throw ExtractionError(.binary, "the decoded text contains NUL characters: it is binary, not text")
        }
        return s
    }

    static func utf32(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) throws(ExtractionError) -> String {
        guard bytes.count % 4 == 0 else {
            throw ExtractionError(.invalidEncoding, "UTF-32 text with a length (\(bytes.count)) that is not a multiple of 4")
        }
        var view = String.UnicodeScalarView()
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = (0..<4).map { UInt32(bytes[i + $0]) }
            let v = littleEndian ? (b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]) : (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3])
            guard let scalar = Unicode.Scalar(v), v != 0 else {
                throw ExtractionError(.invalidEncoding, "invalid UTF-32 code point U+\(String(v, radix: 16, uppercase: true))")
            }
            view.append(scalar)
            i += 4
        }
        return String(view)
    }

    /// UTF-16 without a BOM shows as text whose every other byte is NUL.
    /// Returns `true` for little-endian, `false` for big-endian, nil if not UTF-16.
    static func bomlessUTF16(_ bytes: [UInt8]) -> Bool? {
        let n = min(bytes.count, 4096) & ~1
        guard n >= 4 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for i in stride(from: 0, to: n, by: 2) {
            if bytes[i] == 0 { evenZeros += 1 }
            if bytes[i + 1] == 0 { oddZeros += 1 }
        }
        let pairs = n / 2
        if oddZeros * 10 >= pairs * 7 && evenZeros * 10 <= pairs { return true }
        if evenZeros * 10 >= pairs * 7 && oddZeros * 10 <= pairs { return false }
        return nil
    }

    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        var consumed = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                consumed = offset
                offset += UTF8.width(s)
            case .emptyInput: break loop
            case .error: return consumed == 0 && offset == 0 ? 0 : offset
            }
        }
        return offset
    }

    // MARK: Legacy 8-bit text

    /// Windows-1252's mapping of 0x80–0x9F (nil where the code page leaves a hole).
    static let cp1252High: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]

    /// Decodes Windows-1252 (or Latin-1) when the bytes look like Western
    /// European text: high bytes are a minority and sit inside words, as accented
    /// letters do. Long runs of high bytes mean another code page (Cyrillic,
    /// CJK) or broken UTF-8; those are refused with a message saying so.
    static func legacy8Bit(_ bytes: [UInt8]) throws(ExtractionError) -> Decoded {
        var high = 0, letters = 0, controls = 0, longestRun = 0, run = 0, utf8Sequences = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x80 {
                high += 1
                run += 1
                longestRun = max(longestRun, run)
                // A well-formed 2-byte UTF-8 sequence among invalid ones suggests damaged UTF-8.
                if b & 0xE0 == 0xC0, i + 1 < bytes.count, bytes[i + 1] & 0xC0 == 0x80, b >= 0xC2 { utf8Sequences += 1 }
            } else {
                run = 0
                if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { letters += 1 }
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C { controls += 1 }
            }
            i += 1
        }
        if controls * 100 > max(bytes.count, 1) {
            throw ExtractionError(.binary, "the file is neither UTF-8 nor text in a known 8-bit encoding (\(controls) control bytes): it looks binary")
        }
        if utf8Sequences * 2 >= high && high > 0 {
            throw ExtractionError(.invalidEncoding, "invalid UTF-8 at byte \(firstInvalidUTF8(bytes[...])): the file is mostly UTF-8 but damaged; re-save it as UTF-8")
        }
        if high * 3 > letters + high || longestRun > 3 {
            throw ExtractionError(.invalidEncoding, "the file is not UTF-8 and does not look like Windows-1252/Latin-1 text (too many non-ASCII bytes, runs of \(longestRun)): convert it to UTF-8")
        }
        var view = String.UnicodeScalarView()
        view.reserveCapacity(bytes.count)
        var usedCP1252 = false
        for b in bytes {
            if b >= 0x80 && b < 0xA0 {
                if let v = cp1252High[Int(b - 0x80)], let s = Unicode.Scalar(v) {
                    view.append(s)
                    usedCP1252 = true
                } else {
                    throw ExtractionError(.invalidEncoding, "byte 0x\(String(b, radix: 16, uppercase: true)) is undefined in Windows-1252: the encoding is unknown; convert the file to UTF-8")
                }
            } else {
                view.append(Unicode.Scalar(b))
            }
        }
        return Decoded(string: String(view), encoding: usedCP1252 ? "windows-1252" : "iso-8859-1", hadBOM: false)
    }
}
