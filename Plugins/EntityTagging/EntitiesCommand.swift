import Foundation

/// `gleaner entities --conll`: CoNLL lines in, `TOKEN<TAB>TAG` (IOB2, PER/ORG/LOC/MISC) out.
///
/// Streams one sentence at a time, so memory stays bounded whatever the input size;
/// document-level features use only earlier sentences of the same document.
public enum EntitiesCommand {
    /// Reads standard input, writes standard output.
    public static func runCoNLL() throws {
        let tagger = try EntityTagger.shared()
        var out = BufferedOutput()
        try runCoNLL(tagger: tagger, readLine: { Swift.readLine(strippingNewline: true) }, write: { out.write($0) })
        out.flush()
    }

    /// The same over any line source and sink (for tests).
    public static func runCoNLL(tagger: EntityTagger, readLine: () -> String?, write: (String) -> Void) throws {
        var session = EntityTagger.DocumentSession(tagger: tagger)
        var sentence: [String] = []
        func flush() {
            guard !sentence.isEmpty else { return }
            let tags = session.tag(sentence)
            var text = ""
            text.reserveCapacity(sentence.count * 12)
            for (t, tag) in zip(sentence, tags) {
                text += t
                text += "\t"
                text += tag
                text += "\n"
            }
            write(text)
            sentence.removeAll(keepingCapacity: true)
        }
        while let line = readLine() {
            if line.hasPrefix("-DOCSTART-") {
                flush()
                session.reset()
                write(line + "\n")
                continue
            }
            let token = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            guard let token else {
                flush()
                write("\n")
                continue
            }
            sentence.append(String(token))
        }
        flush()
    }
}

/// Collects output and writes it in large blocks: one `fwrite` per 64 KiB, not per line.
struct BufferedOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        if buffer.isEmpty { return }
        buffer.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = Foundation.write(STDOUT_FILENO, base + done, raw.count - done)
                if n <= 0 { break }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
