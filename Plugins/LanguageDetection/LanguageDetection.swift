import GleanerCore

/// Makes the built-in `language` processor.
///
/// Options (`[processors.language]`):
/// - `languages`: array of ISO 639-1 codes to restrict answers to (default: all 75).
/// - `hints`: table code → prior weight, e.g. `{ en = 2.0, de = 1.5 }` (0 excludes a language).
/// - `segments`: find passages in another language than the document's (default true).
/// - `min_segment_chars`: letters a sentence or paragraph needs to be judged on its own (default 20).
/// - `min_segment_confidence`: probability a passage's language needs to be reported (default 0.8).
/// - `document_prior`: how strongly the document's language is the prior for its parts, 0...1 (default 0.5).
/// - `min_confidence`: probability the document's best language needs; below it the layer says `und`
///   and lists the hypotheses as alternatives (default 0.5).
public struct LanguageProcessorFactory: ProcessorFactory {
    public static let name = "language"
    public let descriptor = ProcessorDescriptor(
        name: LanguageProcessorFactory.name, version: "1.1.0", requires: [], provides: [.language],
        summary: "Language of the document and of passages in other languages (75 languages)")

    public init() {}

    public func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        var options = options
        let section = "[processors.\(options.processor)]"
        let languages = try options.strings("languages")
        let hints = try options.numberTable("hints") ?? [:]
        let segments = try options.bool("segments", default: true)
        let minChars = try options.int("min_segment_chars", default: 20, range: 1...1_000_000)
        let minConfidence = try options.double("min_segment_confidence", default: 0.8, range: 0...1)
        let documentPrior = try options.double("document_prior", default: 0.5, range: 0...1)
        let minDocumentConfidence = try options.double("min_confidence", default: 0.5, range: 0...1)
        try options.finish()
        let detector: LanguageDetector
        do { detector = try LanguageDetector.shared() } catch {
            throw ConfigurationError(.unreadable, "\(section) cannot load the language model: \(error)")
        }
        if let languages, languages.isEmpty {
            throw ConfigurationError(.invalidValue, "\(section) languages must name at least one language code")
        }
        let filter: LanguageFilter
        do { filter = try detector.filter(languages: languages, hints: hints) } catch {
            let key = error.message.contains("in hints") ? "hints" : "languages"
            throw ConfigurationError(.invalidValue, "\(section) \(error.message)", at: options.location(key))
        }
        return LanguageProcessor(
            descriptor: descriptor, detector: detector, filter: filter,
            settings: .init(
                segments: segments, minSegmentLetters: minChars, minSegmentConfidence: Float(minConfidence),
                documentPrior: Float(documentPrior), minConfidence: Float(minDocumentConfidence)))
    }
}

/// The configured `language` processor: immutable, safe for concurrent documents.
public struct LanguageProcessor: Processor {
    public struct Settings: Sendable {
        public var segments = true
        public var minSegmentLetters = 20
        public var minSegmentConfidence: Float = 0.8
        public var documentPrior: Float = 0.5
        public var minConfidence: Float = 0.5
        public init(
            segments: Bool = true, minSegmentLetters: Int = 20, minSegmentConfidence: Float = 0.8, documentPrior: Float = 0.5,
            minConfidence: Float = 0.5
        ) {
            self.segments = segments
            self.minSegmentLetters = minSegmentLetters
            self.minSegmentConfidence = minSegmentConfidence
            self.documentPrior = documentPrior
            self.minConfidence = minConfidence
        }
    }

    public let descriptor: ProcessorDescriptor
    let detector: LanguageDetector
    let filter: LanguageFilter
    let settings: Settings

    public init(descriptor: ProcessorDescriptor, detector: LanguageDetector, filter: LanguageFilter, settings: Settings) {
        self.descriptor = descriptor
        self.detector = detector
        self.filter = filter
        self.settings = settings
    }

    public func process(_ document: inout Document) async throws {
        document.add(analyse(document.text.scalars))
    }

