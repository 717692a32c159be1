import Foundation

/// `gleaner entities --conll`: CoNLL lines in, `TOKEN<TAB>TAG` (IOB2, PER/ORG/LOC/MISC) out.
///
/// Streams one sentence at a time, so memory stays bounded whatever the input size;
/// document-level features use only earlier sentences of the same document.
/// With `--lang xx` every document is tagged with the model of `xx`; without it each document's
/// language is detected from its first sentences (up to ``detectionTokens`` tokens, held back until
/// then) and that language's model tags it. A document in a language without a model gets `O` tags:
/// another language's model is never used on it.
public enum EntitiesCommand {
    public struct NoModel: Error, CustomStringConvertible {
        public var code: String
        public var description: String {
            "no entity model for language '\(code)'; models: \(EntityLanguages.available.joined(separator: ", "))"
        }
    }

    /// How many tokens of a document are read before its language is decided.
    static let detectionTokens = 300

    /// Reads standard input, writes standard output: English (as before) when neither a language nor a
    /// detector is given.
    public static func runCoNLL(language: String? = nil, detect: ((String) -> String)? = nil) throws {
        var out = BufferedOutput()
        if let language {
            guard let model = EntityLanguages.shared.language(language) else { throw NoModel(code: language) }
            try runCoNLL(tagger: model.tagger, readLine: { Swift.readLine(strippingNewline: true) }, write: { out.write($0) })
        } else if let detect {
            try runCoNLL(detect: detect, models: { EntityLanguages.shared.language($0)?.tagger },
                         readLine: { Swift.readLine(strippingNewline: true) }, write: { out.write($0) })
        } else {
            try runCoNLL(tagger: try EntityTagger.shared(), readLine: { Swift.readLine(strippingNewline: true) }, write: { out.write($0) })
        }
        out.flush()
    }

    /// The same over any line source and sink (for tests).
    public static func runCoNLL(tagger: EntityTagger, readLine: () -> String?, write: (String) -> Void) throws {
        try runCoNLL(detect: { _ in "" }, models: { _ in tagger }, readLine: readLine, write: write)
    }

    /// The text the language of a document is detected on: its words that do not start with a capital, since
    /// names ("BERLIN GRAND PRIX", "Grand Prix") say little about the language they are written in and mislead
    /// detectors (a table of results read as Zulu); all its tokens when those words have fewer than 20 letters.
    static func detectionSample(_ sentences: [[String]]) -> String {
        var lower = "", all = ""
        var letters = 0
        for s in sentences {
            for t in s {
                all += t
                all += " "
                guard let f = t.unicodeScalars.first, !f.properties.isUppercase,
                    t.unicodeScalars.contains(where: { $0.properties.isAlphabetic })
                else { continue }
                lower += t
                lower += " "
                letters += t.unicodeScalars.count
            }
            all += "\n"
            lower += "\n"
        }
        return letters >= 20 ? lower : all
    }

    /// Each document tagged by the model of the language `detect` finds in its first sentences
    /// (`models` gives nil for a language without a model: its tokens get `O`).
    public static func runCoNLL(detect: (String) -> String, models: (String) -> EntityTagger?,
                                readLine: () -> String?, write: (String) -> Void) throws {
        enum Item { case sentence([String]), raw(String) }
        var session: EntityTagger.DocumentSession?
        var decided = false
        var held: [Item] = []
        var heldTokens = 0
        var sentence: [String] = []
        func emit(_ tokens: [String]) {
            let tags: [String]
            if var s = session.take() {
                tags = s.tag(tokens)
                session = s
            } else {
                tags = [String](repeating: "O", count: tokens.count)
            }
            var text = ""
            text.reserveCapacity(tokens.count * 12)
            for (t, tag) in zip(tokens, tags) {
                text += t
                text += "\t"
                text += tag
                text += "\n"
            }
            write(text)
        }
        func decide() {
            guard !decided else { return }
            session = models(detect(detectionSample(held.compactMap { item -> [String]? in
                if case .sentence(let s) = item { return s }
                return nil
            })))
                .map { EntityTagger.DocumentSession(tagger: $0) }
            decided = true
            for item in held {
                switch item {
                case .sentence(let s): emit(s)
                case .raw(let r): write(r)
                }
            }
            held.removeAll()
            heldTokens = 0
        }
        func endSentence() {
            guard !sentence.isEmpty else { return }
            if decided {
                emit(sentence)
            } else {
                held.append(.sentence(sentence))
                heldTokens += sentence.count
                if heldTokens >= detectionTokens { decide() }
            }
            sentence.removeAll(keepingCapacity: true)
        }
        func raw(_ line: String) {
            if decided { write(line) } else { held.append(.raw(line)) }
        }
        while let line = readLine() {
            if line.hasPrefix("-DOCSTART-") {
                endSentence()
                decide()
                write(line + "\n")
                decided = false
                session = nil
                continue
            }
            let token = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            guard let token else {
                endSentence()
                raw("\n")
                continue
            }
            sentence.append(String(token))
        }
        endSentence()
        decide()
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
