import Foundation
import GleanerCore

/// Finds spans by their text, so hand-made layers read like the text they mark.
struct Finder {
    let text: DocumentText

    /// Every occurrence of `needle`, left to right, not overlapping.
    func all(_ needle: String) -> [Span] {
        let n = Array(needle.unicodeScalars)
        let s = text.scalars
        guard !n.isEmpty, n.count <= s.count else { return [] }
        var out: [Span] = []
        var i = 0
        while i + n.count <= s.count {
            if s[i] == n[0] && Array(s[i..<i + n.count]) == n {
                out.append(Span(start: i, end: i + n.count))
                i += n.count
            } else {
                i += 1
            }
        }
        return out
    }

    /// The `occurrence`-th span of `needle` (0-based); fails the caller's expectation by returning an empty span.
    func span(_ needle: String, _ occurrence: Int = 0, after: Int = 0) -> Span {
        let found = all(needle).filter { $0.start >= after }
        return occurrence < found.count ? found[occurrence] : Span(start: 0, end: 0)
    }

    /// A quotation's content: from `prefix` to just before the next closing mark in `closers`.
    func quoted(_ prefix: String, closers: Set<Unicode.Scalar> = ["”"], after: Int = 0) -> Span {
        let start = span(prefix, after: after)
        var end = start.end
        while end < text.count && !closers.contains(text.scalars[end]) { end += 1 }
        return Span(start: start.start, end: end)
    }
}

/// Entity mentions from a list of (surface form, type, canonical): longest forms claim text first.
func mentions(in text: DocumentText, _ list: [(String, EntityType, String)]) -> [EntityMention] {
    let finder = Finder(text: text)
    var ids: [String: String] = [:]
    var taken = [Bool](repeating: false, count: text.count)
    var out: [EntityMention] = []
    for (form, type, canonical) in list.sorted(by: { $0.0.count > $1.0.count }) {
        let id = ids[canonical] ?? "E\(ids.count + 1)"
        ids[canonical] = id
        for span in finder.all(form) where !taken[span.range].contains(true) {
            // Whole words only.
            let before = span.start > 0 ? text.scalars[span.start - 1] : " "
            let after = span.end < text.count ? text.scalars[span.end] : " "
            if before.properties.isAlphabetic || after.properties.isAlphabetic { continue }
            for k in span.range { taken[k] = true }
            out.append(EntityMention(span: span, type: type, entityID: id, canonical: canonical))
        }
    }
    return out.sorted { $0.span < $1.span }
}

/// A short document with every kind of annotation, including nesting.
func handMadeDocument(name: String = "report.txt", paragraphsLayer: Bool = true) -> Document {
    let text = """
        Alice Smith met the Acme Corp board in Paris. “We will grow, and Acme Corp will hire,” said Smith. The so-called “synergies” were discussed.
        Bob Jones replied: “I doubt it. As my mentor said, ‘never trust a forecast’ and I agree.” C’est la vie, he added.
        """
    var doc = Document(text: text, name: name)
    let f = Finder(text: doc.text)
    doc.add(EntitiesLayer(mentions(in: doc.text, [
        ("Alice Smith", .person, "Alice Smith"), ("Smith", .person, "Alice Smith"),
        ("Acme Corp", .organization, "Acme Corporation"), ("Paris", .location, "Paris"),
        ("Bob Jones", .person, "Robert Jones"),
    ])))
    doc.add(QuotesLayer([
        Quote(span: f.quoted("We will grow"), kind: .direct, cue: f.span("said"),
              speaker: Speaker(span: f.span("Smith", 1), name: "Alice Smith", entityID: "E1")),
        Quote(span: f.span("synergies"), kind: .term),
        Quote(span: f.quoted("I doubt it"), kind: .direct, cue: f.span("replied"),
              speaker: Speaker(span: f.span("Bob Jones"), name: "Robert Jones", entityID: "E3")),
        Quote(span: f.quoted("never trust", closers: ["’"]), kind: .partial, cue: f.span("said", 1),
              speaker: Speaker(span: f.span("my mentor"), name: nil)),
    ]))
    doc.add(LanguageLayer(
        code: "en", confidence: 0.97,
        alternatives: [LanguageHypothesis(code: "en", probability: 0.97), LanguageHypothesis(code: "fr", probability: 0.02)],
        segments: [LanguageSegment(span: f.span("C’est la vie"), code: "fr", confidence: 0.88)]))
    if paragraphsLayer {
        let nl = f.span("\n")
        doc.add(ParagraphsLayer([
            Paragraph(span: Span(start: 0, end: nl.start), sentences: 0..<0),
            Paragraph(span: Span(start: nl.end, end: doc.text.count), sentences: 0..<0),
        ]))
    }
    doc.runs = [
        ProcessorRun(name: "segmenter", version: "1.0.0", durationMs: 0.4, outcome: .ok),
        ProcessorRun(name: "language", version: "1.0.0", durationMs: 1.2, outcome: .ok),
        ProcessorRun(name: "entities", version: "1.0.0", durationMs: 3.5, outcome: .ok),
        ProcessorRun(name: "quotes", version: "1.0.0", durationMs: 0.9, outcome: .ok),
    ]
    return doc
}

