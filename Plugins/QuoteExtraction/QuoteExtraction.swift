import GleanerCore

/// The built-in `quotes` processor: direct quotations, interview turns and their speakers.
public struct QuoteProcessorFactory: ProcessorFactory {
    public init() {}

    public static let descriptor = ProcessorDescriptor(
        name: "quotes", version: "1.1.0", requires: [.paragraphs, .entities], provides: [.quotes, QuoteLanguagesLayer.name],
        summary: "Direct, partial and indirect quotations and interview turns, each attributed to its speaker, per language")

    public var descriptor: ProcessorDescriptor { Self.descriptor }

    /// Options: `include_terms` (bool, default true), `min_speech_words` (1...50, default 5),
    /// `interviews` (bool, default true), `indirect` (bool, default true: reported speech without marks).
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
            interviews: try o.bool("interviews", default: true),
            indirect: try o.bool("indirect", default: true))
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
        let (quotes, coverage) = Self.extractWithCoverage(document, settings: settings)
        document.add(quotes)
        document.add(coverage)
    }

    /// The quotes layer of a document: synchronous, for batch use and benchmarks.
    /// Reads the `paragraphs` layer when present (lines otherwise), the `entities` layer when present, and
    /// the `language` layer to read each part of the document with its own language's word lists.
    public static func extract(_ document: Document, settings: QuoteSettings = QuoteSettings()) -> QuotesLayer {
        extractWithCoverage(document, settings: settings).quotes
    }

    /// The quotes layer and the languages it read (with word lists) or could not read (without).
    public static func extractWithCoverage(_ document: Document, settings: QuoteSettings = QuoteSettings()) -> (quotes: QuotesLayer, coverage: QuoteLanguagesLayer) {
        let scalars = document.text.scalars
        let paragraphs = document[ParagraphsLayer.self]?.paragraphs.map(\.span) ?? paragraphSpans(scalars)
        return extract(scalars: scalars, paragraphs: paragraphs, entities: document[EntitiesLayer.self],
                       language: document[LanguageLayer.self], settings: settings)
    }

    /// The language a document is read in when it has no language layer (the language processor disabled).
    public static let defaultLanguage = "en"

    /// Routes each language region to its own lexicon: one extraction per language, on the paragraphs cut to
    /// that language's regions. A language without word lists gets quotations by their marks, no speakers.
    static func extract(scalars: [Unicode.Scalar], paragraphs: [Span], entities: EntitiesLayer?, language: LanguageLayer?,
                        settings: QuoteSettings) -> (quotes: QuotesLayer, coverage: QuoteLanguagesLayer)
    {
        let documentCode = language.map { $0.code == "und" ? defaultLanguage : $0.code } ?? defaultLanguage
        var groups: [(code: String, spans: [Span])] = []
        for r in language?.regions(length: scalars.count) ?? [LanguageRegion(span: Span(start: 0, end: scalars.count), code: documentCode)] {
            let code = r.code == "und" ? documentCode : r.code
            if let g = groups.firstIndex(where: { $0.code == code }) { groups[g].spans.append(r.span) } else { groups.append((code, [r.span])) }
        }
        var covered: [String] = []
        var notCovered: [String] = []
        var out: [Quote] = []
        for g in groups {
            let lex = Lex.of(g.code)
            if lex.covered { covered.append(lex.code) } else { notCovered.append(g.code) }
            let parts: [Span]
            if groups.count == 1 {
                parts = paragraphs
            } else {
                // Each paragraph cut to this language's regions (both in text order).
                var cut: [Span] = []
                var ri = 0
                for p in paragraphs {
                    while ri < g.spans.count, g.spans[ri].end <= p.start { ri += 1 }
                    var k = ri
                    while k < g.spans.count, g.spans[k].start < p.end {
                        let a = max(p.start, g.spans[k].start), b = min(p.end, g.spans[k].end)
                        if a < b { cut.append(Span(start: a, end: b)) }
                        k += 1
                    }
                }
                parts = cut
            }
            if parts.isEmpty { continue }
            var quotes = extract(scalars: scalars, paragraphs: parts, entities: entities, settings: settings, lexicon: lex)
            if !lex.covered {
                // No word lists for this language: the quotations stand by their marks; no speaker or cue is
                // guessed from another language's words.
                quotes = quotes.compactMap { q in
                    if q.kind == .indirect { return nil }
                    return Quote(span: q.span, kind: q.kind == .interview || q.kind == .question ? .direct : q.kind)
                }
            }
            out += quotes
        }
        if groups.count > 1 {
            out.sort { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.span.end > $1.span.end }
        }
        return (QuotesLayer(out), QuoteLanguagesLayer(covered: covered, notCovered: notCovered))
    }

    /// The quotations of the given paragraphs read with one language's word lists, in text order.
    static func extract(scalars: [Unicode.Scalar], paragraphs: [Span], entities: EntitiesLayer?, settings: QuoteSettings, lexicon: Lex) -> [Quote] {
        let ex = Extractor(scalars: scalars, paragraphs: paragraphs, settings: settings, lexicon: lexicon)
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
        if settings.indirect {
            // Reported speech without marks, resolved apart so that it leaves the marked quotations' speakers as
            // they are (its mentions join the salience of its own resolver only).
            let reported = ex.indirect()
            if !reported.isEmpty {
                var all = speakers
                for f in reported { if let a = f.attribution { all.append(a.speaker) } }
                var indirectResolver = Resolver(ex: ex, entities: entities, speakers: all)
                for f in reported {
                    guard let a = f.attribution else { continue }
                    let r = indirectResolver.resolveSpeaker(a.speaker, tokens: a.speakerTokens, pronounInside: a.pronounInside, paragraph: f.q.paragraph)
                    out.append(Quote(span: f.q.content, kind: .indirect, cue: a.cue, speaker: Speaker(span: a.speaker, name: r.name, entityID: r.id)))
                }
            }
        }
        out.sort { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.span.end > $1.span.end }
        return out
    }
}

extension ArraySlice where Element == Unicode.Scalar {
    var string: String { String(String.UnicodeScalarView(self)) }
}

/// The `quotes_languages` layer: which languages the quote processor read with their own word lists
/// (`covered`) and which it found in the document but has no word lists for (`not_covered`: their
/// quotations are kept by their marks, without speakers).
public struct QuoteLanguagesLayer: Layer {
    public static let name: LayerName = "quotes_languages"
    public var covered: [String]
    public var notCovered: [String]
    public init(covered: [String], notCovered: [String]) {
        self.covered = covered
        self.notCovered = notCovered
    }
    public var spans: [Span] { [] }
    public func jsonValue(in text: DocumentText) -> JSONValue {
        ["covered": .array(covered.map { .string($0) }), "not_covered": .array(notCovered.map { .string($0) })]
    }
}
