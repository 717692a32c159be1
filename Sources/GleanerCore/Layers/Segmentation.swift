/// What kind of token the tokenizer saw.
public enum TokenKind: UInt8, Sendable, Hashable {
    case word
    case number
    /// A quotation mark of any script: “ ” „ « » ‹ › ‘ ’ ‚ " ' and the like.
    case quote
    case punctuation
    case symbol
    /// Emoji and other pictographs.
    case emoji
}

/// A token: a span of the text and its kind. Its text is `document.text[token.span]`.
public struct Token: Sendable, Hashable {
    public var span: Span
    public var kind: TokenKind
    /// A word written with a trailing period that belongs to it ("Mr.", "U.S.", "No.").
    public var isAbbreviation: Bool

    public init(span: Span, kind: TokenKind, isAbbreviation: Bool = false) {
        self.span = span
        self.kind = kind
        self.isAbbreviation = isAbbreviation
    }
}

/// A sentence: its span and the range of its tokens in the tokens layer.
public struct Sentence: Sendable, Hashable {
    public var span: Span
    public var tokens: Range<Int>
    public init(span: Span, tokens: Range<Int>) {
        self.span = span
        self.tokens = tokens
    }
}

/// A paragraph: its span and the range of its sentences in the sentences layer.
public struct Paragraph: Sendable, Hashable {
    public var span: Span
    public var sentences: Range<Int>
    public init(span: Span, sentences: Range<Int>) {
        self.span = span
        self.sentences = sentences
    }
}

public struct TokensLayer: Layer {
    public static let name = LayerName.tokens
    public static var isPublished: Bool { false }
    public var tokens: [Token]
    public init(_ tokens: [Token]) { self.tokens = tokens }
    public var spans: [Span] { tokens.map(\.span) }
    public func jsonValue(in text: DocumentText) -> JSONValue { spanPairs(spans) }
}

public struct SentencesLayer: Layer {
    public static let name = LayerName.sentences
    public static var isPublished: Bool { false }
    public var sentences: [Sentence]
    public init(_ sentences: [Sentence]) { self.sentences = sentences }
    public var spans: [Span] { sentences.map(\.span) }
    public func jsonValue(in text: DocumentText) -> JSONValue { spanPairs(spans) }
}

public struct ParagraphsLayer: Layer {
    public static let name = LayerName.paragraphs
    public static var isPublished: Bool { false }
    public var paragraphs: [Paragraph]
    public init(_ paragraphs: [Paragraph]) { self.paragraphs = paragraphs }
    public var spans: [Span] { paragraphs.map(\.span) }
    public func jsonValue(in text: DocumentText) -> JSONValue { spanPairs(spans) }
}

/// `[[start, end], …]`: the compact JSON of an internal layer's spans.
private func spanPairs(_ spans: [Span]) -> JSONValue {
    .array(spans.map { .array([.int($0.start), .int($0.end)]) })
}
