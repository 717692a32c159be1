#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `gleaner language [--lines] [--top N]`: detects the language of standard input.
///
/// Prints one line per text: `CODE<TAB>CONFIDENCE`, and with `top` > 1 the next
/// hypotheses as further `<TAB>CODE<TAB>PROB` pairs (`top` pairs in all).
/// With `lines`, every input line is one text, answered in input order while
/// reading: memory stays that of the longest line whatever the input size.
public enum LanguageCommand {
    public static func run(lines: Bool, top: Int = 1, languages: [String]? = nil, hints: [String: Double] = [:]) throws {
        let detector = try LanguageDetector.shared()
        let filter = try detector.filter(languages: languages, hints: hints)
        let reader = ByteReader()
        var writer = BufferedWriter()
        var scratch = LanguageDetector.Scratch(detector)
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(4096)
        let maximum = max(1, top)

        func answer() {
            let hyps = detector.hypotheses(for: scalars[...], maximum: maximum, filter: filter, scratch: &scratch)
            for (k, h) in hyps.enumerated() {
                if k > 0 { writer.byte(9) }
                writer.ascii(h.code)
                writer.byte(9)
                writer.probability(h.probability)
            }
            writer.byte(10)
        }

        var pending: [UInt8] = []  // an incomplete UTF-8 sequence at a buffer boundary
        while let chunk = reader.next() {
            var bytes = pending
            pending.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: chunk)
            var lineStart = 0
            if lines {
                for i in 0..<bytes.count where bytes[i] == 10 {
                    UTF8Decoder.append(bytes[lineStart..<i], to: &scalars)
                    answer()
                    scalars.removeAll(keepingCapacity: true)
                    lineStart = i + 1
                }
            }
            // Keep the tail of a line (or the whole text) for the next chunk; decode
            // complete scalars now so memory stays bounded by the text, not the bytes.
            let tail = bytes[lineStart...]
            let cut = UTF8Decoder.completePrefix(tail)
            UTF8Decoder.append(tail[tail.startIndex..<cut], to: &scalars)
            pending.append(contentsOf: tail[cut...])
        }
        UTF8Decoder.append(pending[...], to: &scalars)
        // With --lines a last line without newline still counts; without it the
        // whole input (even empty) is one text.
        if !lines || !scalars.isEmpty { answer() }
        writer.flush()
    }
}

/// Reads standard input in 256 KiB blocks.
final class ByteReader {
    private var buffer = [UInt8](repeating: 0, count: 1 << 18)
    func next() -> ArraySlice<UInt8>? {
        let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        return n > 0 ? buffer[0..<n] : nil
    }
}

/// Collects output bytes and writes them with one `write(2)` per 64 KiB.
struct BufferedWriter {
    private var buffer: [UInt8] = []
    init() { buffer.reserveCapacity(1 << 16) }

    mutating func byte(_ b: UInt8) {
        buffer.append(b)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func ascii(_ s: String) { for b in s.utf8 { byte(b) } }

    /// Four decimals, e.g. `0.9731`, `1.0000`.
    mutating func probability(_ p: Double) {
        let q = Int((min(max(p, 0), 1) * 10_000).rounded())
        byte(UInt8(48 + q / 10_000))
        byte(46)
        var d = 1000
        while d > 0 {
            byte(UInt8(48 + (q / d) % 10))
            d /= 10
        }
    }

    mutating func flush() {
        var offset = 0
        buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while offset < raw.count {
                let n = write(1, base + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// UTF-8 → scalars without building Strings; malformed bytes become U+FFFD.
enum UTF8Decoder {
    static func append(_ bytes: ArraySlice<UInt8>, to out: inout [Unicode.Scalar]) {
        var it = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): if s != "\r" { out.append(s) }
            case .emptyInput: break loop
            case .error: out.append("\u{FFFD}")
            }
        }
    }

    /// The end of the longest prefix that does not stop inside a multi-byte sequence.
    static func completePrefix(_ bytes: ArraySlice<UInt8>) -> Int {
        var i = bytes.endIndex
        var back = 0
        while i > bytes.startIndex, back < 4 {
            i -= 1
            back += 1
            let b = bytes[i]
            if b & 0xC0 != 0x80 {
                let need = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return need <= back ? bytes.endIndex : i
            }
        }
        return bytes.endIndex
    }
}
