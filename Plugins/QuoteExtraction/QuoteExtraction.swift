import GleanerCore

/// The built-in `quotes` processor: direct quotations, interview turns and their speakers.
public struct QuoteProcessorFactory: ProcessorFactory {
    public init() {}

    public static let descriptor = ProcessorDescriptor(
        name: "quotes", version: "1.0.0", requires: [.paragraphs, .entities], provides: [.quotes],
        summary: "Direct quotations and interview turns, each attributed to its speaker")

    public var descriptor: ProcessorDescriptor { Self.descriptor }

    /// Options: `include_terms` (bool, default true), `min_speech_words` (1...50, default 5),
    /// `interviews` (bool, default true).
    public func makeProcessor(options: ProcessorOptions) async throws(ConfigurationError) -> any Processor {
        let missing = Words.check()
        if !missing.isEmpty {
            throw ConfigurationError(.unreadable, "quotes: word lists not found: \(missing.joined(separator: ", ")). Set GLEANER_MODEL_DIR to the folder holding lexicon/")
        }
        return try QuoteProcessor(settings: Self.settings(from: options))
    }

    public static func settings(from options: ProcessorOptions) throws(ConfigurationError) -> QuoteSettings {
        var o = options
        let settings = QuoteSettings(
            includeTerms: try o.bool("include_terms", default: true),
            minSpeechWords: try o.int("min_speech_words", default: 5, range: 1...50),
            interviews: try o.bool("interviews", default: true))
        try o.finish()
        return settings
    }
}

/// Finds quotations in a document and attributes them. Stateless and safe to share.
public struct QuoteProcessor: Processor {
    public let settings: QuoteSettings
    public var descriptor: ProcessorDescriptor { QuoteProcessorFactory.descriptor }

    public init(settings: QuoteSettings = QuoteSettings()) { self.settings = settings }

    public func process(_ document: inout Document) async throws {
        document.add(Self.extract(document, settings: settings))
    }

    /// The quotes layer of a document: synchronous, for batch use and benchmarks.
    /// Reads the `paragraphs` layer when present (lines otherwise) and the `entities` layer when present.
    public static func extract(_ document: Document, settings: QuoteSettings = QuoteSettings()) -> QuotesLayer {
        let scalars = document.text.scalars
        let paragraphs = document[ParagraphsLayer.self]?.paragraphs.map(\.span) ?? paragraphSpans(scalars)
        return extract(scalars: scalars, paragraphs: paragraphs, entities: document[EntitiesLayer.self], settings: settings)
    }

    static func extract(scalars: [Unicode.Scalar], paragraphs: [Span], entities: EntitiesLayer?, settings: QuoteSettings) -> QuotesLayer {
        let ex = Extractor(scalars: scalars, paragraphs: paragraphs, settings: settings)
        let found = ex.extract()
        let turns = settings.interviews ? InterviewReader(ex: ex).read() : []
        // Every speaker mention takes part in salience ("explains Ada Lindqvist" makes her the topic).
        var speakers: [Span] = []
        speakers.reserveCapacity(found.count + turns.count)
        for f in found { if let a = f.attribution { speakers.append(a.speaker) } }
        for t in turns { if let l = t.label { speakers.append(l.name) } }
        var resolver = Resolver(ex: ex, entities: entities, speakers: speakers)
        var out: [Quote] = []
        out.reserveCapacity(found.count + 8)

        // Turn content per paragraph: a quotation marked around a whole turn is that turn, not a second quotation.
        var interviewTurns: [Int: Span] = [:]
        for t in turns { interviewTurns[t.paragraph] = t.content }
        // Speakers are resolved in text order, so that a run of quotations by one speaker stays together.
        var ti = 0
        func flushTurns(before offset: Int) {
            while ti < turns.count, turns[ti].content.start <= offset {
                let t = turns[ti]
                ti += 1
                var speaker: Speaker?
                if let l = t.label {
                    let r = resolver.resolveSpeaker(l.name, tokens: l.nameTokens, pronounInside: false, paragraph: t.paragraph, descriptions: false)
                    // An outlet or a name the tagger did not know is still named as written.
                    speaker = Speaker(span: l.name, name: r.name ?? scalars[l.name.start..<l.name.end].string, entityID: r.id)
                }
                out.append(Quote(span: t.content, kind: t.isQuestion ? .question : .interview,
                                 cue: t.labeled ? t.label?.colon : nil, speaker: speaker))
            }
        }
        for f in found {
            flushTurns(before: f.q.content.start)
            if let turn = interviewTurns[f.q.paragraph], f.kind != .term,
               2 * (min(turn.end, f.q.content.end) - max(turn.start, f.q.content.start)) > turn.end - turn.start
            { continue }
            if f.kind == .term {
                if settings.includeTerms { out.append(Quote(span: f.q.content, kind: .term)) }
                continue
            }
            var speaker: Speaker?
            if let a = f.attribution {
                let r = resolver.resolveSpeaker(a.speaker, tokens: a.speakerTokens, pronounInside: a.pronounInside, paragraph: f.q.paragraph)
                speaker = Speaker(span: a.speaker, name: r.name, entityID: r.id)
            }
            out.append(Quote(span: f.q.content, kind: f.kind, cue: f.attribution?.cue, speaker: speaker))
        }
        flushTurns(before: Int.max)
        out.sort { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.span.end > $1.span.end }
        return QuotesLayer(out)
    }
}

extension ArraySlice where Element == Unicode.Scalar {
    var string: String { String(String.UnicodeScalarView(self)) }
}
