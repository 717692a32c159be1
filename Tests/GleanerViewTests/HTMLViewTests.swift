import Foundation
import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerPipeline
import Testing

@testable import GleanerView

/// Elements the view inserts beside the text: they are not part of the document's text.
let inserted: Set<String> = ["spk", "lang-tag", "who"]

@Suite struct HTMLViewStructure {
    @Test func handMadeDocumentRendersEveryAnnotation() throws {
        let doc = handMadeDocument()
        let html = HTMLView.render(doc)
        let root = try HTMLTree.parse(html)
        #expect(root.attr("lang") == "en")
        let article = try #require(root.descendants.first { $0.name == "article" })

        // The text is all there, once, in two paragraphs.
        let paragraphs = article.all { $0.name == "p" }
        #expect(paragraphs.count == 2)
        let shown = paragraphs.map { $0.text(skipping: inserted) }.joined(separator: "\n")
        #expect(shown == doc.text.string)

        // Every quotation is an element with its exact text, and its speaker has a badge.
        let quotes = try #require(doc[QuotesLayer.self]).quotes
        for (i, q) in quotes.enumerated() {
            let element = try #require(article.first(id: "q\(i + 1)"), "quotation \(i + 1) has no element")
            #expect(element.text(skipping: inserted) == doc.text[q.span])
        }
        let badges = article.all { $0.hasClass("spk") }.map { $0.text(skipping: ["sr"]) }
        #expect(badges.sorted() == ["Alice Smith", "Robert Jones", "my mentor"])
        // The badge follows the closing mark: “…hire,” [Alice Smith] said
        #expect(html.contains("hire,</span>”<a class=\"spk\""))
        // A quoted term is discreet: marked, without a badge.
        let term = try #require(article.first(id: "q2"))
        #expect(term.hasClass("term"))
        // The nested quotation sits inside its enclosing one.
        let outer = try #require(article.first(id: "q3"))
        #expect(outer.first(id: "q4") != nil)

        // Entity spans wrap exactly their text; the canonical name and type are on hover.
        let mentions = try #require(doc[EntitiesLayer.self]).mentions
        for (i, m) in mentions.enumerated() {
            let pieces = article.all { $0.attr("data-m") == String(i) }
            #expect(!pieces.isEmpty)
            #expect(pieces.map { $0.text(skipping: inserted) }.joined() == doc.text[m.span])
            #expect(pieces.allSatisfy { $0.attr("title")?.hasPrefix(m.canonical) ?? false })
            #expect(pieces.allSatisfy { $0.hasClass("ent") })
        }
        let firstSmith = try #require(article.all { $0.attr("data-m") == "0" }.first)
        #expect(firstSmith.hasClass("e-per") && firstSmith.attr("title") == "Alice Smith — person")

        // The passage in French is marked with its language.
        let foreign = try #require(article.all { $0.hasClass("foreign") }.first)
        #expect(foreign.attr("lang") == "fr")
        #expect(foreign.text(skipping: inserted) == "C’est la vie")

        // The side panel: speakers with their quotations, entities with their counts.
        let panel = try #require(root.descendants.first { $0.name == "aside" })
        let speakers = panel.all { ($0.attr("id") ?? "").hasPrefix("speaker-") }
        #expect(speakers.count == 3)
        let alice = try #require(speakers.first { $0.text().contains("Alice Smith") })
        #expect(alice.all { $0.name == "a" }.map { $0.attr("href") } == ["#q1"])
        let entities = panel.all { $0.hasClass("entities") }.first?.all { $0.name == "li" } ?? []
        #expect(entities.count == 4)
        #expect(entities.first?.text().contains("Alice Smith") ?? false)
        #expect(entities.first?.all { $0.hasClass("count") }.first?.text() == "2")
        #expect(panel.text().contains("Passages in other languages"))
        #expect(panel.first(id: "processors")?.text().contains("entities") ?? false)
    }

    @Test func paragraphsWithoutTheirLayerComeFromLineBreaks() throws {
        let html = HTMLView.render(handMadeDocument(paragraphsLayer: false))
        let root = try HTMLTree.parse(html)
        let article = try #require(root.descendants.first { $0.name == "article" })
        #expect(article.all { $0.name == "p" }.count == 2)
    }

