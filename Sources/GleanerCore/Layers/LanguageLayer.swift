/// One candidate language with its probability.
public struct LanguageHypothesis: Sendable, Hashable {
    /// ISO 639-1 code, or `und`.
    public var code: String
    public var probability: Double
    public init(code: String, probability: Double) {
        self.code = code
        self.probability = probability
    }
}

/// A passage written in another language than the document's.
public struct LanguageSegment: Sendable, Hashable {
    public var span: Span
    public var code: String
    public var confidence: Double
    public init(span: Span, code: String, confidence: Double) {
        self.span = span
        self.code = code
        self.confidence = confidence
    }
}

/// The `language` layer: the document's dominant language and its passages in others.
public struct LanguageLayer: Layer {
    public static let name = LayerName.language
    /// ISO 639-1 code of the dominant language, `und` when there are no letters or no answer.
    public var code: String
    /// Calibrated probability that `code` is right.
    public var confidence: Double
    /// The best hypotheses, most probable first (at most 3).
    public var alternatives: [LanguageHypothesis]
    public var segments: [LanguageSegment]

    public init(code: String, confidence: Double, alternatives: [LanguageHypothesis], segments: [LanguageSegment] = []) {
        self.code = code
        self.confidence = confidence
        self.alternatives = alternatives
        self.segments = segments
    }

    public var spans: [Span] { segments.map(\.span) }

    public func jsonValue(in text: DocumentText) -> JSONValue {
        [
            "code": .string(code),
            "confidence": .double(rounded(confidence)),
            "alternatives": .array(alternatives.map { ["code": .string($0.code), "probability": .double(rounded($0.probability))] }),
            "segments": .array(segments.map {
                [
                    "start": .int($0.span.start), "end": .int($0.span.end), "text": .string(text[$0.span]),
                    "code": .string($0.code), "confidence": .double(rounded($0.confidence)),
                ]
            }),
        ]
    }
}

/// Four decimals are plenty for probabilities and keep results readable.
@inlinable
public func rounded(_ x: Double, places: Double = 10_000) -> Double { (x * places).rounded() / places }

/// A run of text in one language: the document's language outside its segments, each segment's inside.
public struct LanguageRegion: Sendable, Hashable {
    public var span: Span
    /// ISO 639-1 code, or `und`.
    public var code: String
    public init(span: Span, code: String) {
        self.span = span
        self.code = code
    }
}

extension LanguageLayer {
    /// The text `0..<length` cut into runs of one language, in order, covering it without gaps or overlaps.
    /// This is what processors route on: each region goes to the model and word lists of its language.
    /// Segments outside the text or overlapping an earlier one are ignored; empty runs are dropped and
    /// neighbouring runs of one language are joined.
    public func regions(length: Int) -> [LanguageRegion] {
        var out: [LanguageRegion] = []
        func push(_ start: Int, _ end: Int, _ code: String) {
            guard start < end else { return }
            if let last = out.last, last.code == code, last.span.end == start {
                out[out.count - 1].span = Span(start: last.span.start, end: end)
            } else {
                out.append(LanguageRegion(span: Span(start: start, end: end), code: code))
            }
        }
        var at = 0
        for segment in segments.sorted(by: { $0.span.start < $1.span.start }) {
            let s = max(segment.span.start, 0), e = min(segment.span.end, length)
            guard s >= at, s < e else { continue }
            push(at, s, code)
            push(s, e, segment.code)
            at = e
        }
        push(at, length, code)
        return out
    }

    /// The language at a scalar offset (the document's outside segments).
    public func code(at offset: Int) -> String {
        for segment in segments where segment.span.start <= offset && offset < segment.span.end { return segment.code }
        return code
    }
}
