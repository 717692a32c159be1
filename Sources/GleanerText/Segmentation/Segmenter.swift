import GleanerCore

/// The text layer every processor shares: paragraphs, then tokens, then
/// sentences inside each paragraph (a sentence never crosses a paragraph).
public struct Segmenter: Sendable {
    public struct Result: Sendable {
        public var tokens: [Token]
        public var sentences: [Sentence]
        public var paragraphs: [Paragraph]
    }

    public init() {}

    public func segment(_ text: DocumentText) -> Result {
        let tokenizer = Tokenizer()
        let splitter = SentenceSplitter()
        var tokens: [Token] = []
        var sentences: [Sentence] = []
        var paragraphs: [Paragraph] = []
        tokens.reserveCapacity(text.count / 5)
        for span in ParagraphSplitter().split(text) {
            let firstToken = tokens.count
            tokens.append(contentsOf: tokenizer.tokenize(text.scalars, in: span.range))
            let firstSentence = sentences.count
            if firstToken < tokens.count {
                sentences.append(contentsOf: splitter.split(tokens, in: firstToken..<tokens.count, text: text))
            }
            paragraphs.append(Paragraph(span: span, sentences: firstSentence..<sentences.count))
        }
        return Result(tokens: tokens, sentences: sentences, paragraphs: paragraphs)
    }
}

/// The `segmenter` processor: provides the `tokens`, `sentences` and
/// `paragraphs` layers. The pipeline adds it by itself when another processor
/// requires one of them.
public struct SegmenterProcessor: Processor {
    public static let descriptor = ProcessorDescriptor(
        name: "segmenter", version: "1.0.0", requires: [], provides: [.tokens, .sentences, .paragraphs],
        summary: "tokens, sentences and paragraphs (the shared text layer)")

    public var descriptor: ProcessorDescriptor { Self.descriptor }

    public init() {}

    public func process(_ document: inout Document) async throws {
        let result = Segmenter().segment(document.text)
        document.add(TokensLayer(result.tokens))
        document.add(SentencesLayer(result.sentences))
        document.add(ParagraphsLayer(result.paragraphs))
    }
}

public struct SegmenterFactory: ProcessorFactory {
    public init() {}
    public var descriptor: ProcessorDescriptor { SegmenterProcessor.descriptor }
    public func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        try options.finish()
        return SegmenterProcessor()
    }
}