    @Test func crossingSpansAreSplitAndStayNested() throws {
        // quote [0,11) "Alpha Beta ", entity [6,16) "Beta Gamma", segment [11,30) crossing both,
        // a second entity equal to the quote, and a quote running across the paragraph break.
        let text = "Alpha Beta Gamma Delta Epsilon\nZeta Eta Theta"
        var doc = Document(text: text, name: "cross.txt")
        doc.add(EntitiesLayer([
            EntityMention(span: Span(start: 6, end: 16), type: .misc, entityID: "E1", canonical: "Beta Gamma"),
            EntityMention(span: Span(start: 0, end: 11), type: .person, entityID: "E2", canonical: "Alpha"),
            EntityMention(span: Span(start: 28, end: 36), type: .location, entityID: "E3", canonical: "On Zeta"),
        ]))
        doc.add(QuotesLayer([
            Quote(span: Span(start: 0, end: 11), kind: .direct, speaker: Speaker(span: Span(start: 17, end: 22), name: "Delta")),
            Quote(span: Span(start: 23, end: 40), kind: .partial),
        ]))
        doc.add(LanguageLayer(code: "en", confidence: 0.5, alternatives: [],
                              segments: [LanguageSegment(span: Span(start: 11, end: 30), code: "la", confidence: 0.6)]))
        let html = HTMLView.render(doc)
        let root = try HTMLTree.parse(html)
        let article = try #require(root.descendants.first { $0.name == "article" })
        #expect(article.all { $0.name == "p" }.map { $0.text(skipping: inserted) }.joined(separator: "\n") == text)
        for (i, m) in (doc[EntitiesLayer.self]?.mentions ?? []).enumerated() {
            let pieces = article.all { $0.attr("data-m") == String(i) }
            // The paragraph break inside the last one is not part of any paragraph.
            #expect(pieces.map { $0.text(skipping: inserted) }.joined() == doc.text[m.span].replacingOccurrences(of: "\n", with: ""), "mention \(i)")
        }
        // The quote that runs over the paragraph break has its id on the first piece only.
        #expect(article.all { $0.attr("id") == "q2" }.count == 1)
        let pieces = article.all { $0.hasClass("quote-partial") }
        #expect(pieces.count >= 2)
        #expect(pieces.map { $0.text(skipping: inserted) }.joined() == doc.text[Span(start: 23, end: 40)].replacingOccurrences(of: "\n", with: ""))
        // No quotation without a speaker goes unnoticed.
        #expect(article.all { $0.hasClass("none") }.count == 1)
    }

    @Test func missingAndEmptyLayersStillRender() throws {
        var bare = Document(text: "Just some text.\n\nAnd more.", name: "bare.txt")
        bare.runs = [
            ProcessorRun(name: "language", version: "1", durationMs: 2, outcome: .failed, error: "model missing <here>"),
            ProcessorRun(name: "quotes", version: "1", durationMs: 0, outcome: .skipped),
        ]
        let html = HTMLView.render(bare)
        let root = try HTMLTree.parse(html)
        #expect(root.attr("lang") == "und")
        #expect(root.descendants.contains { $0.hasClass("notice") })
        #expect(html.contains("model missing &lt;here&gt;"))
        #expect(root.descendants.first { $0.name == "article" }?.all { $0.name == "p" }.count == 2)

        var empty = Document(text: "", name: "empty.txt")
        empty.add(EntitiesLayer([]))
        empty.add(QuotesLayer([]))
        empty.add(LanguageLayer(code: "und", confidence: 0, alternatives: []))
        _ = try HTMLTree.parse(HTMLView.render(empty))

        // Spans outside the text (a buggy plugin) are ignored rather than crashing.
        var broken = Document(text: "short", name: "broken.txt")
        broken.add(EntitiesLayer([EntityMention(span: Span(start: 2, end: 99), type: .person, entityID: "E1", canonical: "X")]))
        broken.add(QuotesLayer([Quote(span: Span(start: 50, end: 60), kind: .direct, speaker: Speaker(span: Span(start: 70, end: 80), name: nil))]))
        _ = try HTMLTree.parse(HTMLView.render(broken))
    }