    /// The language layer for a text: the whole text's answer, then the paragraphs
    /// and sentences that are confidently in another language, judged with the
    /// document's answer as their prior so short parts are not flagged wrongly.
    ///
    /// The models are linear, so each sentence is read once: a paragraph's evidence is the
    /// sum of its sentences', the document's the sum of its paragraphs' (``LanguageEvidence``).
    public func analyse(_ scalars: [Unicode.Scalar]) -> LanguageLayer {
        var scratch = LanguageDetector.Scratch(detector)
        let undetermined = LanguageLayer(code: LanguageDetector.undetermined, confidence: 0, alternatives: [])
        guard settings.segments else {
            guard detector.probabilities(for: scalars[...], filter: filter, prior: nil, scratch: &scratch) else {
                return undetermined
            }
            return documentLayer(scratch.probabilities)
        }
        // Pass 1: evidence per sentence, summed per paragraph and for the whole text. Very long
        // texts keep only the paragraph sums and read their sentences again in pass 2.
        let keepSentences = scalars.count <= Self.keepSentenceEvidenceUpTo
        var document = detector.scorer.newEvidence()
        var paragraphs: [(span: Span, sentences: [Span], evidence: LanguageEvidence)] = []
        var sentenceEvidence: [LanguageEvidence] = []
        for paragraph in TextSplitter.paragraphs(scalars) {
            let sentences = TextSplitter.sentences(scalars, in: paragraph)
            var sum = detector.scorer.newEvidence()
            for sentence in sentences {
                let e = detector.evidence(for: scalars[sentence.start..<sentence.end], scratch: &scratch)
                sum.add(e)
                if keepSentences { sentenceEvidence.append(e) }
            }
            document.add(sum)
            paragraphs.append((paragraph, sentences, sum))
        }
        guard detector.probabilities(of: document, filter: filter, prior: nil, scratch: &scratch) else { return undetermined }
        let documentProbabilities = scratch.probabilities
        var layer = documentLayer(documentProbabilities)
        guard let best = layer.alternatives.first else { return undetermined }
        let prior = detector.logPrior(from: documentProbabilities, strength: settings.documentPrior)

        // Pass 2: paragraphs, then sentences, confidently in another language.
        var found: [LanguageSegment] = []
        func judge(_ span: Span, _ evidence: LanguageEvidence) -> LanguageSegment? {
            guard evidence.letters >= settings.minSegmentLetters,
                // Names and short quotations do not make a passage: it needs words of its own.
                evidence.lowerTokens >= Self.minSegmentLowerTokens || !evidence.isCased,
                detector.probabilities(of: evidence, filter: filter, prior: prior, scratch: &scratch),
                let top = detector.top(scratch.probabilities, 1).first,
                top.code != best.code, Float(top.probability) >= settings.minSegmentConfidence
            else { return nil }
            return LanguageSegment(span: span, code: top.code, confidence: top.probability)
        }
        var next = 0
        for paragraph in paragraphs {
            let first = next
            next += paragraph.sentences.count
            if paragraph.sentences.count > 1, let whole = judge(paragraph.span, paragraph.evidence) {
                found.append(whole)
                continue
            }
            for (k, sentence) in paragraph.sentences.enumerated() {
                let evidence =
                    keepSentences
                    ? sentenceEvidence[first + k]
                    : paragraph.sentences.count == 1
                        ? paragraph.evidence : detector.evidence(for: scalars[sentence.start..<sentence.end], scratch: &scratch)
                guard let segment = judge(sentence, evidence) else { continue }
                // Adjacent passages in the same language become one segment.
                if let last = found.last, last.code == segment.code,
                    scalars[last.span.end..<segment.span.start].allSatisfy({ $0.properties.isWhitespace })
                {
                    found[found.count - 1] = LanguageSegment(
                        span: Span(start: last.span.start, end: segment.span.end), code: segment.code,
                        confidence: min(last.confidence, segment.confidence))
                } else {
                    found.append(segment)
                }
            }
        }
        layer.segments = found
        return layer
    }

    /// The paragraphs the processor judges (for benchmarks and tools).
    public func paragraphSpans(_ scalars: [Unicode.Scalar]) -> [Span] { TextSplitter.paragraphs(scalars) }

    /// The sentences of a paragraph the processor judges.
    public func sentenceSpans(_ scalars: [Unicode.Scalar], in paragraph: Span) -> [Span] {
        TextSplitter.sentences(scalars, in: paragraph)
    }

    /// Texts up to this many scalars keep each sentence's evidence between the two passes
    /// (about 1.4 KB a sentence); longer ones read their sentences twice.
    static let keepSentenceEvidenceUpTo = 500_000

    /// Lower-case tokens a passage in a cased script needs to be reported as a segment.
    static let minSegmentLowerTokens = 3

    /// The document's answer: its best language, or `und` when even that is less likely than
    /// not (``Settings/minConfidence``); the alternatives always carry the best hypotheses.
    private func documentLayer(_ probabilities: [Float]) -> LanguageLayer {
        let alternatives = detector.top(probabilities, 3)
        guard let best = alternatives.first else {
            return LanguageLayer(code: LanguageDetector.undetermined, confidence: 0, alternatives: [])
        }
        if Float(best.probability) < settings.minConfidence {
            return LanguageLayer(code: LanguageDetector.undetermined, confidence: 0, alternatives: alternatives)
        }
        return LanguageLayer(code: best.code, confidence: best.probability, alternatives: alternatives)
    }
}

/// A small paragraph and sentence splitter, so the processor needs no other layer:
/// paragraphs end at blank lines, sentences after . ! ? … 。！？ followed by space
/// (closing quotes and brackets stay with their sentence) or at a line break.
enum TextSplitter {
    static func paragraphs(_ s: [Unicode.Scalar]) -> [Span] {
        var out: [Span] = []
        var start = 0
        var i = 0
        while i < s.count {
            if s[i] == "\n" {
                var j = i + 1
                var blank = false
                while j < s.count, s[j].properties.isWhitespace {
                    if s[j] == "\n" { blank = true }
                    j += 1
                }
                if blank {
                    appendTrimmed(s, start, i, &out)
                    start = j
                    i = j
                    continue
                }
            }
            i += 1
        }
        appendTrimmed(s, start, s.count, &out)
        return out
    }

    static func sentences(_ s: [Unicode.Scalar], in paragraph: Span) -> [Span] {
        var out: [Span] = []
        var start = paragraph.start
        var i = paragraph.start
        let end = paragraph.end
        while i < end {
            let c = s[i]
            if c == "\n" {
                appendTrimmed(s, start, i, &out)
                start = i + 1
            } else if c == "." || c == "!" || c == "?" || c == "…" || c == "。" || c == "！" || c == "？" {
                var j = i + 1
                while j < end, ".!?…\"'”’»)]".unicodeScalars.contains(s[j]) { j += 1 }
                if c == "。" || c == "！" || c == "？" || j == end || s[j].properties.isWhitespace {
                    appendTrimmed(s, start, j, &out)
                    start = j
                    i = j
                    continue
                }
            }
            i += 1
        }
        appendTrimmed(s, start, end, &out)
        return out
    }

    private static func appendTrimmed(_ s: [Unicode.Scalar], _ a: Int, _ b: Int, _ out: inout [Span]) {
        var a = a, b = b
        while a < b, s[a].properties.isWhitespace { a += 1 }
        while b > a, s[b - 1].properties.isWhitespace { b -= 1 }
        if b > a { out.append(Span(start: a, end: b)) }
    }
}
