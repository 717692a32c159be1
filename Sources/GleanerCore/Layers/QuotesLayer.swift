/// What a quoted span is.
public enum QuoteKind: String, Sendable, Hashable, CaseIterable {
    /// A whole quoted sentence or clause of speech.
    case direct
    /// A quoted fragment woven into the reporter's sentence.
    case partial
    /// An answer in an interview.
    case interview
    /// A question in an interview.
    case question
    /// A quoted term (scare quotes, a title): not speech, no speaker.
    case term
    /// Reported speech without quotation marks, with a clear cue ("X said that …", "según X, …").
    case indirect
}

/// Who said a quotation.
public struct Speaker: Sendable, Hashable {
    /// The mention as written at the cue (it may be "he" or "the sinologist").
    public var span: Span
    /// The resolved canonical name, or nil when it could not be resolved.
    public var name: String?
    /// The entity id in the entities layer, when there is one.
    public var entityID: String?
    /// Whether the mention was resolved to a name. False for a pronoun or description with no
    /// good enough antecedent ("the minister" with no minister named): then `name` is nil.
    public var resolved: Bool

    public init(span: Span, name: String?, entityID: String? = nil, resolved: Bool? = nil) {
        self.span = span
        self.name = name
        self.entityID = entityID
        self.resolved = resolved ?? (name != nil)
    }
}

/// One quotation.
public struct Quote: Sendable, Hashable {
    /// The quoted content, without the marks.
    public var span: Span
    public var kind: QuoteKind
    /// The reporting word ("said", "underlines", "declared"), if any.
    public var cue: Span?
    public var speaker: Speaker?

    public init(span: Span, kind: QuoteKind, cue: Span? = nil, speaker: Speaker? = nil) {
        self.span = span
        self.kind = kind
        self.cue = cue
        self.speaker = speaker
    }
}

/// The `quotes` layer, in text order.
public struct QuotesLayer: Layer {
    public static let name = LayerName.quotes
    public var quotes: [Quote]

    public init(_ quotes: [Quote]) { self.quotes = quotes }

    public var spans: [Span] {
        quotes.flatMap { q in [q.span] + (q.cue.map { [$0] } ?? []) + (q.speaker.map { [$0.span] } ?? []) }
    }

    public func jsonValue(in text: DocumentText) -> JSONValue {
        .array(quotes.map { q in
            var speaker: JSONValue = .null
            if let s = q.speaker {
                speaker = [
                    "text": .string(text[s.span]), "start": .int(s.span.start), "end": .int(s.span.end),
                    "name": .optional(s.name), "entity": .optional(s.entityID), "resolved": .bool(s.resolved),
                ]
            }
            var cue: JSONValue = .null
            if let c = q.cue { cue = ["text": .string(text[c]), "start": .int(c.start), "end": .int(c.end)] }
            return [
                "start": .int(q.span.start), "end": .int(q.span.end), "text": .string(text[q.span]),
                "kind": .string(q.kind.rawValue), "speaker": speaker, "cue": cue,
            ]
        })
    }
}