    @Test func interviewTurnsReadAsADialogue() throws {
        let text = "Intro paragraph.\nThe Paper: Why now?\nAlice Ekman: Because it matters.\nAnd it goes on.\nWhat next?\nWe will see."
        var doc = Document(text: text, name: "interview.txt")
        let f = Finder(text: doc.text)
        let paper = f.span("The Paper")
        let alice = f.span("Alice Ekman")
        doc.add(QuotesLayer([
            Quote(span: f.span("Why now?"), kind: .question, speaker: Speaker(span: paper, name: "The Paper")),
            Quote(span: f.span("Because it matters."), kind: .interview, speaker: Speaker(span: alice, name: "Alice Ekman")),
            Quote(span: f.span("And it goes on."), kind: .interview, speaker: Speaker(span: alice, name: "Alice Ekman")),
            Quote(span: f.span("What next?"), kind: .question, speaker: Speaker(span: paper, name: "The Paper")),
            Quote(span: f.span("We will see."), kind: .interview, speaker: Speaker(span: alice, name: "Alice Ekman")),
        ]))
        let root = try HTMLTree.parse(HTMLView.render(doc))
        let turns = root.descendants.filter { $0.hasClass("turn") }
        #expect(turns.map { $0.hasClass("question") } == [true, false, false, true, false])
        // Labels only where the speaker is not already written and the speaker changes.
        let labels = turns.map { $0.all { $0.hasClass("who") }.first?.text() }
        #expect(labels == [nil, nil, nil, "The Paper", "Alice Ekman"])
        // The side panel still lists every turn under its speaker.
        let panel = try #require(root.descendants.first { $0.name == "aside" })
        #expect(panel.all { ($0.attr("href") ?? "").hasPrefix("#q") }.count == 5)
    }
}

extension HTMLViewStructure {
    @Test func turnsMadeOfSentenceQuotesAreOneTurn() throws {
        let text = "Q: Is it true?\nIt is. We checked twice. Nobody doubts it."
        var doc = Document(text: text, name: "turns.txt")
        let f = Finder(text: doc.text)
        let me = Speaker(span: Span(start: 0, end: 1), name: "The Interviewer")
        let her = Speaker(span: f.span("Nobody"), name: "Ann Lee")
        doc.add(QuotesLayer([
            Quote(span: f.span("Is it true?"), kind: .question, speaker: me),
            Quote(span: f.span("It is."), kind: .interview, speaker: her),
            Quote(span: f.span("We checked twice."), kind: .interview, speaker: her),
            Quote(span: f.span("Nobody doubts it."), kind: .interview, speaker: her),
        ]))
        let root = try HTMLTree.parse(HTMLView.render(doc))
        let turns = root.descendants.filter { $0.hasClass("turn") }
        #expect(turns.count == 2)
        #expect(turns.last?.all { $0.hasClass("who") }.first?.text() == "Ann Lee")
        #expect(!root.descendants.contains { $0.hasClass("spk") })
        #expect(root.descendants.filter { $0.hasClass("turn-text") }.count == 4)
    }
}

@Suite struct HTMLViewEscaping {
    @Test func hostileContentIsEscaped() throws {
        let text = "Hello <script>alert(1)</script> and \"><img src=x onerror=alert(1)> said Eve & co.\u{0}"
        let name = "\"><script>alert(2)</script>' onmouseover='alert(3)'.txt"
        var doc = Document(text: text, name: name)
        let f = Finder(text: doc.text)
        doc.add(EntitiesLayer([
            EntityMention(span: f.span("<script>"), type: "<b>EVIL\"", entityID: "\"><i>", canonical: "\"><script>alert(4)</script>"),
            EntityMention(span: f.span("Eve"), type: .person, entityID: "E2", canonical: "Eve' onmouseover='x"),
        ]))
        doc.add(QuotesLayer([
            Quote(span: f.span("<img src=x onerror=alert(1)>"), kind: .direct,
                  speaker: Speaker(span: f.span("Eve"), name: "<b onclick=\"x\">Eve</b>")),
        ]))
        doc.add(LanguageLayer(code: "\"><script>", confidence: 1, alternatives: [LanguageHypothesis(code: "<x>", probability: 2)],
                              segments: [LanguageSegment(span: f.span("Hello"), code: "en\" onclick=\"y", confidence: 1)]))
        doc.add(layer: "evil", json: ["html": "</pre><script>alert(5)</script>"])
        doc.runs = [ProcessorRun(name: "<plugin>", version: "\"1", durationMs: .nan, outcome: .failed, error: "</td><script>")]

        let html = HTMLView.render(doc, title: nil)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<img"))
        #expect(!html.contains("<b>") && !html.contains("<b "))
        #expect(!html.contains("<i>"))
        let root = try HTMLTree.parse(html)  // throws on any unescaped quote, < or > out of place
        let attributes = root.descendants.flatMap { $0.attributes.map(\.0) }
        #expect(!attributes.contains { $0.hasPrefix("on") })
        // The content survives escaping: it reads back exactly.
        let titleElement = try #require(root.descendants.first { $0.name == "title" })
        #expect(titleElement.text().hasPrefix(name))
        #expect(root.descendants.first { $0.name == "h1" }?.text() == name)
        #expect(root.descendants.contains { $0.attr("title") == "\"><script>alert(4)</script> — <b>evil\"" })
        #expect(root.descendants.contains { $0.hasClass("spk") && $0.text(skipping: ["sr"]) == "<b onclick=\"x\">Eve</b>" })
        #expect(root.descendants.contains { $0.name == "pre" && $0.text().contains("</pre><script>alert(5)</script>") })
        // Language codes that are not tags never reach a lang attribute.
        #expect(root.attr("lang") == "und")
        #expect(!root.descendants.contains { $0.attr("lang")?.contains("\"") ?? false })
        let article = try #require(root.descendants.first { $0.name == "article" })
        #expect(article.all { $0.name == "p" }.first?.text(skipping: inserted) == text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"))
    }