/// Realistic layers for the two samples, standing in for processors still pending on main.
/// Paragraph, token and sentence layers come from the real pipeline; only missing or empty
/// language, entity and quote layers are filled in.
func addDemoLayers(_ doc: inout Document, sample: String) {
    let f = Finder(text: doc.text)
    let is000 = sample.hasPrefix("000")
    if (doc[EntitiesLayer.self]?.mentions ?? []).isEmpty {
        var list: [(String, EntityType, String)] = [
            ("Xi Jinping", .person, "Xi Jinping"), ("Xi", .person, "Xi Jinping"),
            ("Vladimir Putin", .person, "Vladimir Putin"), ("Putin", .person, "Vladimir Putin"),
            ("Vladimir Poutine", .person, "Vladimir Putin"),
            ("Emmanuel Macron", .person, "Emmanuel Macron"), ("Alice Ekman", .person, "Alice Ekman"),
            ("Frédéric Charillon", .person, "Frédéric Charillon"),
            ("Beijing", .location, "Beijing"), ("Moscow", .location, "Moscow"), ("Russia", .location, "Russia"),
            ("China", .location, "China"), ("Ukraine", .location, "Ukraine"), ("Serbia", .location, "Serbia"),
            ("Hungary", .location, "Hungary"), ("France", .location, "France"), ("United States", .location, "United States"),
            ("Crimea", .location, "Crimea"), ("Iran", .location, "Iran"), ("North Korea", .location, "North Korea"),
            ("Venezuela", .location, "Venezuela"), ("Pyongyang", .location, "Pyongyang"), ("Uzbekistan", .location, "Uzbekistan"),
            ("Washington", .location, "Washington"), ("Japan", .location, "Japan"), ("Europe", .location, "Europe"),
            ("Kremlin", .organization, "Kremlin"), ("European Union", .organization, "European Union"),
            ("Institute for Security Studies", .organization, "EU Institute for Security Studies"),
            ("L’Express", .organization, "L’Express"), ("franceinfo", .organization, "franceinfo"),
            ("Essec", .organization, "ESSEC Business School"), ("Sciences Po", .organization, "Sciences Po"),
            ("Shanghai Cooperation Organization", .organization, "Shanghai Cooperation Organization"),
            ("UN", .organization, "United Nations"), ("Tracts Gallimard", .organization, "Gallimard"),
            ("May 16", .date, "May 16"), ("last March", .date, "last March"), ("March 2023", .date, "March 2023"),
            ("Thursday 15 September", .date, "15 September"), ("2023", .date, "2023"), ("2014", .date, "2014"),
            ("240 billion dollars", .money, "240 billion dollars"), ("222 billion euros", .money, "222 billion euros"),
            ("Russian", .misc, "Russian"), ("Chinese", .misc, "Chinese"),
        ]
        if !is000 { list.removeAll { $0.0 == "Xi" } }
        doc.add(EntitiesLayer(mentions(in: doc.text, list)))
    }
    if (doc[QuotesLayer.self]?.quotes ?? []).isEmpty {
        var quotes: [Quote] = []
        var paragraphs = doc[ParagraphsLayer.self]?.paragraphs.map(\.span) ?? []
        if paragraphs.isEmpty {
            var start = 0
            for (i, c) in doc.text.scalars.enumerated() where c == "\n" {
                if i > start { paragraphs.append(Span(start: start, end: i)) }
                start = i + 1
            }
            if start < doc.text.count { paragraphs.append(Span(start: start, end: doc.text.count)) }
        }
        func terms(_ list: [String]) {
            for t in list { for s in f.all("“" + t + "”") { quotes.append(Quote(span: Span(start: s.start + 1, end: s.end - 1), kind: .term)) } }
        }
        /// Paragraphs after the interview starts: questions end with "?", the rest are answers.
        func interview(from marker: String, asker: Span, askerName: String, answerer: Span, answererName: String) {
            let startAt = f.span(marker).start
            for p in paragraphs where p.start >= startAt {
                let content = doc.text[p]
                if content.hasPrefix(">>") || content.count < 3 { continue }
                var start = p.start
                if let colon = content.unicodeScalars.firstIndex(of: ":"), content.unicodeScalars.distance(from: content.unicodeScalars.startIndex, to: colon) < 80,
                   content.hasPrefix(marker) || content.hasPrefix(answererName) {
                    start = p.start + content.unicodeScalars.distance(from: content.unicodeScalars.startIndex, to: colon) + 2
                }
                let isQuestion = content.trimmingCharacters(in: .whitespaces).hasSuffix("?")
                quotes.append(Quote(
                    span: Span(start: start, end: p.end), kind: isQuestion ? .question : .interview,
                    speaker: isQuestion ? Speaker(span: asker, name: askerName) : Speaker(span: answerer, name: answererName, entityID: nil)))
            }
        }
        if is000 {
            quotes.append(Quote(span: f.quoted("is not only in the fundamental"), kind: .direct, cue: f.span("said the"),
                                speaker: Speaker(span: f.span("the Chinese No. 1"), name: "Xi Jinping")))
            quotes.append(Quote(span: f.quoted("Together, we support"), kind: .direct, cue: f.span("declared"),
                                speaker: Speaker(span: f.span("Putin", 2), name: "Vladimir Putin")))
            quotes.append(Quote(span: f.quoted("the end of the war in Ukraine must not"), kind: .direct, cue: f.span("underlines"),
                                speaker: Speaker(span: f.span("Alice Ekman"), name: "Alice Ekman")))
            quotes.append(Quote(span: f.quoted("continue to support Moscow"), kind: .partial, cue: f.span("according to the sinologist"),
                                speaker: Speaker(span: f.span("the sinologist"), name: nil)))
            quotes.append(Quote(span: f.quoted("the China-Russia relationship today"), kind: .direct, cue: f.span("declares"),
                                speaker: Speaker(span: f.span("Xi Jinping declares"), name: "Xi Jinping")))
            terms(["friends", "re-election", "pariah state", "dual-use", "West", "trade normally", "vassalize", "weak link",
                   "world order", "alliances"])
            interview(from: "L’Express:", asker: f.span("L’Express"), askerName: "L’Express",
                      answerer: f.span("Alice Ekman", 1), answererName: "Alice Ekman")
        } else {
            let charillon = f.span("Frédéric Charillon")
            quotes.append(Quote(span: f.quoted("an opportunity", closers: ["“"]), kind: .partial, cue: f.span("explains"),
                                speaker: Speaker(span: charillon, name: "Frédéric Charillon")))
            quotes.append(Quote(span: f.quoted("to prove that he is not alone"), kind: .partial, cue: f.span("explains"),
                                speaker: Speaker(span: charillon, name: "Frédéric Charillon")))
            quotes.append(Quote(span: f.quoted("it is above all an embarrassment"), kind: .partial,
                                speaker: Speaker(span: f.span("him"), name: nil)))
            quotes.append(Quote(span: f.quoted("that is losing ground"), kind: .partial,
                                speaker: Speaker(span: f.span("him"), name: nil)))
            quotes.append(Quote(span: f.quoted("we are not alone, no"), kind: .direct, cue: f.span("saying")))
            interview(from: "franceinfo:", asker: f.span("franceinfo", 1), askerName: "franceinfo",
                      answerer: f.span("Frédéric Charillon", 1), answererName: "Frédéric Charillon")
        }
        doc.add(QuotesLayer(quotes.sorted { $0.span < $1.span }))
    }
    if doc[LanguageLayer.self].map({ $0.code == "und" }) ?? true {
        var segments: [LanguageSegment] = []
        if !is000 { segments.append(LanguageSegment(span: f.span("Vladimir Poutine"), code: "fr", confidence: 0.71)) }
        doc.add(LanguageLayer(
            code: "en", confidence: is000 ? 0.998 : 0.991,
            alternatives: [LanguageHypothesis(code: "en", probability: is000 ? 0.998 : 0.991),
                           LanguageHypothesis(code: "fr", probability: is000 ? 0.001 : 0.006),
                           LanguageHypothesis(code: "nl", probability: 0.001)],
            segments: segments))
    }
}