    @Test func escapeCoversTheFiveCharacters() {
        #expect(HTMLView.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}

@Suite struct HTMLViewSamples {
    static let samplesDirectory = "/work/shared/samples"

    static func sampleFiles() -> [String] {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let options: [String?] = [
            ProcessInfo.processInfo.environment["GLEANER_SAMPLES"],
            samplesDirectory,
            here.appendingPathComponent("../../Samples").standardized.path,
        ]
        for dir in options.compactMap({ $0 }) {
            if let names = try? FileManager.default.contentsOfDirectory(atPath: dir) {
                let txt = names.filter { $0.hasSuffix(".txt") }.sorted()
                if !txt.isEmpty { return txt.map { (dir as NSString).appendingPathComponent($0) } }
            }
        }
        return []
    }

    /// Runs each sample through the real pipeline, renders it, checks it, and writes it to
    /// `$GLEANER_VIEW_OUT/sample-NNN.html` when that variable is set (docs/screenshots/make.sh).
    /// With `GLEANER_VIEW_DEMO=1`, layers the pending processors leave empty are filled by hand.
    @Test func samplesRenderThroughTheRealPipeline() async throws {
        let files = Self.sampleFiles()
        try #require(!files.isEmpty, "no samples found")
        let config = try ConfigurationLoader.load(path: nil)
        let pipeline = try await PipelineBuilder.build(config, registry: BuiltinProcessors.registry)
        let reader = DocumentReader(maxBytes: config.input.maxBytes)
        let env = ProcessInfo.processInfo.environment
        let demo = env["GLEANER_VIEW_DEMO"] == "1"
        var entries: [IndexEntry] = []
        for path in files {
            let name = (path as NSString).lastPathComponent
            var doc = await pipeline.run(try reader.read(path: path, name: name))
            if demo { addDemoLayers(&doc, sample: name) }
            let html = HTMLView.render(doc)
            let root = try HTMLTree.parse(html)
            let article = try #require(root.descendants.first { $0.name == "article" })
            // Every line of the sample is a paragraph, and all the text is shown.
            let lines = doc.text.string.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let shown = article.descendants.filter { $0.name == "p" && !$0.hasClass("who") }
            #expect(shown.count == lines.count, "\(name)")
            #expect(shown.map { $0.text(skipping: inserted) } == lines.map { $0.trimmingCharacters(in: .whitespaces) })
            // Each quotation present, with its speaker beside it or in the dialogue.
            let quotes = doc[QuotesLayer.self]?.quotes ?? []
            let panel = try #require(root.descendants.first { $0.name == "aside" })
            for (i, q) in quotes.enumerated() {
                let element = try #require(article.first(id: "q\(i + 1)"))
                #expect(element.text(skipping: inserted) == doc.text[q.span])
                if q.kind != .term, let speaker = q.speaker {
                    let who = speaker.name ?? doc.text[speaker.span]
                    let entry = panel.all { ($0.attr("id") ?? "").hasPrefix("speaker-") }
                        .first { $0.all { $0.attr("href") == "#q\(i + 1)" }.count == 1 }
                    #expect(entry?.text().contains(who) ?? false, "quotation \(i + 1) of \(name) lacks its speaker \(who)")
                }
            }
            for (i, m) in (doc[EntitiesLayer.self]?.mentions ?? []).enumerated() {
                let pieces = article.all { $0.attr("data-m") == String(i) }
                #expect(pieces.map { $0.text(skipping: inserted) }.joined() == doc.text[m.span])
            }
            if let out = env["GLEANER_VIEW_OUT"], !out.isEmpty {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let stem = String(name.prefix { $0 != "_" })
                try html.write(toFile: (out as NSString).appendingPathComponent("sample-\(stem).html"), atomically: true, encoding: .utf8)
                entries.append(OutboxIndex.entry(for: doc, htmlPath: "sample-\(stem).html", jsonPath: name + ".json"))
            }
        }
        if let out = env["GLEANER_VIEW_OUT"], !out.isEmpty {
            // The outbox index of the samples, with a made-up failure so both lists show.
            let failed = [FailedEntry(name: "scans/report 2024.pdf", reason: "unsupported-type: application/pdf is not text",
                                      time: Date(timeIntervalSinceNow: -3600))]
            let index = OutboxIndex.render(entries: entries, failed: failed, generatedAt: Date())
            _ = try HTMLTree.parse(index)
            try index.write(toFile: (out as NSString).appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        }
        await pipeline.shutdown()
    }

    @Test func demoLayersForTheSamplesAreConsistent() async throws {
        // The hand-made layers used for screenshots must themselves point at the right text.
        for path in Self.sampleFiles() {
            let name = (path as NSString).lastPathComponent
            var doc = try DocumentReader(maxBytes: 1 << 20).read(path: path, name: name)
            addDemoLayers(&doc, sample: name)
            let quotes = doc[QuotesLayer.self]?.quotes ?? []
            #expect(quotes.count >= 5)
            #expect(quotes.allSatisfy { !$0.span.isEmpty })
            #expect(quotes.contains { $0.kind == .interview } && quotes.contains { $0.kind == .question })
            _ = try HTMLTree.parse(HTMLView.render(doc))
        }
    }
}

@Suite struct HTMLViewScale {
    /// A long document with many annotations renders in time linear in its size.
    @Test func largeDocumentRendersQuickly() throws {
        let paragraph = "Alice Smith told Acme Corp in Paris: “We will grow, and the Acme Corp board agrees,” she said. Then “more”.\n"
        let count = 4000
        let text = String(repeating: paragraph, count: count)
        var doc = Document(text: text, name: "big.txt")
        let f = Finder(text: doc.text)
        doc.add(EntitiesLayer(mentions(in: doc.text, [
            ("Alice Smith", .person, "Alice Smith"), ("Acme Corp", .organization, "Acme"), ("Paris", .location, "Paris"),
        ])))
        let starts = f.all("We will grow").map(\.start)
        let ends = f.all("agrees,").map(\.end)
        let speakers = f.all("she")
        let terms = f.all("more")
        var quotes: [Quote] = []
        for i in 0..<min(starts.count, ends.count, speakers.count, terms.count) {
            quotes.append(Quote(span: Span(start: starts[i], end: ends[i]), kind: .direct,
                                speaker: Speaker(span: speakers[i], name: "Alice Smith", entityID: "E1")))
            quotes.append(Quote(span: terms[i], kind: .term))
        }
        doc.add(QuotesLayer(quotes))
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = HTMLView.render(doc) }
        print("rendered \(doc.text.count) scalars, \(quotes.count) quotes, \(doc[EntitiesLayer.self]?.mentions.count ?? 0) mentions in \(elapsed): \(html.utf8.count) bytes")
        #expect(elapsed < .seconds(20))
        #expect(html.components(separatedBy: "<a class=\"spk\"").count == count + 1)
    }

    @Test func badgeOfAQuoteEndingBetweenParagraphsStaysWithIt() throws {
        let text = "He said: “Go now.”\n\nNext paragraph."
        var doc = Document(text: text, name: "gap.txt")
        let f = Finder(text: doc.text)
        // A sloppy span running over the closing mark and the blank line.
        doc.add(QuotesLayer([Quote(span: Span(start: f.span("Go").start, end: f.span("Next").start), kind: .direct,
                                   speaker: Speaker(span: f.span("He"), name: "Him"))]))
        let root = try HTMLTree.parse(HTMLView.render(doc))
        let paragraphs = root.descendants.filter { $0.name == "p" && $0.parent?.name == "article" }
        #expect(paragraphs.count == 2)
        #expect(paragraphs.first?.all { $0.hasClass("spk") }.count == 1)
    }
}
