import Foundation
import GleanerCore

/// Renders one annotated document as a self-contained HTML page: the text with
/// its entities, quotations and foreign passages marked, and a side panel of
/// speakers, entities and processor runs. No scripts, no network, every piece
/// of document content escaped.
public enum HTMLView {
    /// Escapes text for HTML content and double-quoted attribute values.
    public static func escape(_ s: String) -> String { HTMLText.escape(s) }

    /// The page for `document`; `title` defaults to the document's source name.
    public static func render(_ document: Document, title: String? = nil) -> String {
        var page = Page(document: document)
        // The headline the document states (source.title), else its file name.
        return page.render(title: title ?? document.metadata.title ?? document.metadata.sourceName)
    }
}

// MARK: - The model the page is drawn from

/// Who a speaker is, for grouping their quotations.
struct SpeakerInfo {
    var key: String
    /// The resolved name, or the mention as written.
    var display: String
    var resolved: Bool
    var quotes: [Int]
}

struct EntityInfo {
    var id: String
    var canonical: String
    var type: EntityType
    var count: Int
    /// Surface forms with their counts, most frequent first.
    var forms: [(String, Int)]
    var firstMention: Int
}

/// Quote kinds that are turns of an interview.
extension QuoteKind {
    var isTurn: Bool { self == .interview || self == .question }
    var isSpeech: Bool { self != .term }
}

struct Page {
    let document: Document
    let scalars: [Unicode.Scalar]
    let quotes: [Quote]
    let mentions: [EntityMention]
    let language: LanguageLayer?
    // Derived once: the page refers to them many times.
    var paragraphs: [Range<Int>] = []
    var speakers: [SpeakerInfo] = []
    var entities: [EntityInfo] = []
    /// For each paragraph, the interview turn it belongs to (index into `quotes`).
    var turns: [Int?] = []
    var turnQuotes: Set<Int> = []
    /// Speaker key → its number in the side panel (`#speaker-N`).
    var speakerNumbers: [String: Int] = [:]
    /// External plugins' layers with render hints.
    var plugins: [PluginRendering] = []
    var out = ""

    init(document: Document) {
        self.document = document
        self.scalars = document.text.scalars
        // Clamp everything to the text, so a faulty layer can never index outside it.
        let n = document.text.count
        func valid(_ s: Span) -> Bool { s.start >= 0 && s.end <= n && s.start < s.end }
        self.quotes = (document[QuotesLayer.self]?.quotes ?? []).filter { valid($0.span) }
        self.mentions = (document[EntitiesLayer.self]?.mentions ?? []).filter { valid($0.span) }
        self.language = document[LanguageLayer.self]
        self.paragraphs = computeParagraphs()
        self.speakers = computeSpeakers()
        self.entities = computeEntities()
        (self.turns, self.turnQuotes) = computeTurns()
        self.plugins = PluginRendering.of(document)
        self.speakerNumbers = Dictionary(speakers.enumerated().map { ($0.element.key, $0.offset + 1) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Derived facts

    func speakerKey(_ s: Speaker) -> String {
        // The name first: one person may come with and without an entity id.
        if let name = s.name, !HTMLText.oneLine(name).isEmpty { return "name:" + HTMLText.oneLine(name).lowercased() }
        if let id = s.entityID, !id.isEmpty { return "id:" + id }
        return "text:" + HTMLText.oneLine(document.text[s.span]).lowercased()
    }

    func speakerName(_ s: Speaker) -> (String, resolved: Bool) {
        if let name = s.name, !HTMLText.oneLine(name).isEmpty { return (HTMLText.oneLine(name), true) }
        let written = HTMLText.oneLine(document.text[s.span], limit: 60)
        return (written.isEmpty ? "unnamed" : written, false)
    }

    /// Speakers in order of their number of quotations, then of first appearance.
    func computeSpeakers() -> [SpeakerInfo] {
        var order: [String] = []
        var byKey: [String: SpeakerInfo] = [:]
        for (i, q) in quotes.enumerated() where q.kind.isSpeech {
            guard let s = q.speaker else { continue }
            let key = speakerKey(s)
            if byKey[key] == nil {
                let (name, resolved) = speakerName(s)
                byKey[key] = SpeakerInfo(key: key, display: name, resolved: resolved, quotes: [])
                order.append(key)
            }
            byKey[key]?.quotes.append(i)
            // A later resolved mention names the speaker better than "he".
            if let info = byKey[key], !info.resolved {
                let (name, resolved) = speakerName(s)
                if resolved { byKey[key]?.display = name; byKey[key]?.resolved = true }
            }
        }
        let list = order.compactMap { byKey[$0] }
        return list.enumerated().sorted { a, b in
            a.element.quotes.count != b.element.quotes.count
                ? a.element.quotes.count > b.element.quotes.count : a.offset < b.offset
        }.map(\.element)
    }

    func computeEntities() -> [EntityInfo] {
        var order: [String] = []
        var byID: [String: EntityInfo] = [:]
        var forms: [String: [String: Int]] = [:]
        var formOrder: [String: [String]] = [:]
        for (i, m) in mentions.enumerated() {
            let id = m.entityID.isEmpty ? "mention-\(i)" : m.entityID
            if byID[id] == nil {
                let canonical = HTMLText.oneLine(m.canonical, limit: 120)
                byID[id] = EntityInfo(
                    id: id, canonical: canonical.isEmpty ? HTMLText.oneLine(document.text[m.span], limit: 120) : canonical,
                    type: m.type, count: 0, forms: [], firstMention: i)
                order.append(id)
            }
            byID[id]?.count += 1
            let form = HTMLText.oneLine(document.text[m.span], limit: 120)
            if forms[id]?[form] == nil { formOrder[id, default: []].append(form) }
            forms[id, default: [:]][form, default: 0] += 1
        }
        var list = order.compactMap { id -> EntityInfo? in
            guard var info = byID[id] else { return nil }
            let counts = forms[id] ?? [:]
            info.forms = (formOrder[id] ?? []).map { ($0, counts[$0] ?? 0) }.enumerated()
                .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
                .map(\.element)
            return info
        }
        list = list.enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset
        }.map(\.element)
        return list
    }

    /// Paragraph ranges: the paragraphs layer when present, else blank lines or line breaks,
    /// and any text the layer leaves out, so no text is ever dropped from the view.
    func computeParagraphs() -> [Range<Int>] {
        let n = scalars.count
        var ranges: [Range<Int>] = []
        let layer = (document[ParagraphsLayer.self]?.paragraphs ?? []).map(\.span).sorted()
        var covered = 0
        for span in layer {
            let start = max(span.start, covered, 0)
            let end = min(span.end, n)
            guard start < end else { continue }
            ranges.append(contentsOf: fallbackParagraphs(covered..<start))
            if let trimmed = trim(start..<end) { ranges.append(trimmed) }
            covered = end
        }
        ranges.append(contentsOf: fallbackParagraphs(covered..<n))
        return ranges
    }

    func trim(_ r: Range<Int>) -> Range<Int>? {
        var a = r.lowerBound
        var b = r.upperBound
        while a < b && scalars[a].properties.isWhitespace { a += 1 }
        while b > a && scalars[b - 1].properties.isWhitespace { b -= 1 }
        return a < b ? a..<b : nil
    }

    /// Splits at blank lines when the text has them, else at every line break.
    func fallbackParagraphs(_ r: Range<Int>) -> [Range<Int>] {
        guard r.lowerBound < r.upperBound else { return [] }
        var hasBlankLine = false
        var i = r.lowerBound
        while i + 1 < r.upperBound {
            if scalars[i] == "\n" {
                var j = i + 1
                while j < r.upperBound && (scalars[j] == " " || scalars[j] == "\t" || scalars[j] == "\r") { j += 1 }
                if j < r.upperBound && scalars[j] == "\n" { hasBlankLine = true; break }
            }
            i += 1
        }
        var result: [Range<Int>] = []
        var start = r.lowerBound
        var k = r.lowerBound
        while k < r.upperBound {
            if scalars[k] == "\n" || scalars[k] == "\u{2029}" {
                var end = k + 1
                var isBreak = !hasBlankLine
                if hasBlankLine {
                    var j = k + 1
                    while j < r.upperBound && (scalars[j] == " " || scalars[j] == "\t" || scalars[j] == "\r") { j += 1 }
                    if j < r.upperBound && scalars[j] == "\n" { isBreak = true; end = j + 1 }
                }
                if isBreak {
                    if let t = trim(start..<k) { result.append(t) }
                    start = end
                    k = end
                    continue
                }
            }
            k += 1
        }
        if let t = trim(start..<r.upperBound) { result.append(t) }
        return result
    }

    // MARK: Page

    mutating func render(title: String) -> String {
        out.reserveCapacity(scalars.count * 3 + 16_384)
        let lang = language.flatMap { HTMLText.languageTag($0.code) }
        out += "<!DOCTYPE html>\n<html lang=\"\(lang ?? "und")\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Defence in depth: even if something slipped through escaping, no script or fetch could run.
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        out += "<meta name=\"generator\" content=\"Gleaner \(HTMLText.escape(GleanerVersion.current))\">\n"
        out += "<title>\(HTMLText.escape(HTMLText.oneLine(title, limit: 200))) — Gleaner</title>\n"
        out += "<style>\(Style.page)</style>\n</head>\n<body>\n"
        header(title: title)
        out += "<div class=\"layout\">\n<main id=\"text\" class=\"text-col\">\n"
        notices()
        messageHeaders()
        legend()
        body()
        out += "</main>\n<aside class=\"panel\" id=\"summary\" aria-label=\"Summary\">\n"
        speakersPanel()
        entitiesPanel()
        languagePanel()
        processorsPanel()
        metadataPanel()
        otherLayersPanel()
        out += "</aside>\n</div>\n"
        out += "<footer><p>Made by Gleaner \(HTMLText.escape(GleanerVersion.current)) · offsets are Unicode scalars · <a href=\"#text\">back to the text</a></p></footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    mutating func header(title: String) {
        let speech = quotes.filter { $0.kind.isSpeech }.count
        let speakerCount = speakers.count
        let entityCount = entities.count
        let m = document.metadata
        var kicker = "Gleaner · annotated document"
        if title != m.sourceName { kicker += " · " + HTMLText.escape(m.sourceName) }
        let byline = [m.authors.isEmpty ? nil : m.authors.joined(separator: ", "), m.outlet, m.published].compactMap { $0 }
        out += "<header class=\"top\"><div class=\"wrap\">\n<p class=\"kicker\">\(kicker)</p>\n"
        out += "<h1>\(HTMLText.escape(HTMLText.oneLine(title, limit: 300)))</h1>\n"
        if !byline.isEmpty { out += "<p class=\"byline\">\(HTMLText.escape(byline.joined(separator: " · ")))</p>\n" }
        out += "<p class=\"facts\">"
        if let language {
            out += "<span class=\"fact lang-fact\" title=\"Detected language\">\(languageLabel(language.code))"
            if language.code != "und" { out += " <span class=\"muted\">\(HTMLText.percent(language.confidence))</span>" }
            out += "</span>"
        } else {
            out += "<span class=\"fact muted\">language not detected</span>"
        }
        if document[QuotesLayer.self] != nil {
            out += "<span class=\"fact\">\(speech) quotation\(speech == 1 ? "" : "s") · \(speakerCount) speaker\(speakerCount == 1 ? "" : "s")</span>"
        }
        if document[EntitiesLayer.self] != nil {
            out += "<span class=\"fact\">\(entityCount) entit\(entityCount == 1 ? "y" : "ies") · \(mentions.count) mention\(mentions.count == 1 ? "" : "s")</span>"
        }
        out += "<span class=\"fact muted\">\(document.text.count) characters</span>"
        out += "<a class=\"fact jump\" href=\"#summary\">Speakers and entities ↓</a>"
        out += "</p>\n</div></header>\n"
    }

    mutating func notices() {
        // Text in a language without an entity model is left untagged, never read with another language's model.
        if let coverage = document[EntityLanguagesLayer.self], !coverage.notCovered.isEmpty {
            out += "<p class=\"notice\" role=\"note\">No entities tagged in text in "
            out += coverage.notCovered.map { languageLabel($0) }.joined(separator: ", ") + ": Gleaner has no entity model for it.</p>\n"
        }
        let problems = document.runs.filter { $0.outcome != .ok }
        var missing: [String] = []
        if document[LanguageLayer.self] == nil { missing.append("language") }
        if document[EntitiesLayer.self] == nil { missing.append("entities") }
        if document[QuotesLayer.self] == nil { missing.append("quotations") }
        guard !problems.isEmpty || !missing.isEmpty else { return }
        out += "<div class=\"notice\" role=\"note\"><p><strong>Incomplete annotations.</strong> "
        if !missing.isEmpty {
            out += "Not available: \(missing.joined(separator: ", ")). "
        }
        if !problems.isEmpty {
            out += "See <a href=\"#processors\">processors</a>: "
            out += problems.map { "<code>\(HTMLText.escape($0.name))</code> \($0.outcome.rawValue)" }.joined(separator: ", ")
            out += "."
        }
        out += "</p></div>\n"
    }

    /// An e-mail's headers (From, To, Date, Subject…), above its text.
    mutating func messageHeaders() {
        let headers = document.metadata.headers
        guard !headers.isEmpty else { return }
        out += "<section class=\"mail\" aria-label=\"Message headers\"><dl class=\"meta\">"
        for h in headers {
            out += "<dt>\(HTMLText.escape(h.name))</dt><dd class=\"break\">\(HTMLText.escape(h.value))</dd>"
        }
        out += "</dl></section>\n"
    }

    mutating func legend() {
        let types = orderedTypes(Set(mentions.map(\.type)))
        let kinds = Set(quotes.map(\.kind))
        let hasSegments = !(language?.segments.isEmpty ?? true)
        let highlighted = plugins.filter { !$0.highlights.isEmpty }
        guard !types.isEmpty || !kinds.isEmpty || hasSegments || !highlighted.isEmpty else { return }
        out += "<ul class=\"legend\" aria-label=\"Legend\">\n"
        for t in types {
            out += "<li><span class=\"ent \(EntityStyle.cssClass(t))\">\(HTMLText.escape(EntityStyle.label(t)))</span></li>"
        }
        if kinds.contains(.direct) || kinds.contains(.partial) || kinds.contains(.indirect) {
            out += "<li><span class=\"quote\">quotation</span><span class=\"spk\">speaker</span></li>"
        }
        if kinds.contains(.interview) || kinds.contains(.question) { out += "<li><span class=\"turn-chip\">interview turn</span></li>" }
        if kinds.contains(.term) { out += "<li><span class=\"term\">quoted term</span></li>" }
        if hasSegments { out += "<li><span class=\"foreign\"><span class=\"lang-tag\">xx</span>other language</span></li>" }
        for r in highlighted {
            let colour = PluginRendering.palette[r.index % PluginRendering.palette.count]
            out += "<li><span class=\"plugin\" style=\"background:\(colour)\">\(HTMLText.escape(r.label))</span> <span class=\"muted small\">\(r.highlights.count)</span></li>"
        }
        out += "\n</ul>\n"
    }

    func orderedTypes(_ set: Set<EntityType>) -> [EntityType] {
        let known = EntityStyle.known.filter { set.contains($0) }
        let others = set.subtracting(EntityStyle.known).sorted { $0.rawValue < $1.rawValue }
        return known + others
    }

    func languageLabel(_ code: String) -> String {
        let safe = HTMLText.escape(code)
        if code == "und" { return "undetermined language" }
        if let name = LanguageNames.name(code) { return "\(name) <span class=\"code\">\(safe)</span>" }
        return "<span class=\"code\">\(safe)</span>"
    }

    // MARK: Text

    mutating func body() {
        let (marks, badges) = buildMarks()
        // Interview turns: which paragraphs are a question or an answer, and by whom.
        var previousTurn: (kind: QuoteKind, key: String)?
        out += "<article class=\"doc\" aria-labelledby=\"h-text\">\n<h2 id=\"h-text\" class=\"sr\">Text</h2>\n"
        if paragraphs.isEmpty { out += "<p class=\"muted\">This document has no text.</p>\n" }
        // Each paragraph gets only the marks that touch it, so long documents stay linear.
        var markBuckets = [[Mark]](repeating: [], count: paragraphs.count)
        for mark in marks {
            for p in paragraphIndices(mark.start, mark.end) { markBuckets[p].append(mark) }
        }
        var badgeBuckets = [[Insertion]](repeating: [], count: paragraphs.count)
        for badge in badges {
            // A badge right at a paragraph's end belongs to that paragraph.
            // One that falls in the blank between paragraphs goes to the end of the one before.
            var p = firstParagraph(endingAfter: max(0, badge.at - 1))
            var placed = badge
            if p == paragraphs.count || paragraphs[p].lowerBound >= badge.at {
                p -= 1
                guard p >= 0 else { continue }
                placed.at = paragraphs[p].upperBound
            }
            badgeBuckets[p].append(placed)
        }
        // Page numbers (PDF): a marker before the paragraph where each page begins; it is not part of the text.
        var pageMarks = [[Int]](repeating: [], count: paragraphs.count)
        for part in document.metadata.parts where part.kind == "page" {
            guard let number = part.number, part.end > part.start else { continue }
            let p = firstParagraph(endingAfter: part.start)
            if p < paragraphs.count { pageMarks[p].append(number) }
        }
        for (pi, range) in paragraphs.enumerated() {
            for number in pageMarks[pi] {
                out += "<p class=\"page-mark\" id=\"page-\(number)\" aria-label=\"Page \(number)\"><span>page \(number)</span></p>\n"
            }
            let turn = turns[pi].map { ($0, quotes[$0]) }
            var labelHTML = ""
            if let (_, q) = turn {
                let key = q.speaker.map(speakerKey) ?? "none:\(q.kind.rawValue)"
                let continuation = previousTurn.map { $0.kind == q.kind && $0.key == key } ?? false
                let writtenHere = q.speaker.map { range.contains($0.span.start) && $0.span.end <= q.span.start } ?? false
                if !continuation && !writtenHere {
                    if let s = q.speaker {
                        labelHTML = "<p class=\"who\"><a href=\"#speaker-\(speakerIndex(for: s))\" class=\"plain\">\(HTMLText.escape(speakerName(s).0))</a></p>"
                    } else {
                        labelHTML = "<p class=\"who\">\(q.kind == .question ? "Question" : "Answer")</p>"
                    }
                }
                previousTurn = (q.kind, key)
                out += "<div class=\"turn \(q.kind == .question ? "question" : "answer")\">\(labelHTML)<p>"
            } else {
                previousTurn = nil
                out += "<p>"
            }
            MarkupBuilder.render(scalars, range: range, marks: markBuckets[pi], insertions: badgeBuckets[pi], into: &out)
            out += turn == nil ? "</p>\n" : "</p></div>\n"
        }
        out += "</article>\n"
    }

    /// The index of the first paragraph that ends after `offset`.
    func firstParagraph(endingAfter offset: Int) -> Int {
        var lo = 0
        var hi = paragraphs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if paragraphs[mid].upperBound <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Indices of the paragraphs a span touches (paragraphs are sorted and disjoint).
    func paragraphIndices(_ start: Int, _ end: Int) -> Range<Int> {
        let first = firstParagraph(endingAfter: start)
        var last = first
        while last < paragraphs.count && paragraphs[last].lowerBound < end { last += 1 }
        return first..<max(first, last)
    }

    /// For each paragraph, the interview turn that makes most of it (at least 40%), if any, and
    /// every quote that belongs to such a turn. A turn may come as one quote per paragraph or as
    /// several (one per sentence): quotes of the same kind and speaker add up.
    func computeTurns() -> (turns: [Int?], members: Set<Int>) {
        struct Group { var first: Int; var overlap: Int; var members: [Int] }
        var groups = [[String: Group]](repeating: [:], count: paragraphs.count)
        for (i, q) in quotes.enumerated() where q.kind.isTurn {
            let key = q.kind.rawValue + "|" + (q.speaker.map(speakerKey) ?? "")
            for p in paragraphIndices(q.span.start, q.span.end) {
                let range = paragraphs[p]
                let overlap = min(q.span.end, range.upperBound) - max(q.span.start, range.lowerBound)
                groups[p][key, default: Group(first: i, overlap: 0, members: [])].overlap += overlap
                groups[p][key]?.members.append(i)
            }
        }
        var turns = [Int?](repeating: nil, count: paragraphs.count)
        var members = Set<Int>()
        for (p, byKey) in groups.enumerated() {
            let best = byKey.values.max { ($0.overlap, $1.first) < ($1.overlap, $0.first) }
            guard let best, best.overlap * 5 >= paragraphs[p].count * 2 else { continue }
            turns[p] = best.first
            members.formUnion(best.members)
        }
        return (turns, members)
    }

    func buildMarks() -> ([Mark], [Insertion]) {
        var marks: [Mark] = []
        var insertions: [Insertion] = []
        let n = scalars.count
        if let language {
            for seg in language.segments where seg.span.start >= 0 && seg.span.end <= n && seg.span.start < seg.span.end {
                let name = LanguageNames.name(seg.code).map { "\($0) (\(seg.code))" } ?? seg.code
                let title = HTMLText.escape("In \(name), confidence \(HTMLText.percent(seg.confidence))")
                let langAttr = HTMLText.languageTag(seg.code).map { " lang=\"\($0)\"" } ?? ""
                let tag = "<span class=\"lang-tag\" aria-hidden=\"true\">\(HTMLText.escape(String(seg.code.prefix(8))))</span>"
                marks.append(Mark(
                    start: seg.span.start, end: seg.span.end, rank: 0,
                    open: "<span class=\"foreign\"\(langAttr) title=\"\(title)\">\(tag)",
                    reopen: "<span class=\"foreign\"\(langAttr) title=\"\(title)\">", close: "</span>"))
            }
        }
        var speakerSpans = Set<Span>()
        var cueSpans = Set<Span>()
        for (i, q) in quotes.enumerated() {
            let id = "q\(i + 1)"
            let who = q.speaker.map { speakerName($0).0 }
            switch q.kind {
            case .term:
                marks.append(Mark(
                    start: q.span.start, end: q.span.end, rank: 1,
                    open: "<span class=\"term\" id=\"\(id)\" title=\"quoted term\">", reopen: "<span class=\"term\">",
                    close: "</span>"))
            case .direct, .partial, .interview, .question, .indirect:
                let inTurn = q.kind.isTurn && isTurnQuote(i)
                let cls = inTurn ? "turn-text" : "quote quote-\(q.kind.rawValue)"
                let title = HTMLText.escape("\(kindLabel(q.kind)) \(i + 1)" + (who.map { " · \($0)" } ?? ""))
                marks.append(Mark(
                    start: q.span.start, end: q.span.end, rank: 1,
                    open: "<span class=\"\(cls)\" id=\"\(id)\" title=\"\(title)\">",
                    reopen: "<span class=\"\(cls)\" title=\"\(title)\">", close: "</span>"))
                if !inTurn {
                    insertions.append(Insertion(at: badgePosition(after: q.span.end), html: badge(q, number: i + 1)))
                }
            }
            if let s = q.speaker, s.span.start >= 0, s.span.end <= n, s.span.start < s.span.end, !speakerSpans.contains(s.span) {
                speakerSpans.insert(s.span)
                let title = HTMLText.escape("speaker" + (s.name.map { ": \($0)" } ?? ""))
                marks.append(Mark(
                    start: s.span.start, end: s.span.end, rank: 3,
                    open: "<span class=\"speaker-ref\" title=\"\(title)\">", reopen: "<span class=\"speaker-ref\" title=\"\(title)\">",
                    close: "</span>"))
            }
            if let c = q.cue, c.start >= 0, c.end <= n, c.start < c.end, !cueSpans.contains(c) {
                cueSpans.insert(c)
                marks.append(Mark(start: c.start, end: c.end, rank: 2, open: "<span class=\"cue\">", reopen: "<span class=\"cue\">", close: "</span>"))
            }
        }
        // External plugins' spans, as their render hints ask (issue #16): innermost, one colour per layer.
        for r in plugins {
            let colour = PluginRendering.palette[r.index % PluginRendering.palette.count]
            for h in r.highlights {
                let title = HTMLText.escape(r.label + (h.note.map { ": \($0)" } ?? ""))
                let open = "<span class=\"plugin\" data-plugin=\"\(HTMLText.escape(r.layer))\" style=\"background:\(colour)\" title=\"\(title)\">"
                marks.append(Mark(start: h.start, end: h.end, rank: 5, open: open, reopen: open, close: "</span>"))
            }
        }
        for (i, m) in mentions.enumerated() {
            let title = HTMLText.escape("\(HTMLText.oneLine(m.canonical, limit: 120)) — \(EntityStyle.label(m.type))")
            let open = "<span class=\"ent \(EntityStyle.cssClass(m.type))\" data-m=\"\(i)\" title=\"\(title)\">"
            marks.append(Mark(start: m.span.start, end: m.span.end, rank: 4, open: open, reopen: open, close: "</span>"))
        }
        return (marks, insertions)
    }

    func isTurnQuote(_ index: Int) -> Bool { turnQuotes.contains(index) }

    func kindLabel(_ kind: QuoteKind) -> String {
        switch kind {
        case .direct: "Quotation"
        case .partial: "Partial quotation"
        case .interview: "Answer"
        case .question: "Question"
        case .term: "Term"
        case .indirect: "Reported speech"
        }
    }

    /// Just past the closing quotation marks and the punctuation inside them, so the badge follows the quote.
    func badgePosition(after end: Int) -> Int {
        var p = end
        var steps = 0
        while p < scalars.count && steps < 3 {
            let c = scalars[p]
            let closing: Set<Unicode.Scalar> = ["”", "»", "\"", "’", "›", "“", "«", "'", "」", "』"]
            if closing.contains(c) {
                p += 1
                break
            }
            if c == "," || c == "." || c == "!" || c == "?" || c == "…" || c == " " && p == end {
                p += 1
                steps += 1
                continue
            }
            break
        }
        // Only move if a closing mark was found; otherwise stay at the end of the quote.
        if p > end, let last = scalars[safe: p - 1], ["”", "»", "\"", "’", "›", "“", "«", "'", "」", "』"].contains(last) {
            return p
        }
        return end
    }

    func badge(_ q: Quote, number: Int) -> String {
        guard let s = q.speaker else {
            return "<a class=\"spk none\" href=\"#q\(number)\" title=\"speaker not found\"><span class=\"sr\">speaker </span>unknown</a>"
        }
        let (name, resolved) = speakerName(s)
        let cls = resolved ? "spk" : "spk unresolved"
        let title = resolved ? "said by \(name)" : "said by the person written as “\(name)”"
        return "<a class=\"\(cls)\" href=\"#speaker-\(speakerIndex(for: s))\" title=\"\(HTMLText.escape(title))\"><span class=\"sr\">said by </span>\(HTMLText.escape(name))</a>"
    }

    func speakerIndex(for s: Speaker) -> Int { speakerNumbers[speakerKey(s)] ?? 0 }

    // MARK: Side panel

    mutating func speakersPanel() {
        out += "<section class=\"card\" aria-labelledby=\"h-speakers\">\n<h2 id=\"h-speakers\">Speakers</h2>\n"
        guard document[QuotesLayer.self] != nil else {
            out += "<p class=\"muted\">No quotation layer: the quote processor did not run.</p>\n</section>\n"
            return
        }
        let list = speakers
        let unattributed = quotes.enumerated().filter { $0.element.kind.isSpeech && $0.element.speaker == nil }
        if list.isEmpty && unattributed.isEmpty {
            out += "<p class=\"muted\">No quotations found.</p>\n"
        }
        if !list.isEmpty {
            out += "<ol class=\"speakers\">\n"
            for (si, sp) in list.enumerated() {
                out += "<li id=\"speaker-\(si + 1)\"><p class=\"name\">\(HTMLText.escape(sp.display))"
                if !sp.resolved { out += " <span class=\"muted small\">(as written)</span>" }
                out += " <span class=\"count\" title=\"quotations\">\(sp.quotes.count)</span></p>\n"
                // Interview turns are many and long: folded, so quotations stay visible at a glance.
                let said = sp.quotes.filter { !quotes[$0].kind.isTurn }
                let turns = sp.quotes.filter { quotes[$0].kind.isTurn }
                if !said.isEmpty {
                    out += "<ul class=\"quotes\">"
                    for qi in said { quoteItem(qi) }
                    out += "</ul>"
                }
                if !turns.isEmpty {
                    let questions = turns.filter { quotes[$0].kind == .question }.count
                    let answers = turns.count - questions
                    var parts: [String] = []
                    if answers > 0 { parts.append("\(answers) answer\(answers == 1 ? "" : "s")") }
                    if questions > 0 { parts.append("\(questions) question\(questions == 1 ? "" : "s")") }
                    out += "<details class=\"turns\"><summary>\(parts.joined(separator: ", ")) in the interview</summary><ul class=\"quotes\">"
                    for qi in turns { quoteItem(qi) }
                    out += "</ul></details>"
                }
                out += "</li>\n"
            }
            out += "</ol>\n"
        }
        if !unattributed.isEmpty {
            out += "<h3>Speaker unknown</h3>\n<ul class=\"quotes\">"
            for (qi, _) in unattributed { quoteItem(qi) }
            out += "</ul>\n"
        }
        var seenTerms = Set<String>()
        let terms = quotes.enumerated().filter {
            $0.element.kind == .term && seenTerms.insert(HTMLText.oneLine(document.text[$0.element.span]).lowercased()).inserted
        }
        if !terms.isEmpty {
            out += "<h3>Quoted terms</h3>\n<p class=\"terms\">"
            out += terms.map { "<a href=\"#q\($0.offset + 1)\">\(HTMLText.escape(HTMLText.oneLine(document.text[$0.element.span], limit: 60)))</a>" }
                .joined(separator: " · ")
            out += "</p>\n"
        }
        out += "</section>\n"
    }

    mutating func quoteItem(_ qi: Int) {
        let q = quotes[qi]
        let excerpt = HTMLText.oneLine(document.text[q.span], limit: q.kind.isTurn ? 90 : 160)
        out += "<li><a href=\"#q\(qi + 1)\">“\(HTMLText.escape(excerpt))”</a>"
        if q.kind == .partial { out += " <span class=\"kind\">partial</span>" }
        out += "</li>"
    }

    mutating func entitiesPanel() {
        out += "<section class=\"card\" aria-labelledby=\"h-entities\">\n<h2 id=\"h-entities\">Entities</h2>\n"
        guard document[EntitiesLayer.self] != nil else {
            out += "<p class=\"muted\">No entity layer: the entity processor did not run.</p>\n</section>\n"
            return
        }
        let list = entities
        if list.isEmpty {
            out += "<p class=\"muted\">No entities found.</p>\n</section>\n"
            return
        }
        let shown = 60
        out += "<ul class=\"entities\">\n"
        for e in list.prefix(shown) {
            out += "<li><span class=\"ent \(EntityStyle.cssClass(e.type)) tag\">\(HTMLText.escape(EntityStyle.short(e.type)))</span> "
            out += "<span class=\"name\">\(HTMLText.escape(e.canonical))</span> <span class=\"count\" title=\"mentions\">\(e.count)</span>"
            let forms = e.forms.filter { $0.0 != e.canonical || e.forms.count > 1 }
            if !forms.isEmpty {
                out += "<br><span class=\"forms\">"
                out += forms.prefix(6).map { "\(HTMLText.escape($0.0)) ×\($0.1)" }.joined(separator: ", ")
                if forms.count > 6 { out += ", …" }
                out += "</span>"
            }
            out += "</li>\n"
        }
        out += "</ul>\n"
        if list.count > shown { out += "<p class=\"muted\">and \(list.count - shown) more.</p>\n" }
        out += "</section>\n"
    }

    mutating func languagePanel() {
        out += "<section class=\"card\" aria-labelledby=\"h-language\">\n<h2 id=\"h-language\">Language</h2>\n"
        guard let language else {
            out += "<p class=\"muted\">No language layer: the language processor did not run.</p>\n</section>\n"
            return
        }
        out += "<p>\(languageLabel(language.code))"
        if language.code != "und" { out += ", confidence \(HTMLText.percent(language.confidence))" }
        out += "</p>\n"
        if !language.alternatives.isEmpty {
            out += "<table class=\"alts\"><caption>Hypotheses</caption><tbody>"
            for alt in language.alternatives {
                let pct = max(0, min(1, alt.probability.isFinite ? alt.probability : 0))
                out += "<tr><th scope=\"row\">\(languageLabel(alt.code))</th><td>\(HTMLText.percent(pct))</td>"
                out += "<td class=\"barcell\"><span class=\"bar\" style=\"width:\(Int((pct * 100).rounded()))%\"></span></td></tr>"
            }
            out += "</tbody></table>\n"
        }
        let segments = language.segments.filter { $0.span.start >= 0 && $0.span.end <= scalars.count && $0.span.start < $0.span.end }
        if segments.isEmpty {
            out += "<p class=\"muted small\">No passages in another language.</p>\n"
        } else {
            out += "<h3>Passages in other languages</h3>\n<ul class=\"segments\">"
            for seg in segments.prefix(30) {
                out += "<li><span class=\"lang-tag\">\(HTMLText.escape(String(seg.code.prefix(8))))</span> "
                out += "“\(HTMLText.escape(HTMLText.oneLine(document.text[seg.span], limit: 100)))” "
                out += "<span class=\"muted small\">\(HTMLText.percent(seg.confidence))</span></li>"
            }
            out += "</ul>\n"
        }
        out += "</section>\n"
    }

    mutating func processorsPanel() {
        out += "<section class=\"card\" id=\"processors\" aria-labelledby=\"h-processors\">\n<h2 id=\"h-processors\">Processors</h2>\n"
        if document.runs.isEmpty {
            out += "<p class=\"muted\">No processor runs recorded.</p>\n</section>\n"
            return
        }
        out += "<table class=\"runs\"><thead><tr><th scope=\"col\">Processor</th><th scope=\"col\">Time</th><th scope=\"col\">Outcome</th></tr></thead><tbody>\n"
        for run in document.runs {
            out += "<tr class=\"\(run.outcome.rawValue)\"><th scope=\"row\">\(HTMLText.escape(run.name)) <span class=\"muted small\">\(HTMLText.escape(run.version))</span></th>"
            out += "<td>\(HTMLText.milliseconds(run.durationMs))</td><td><span class=\"outcome \(run.outcome.rawValue)\">\(run.outcome.rawValue)</span></td></tr>\n"
            if let error = run.error, !error.isEmpty {
                out += "<tr class=\"error\"><td colspan=\"3\">\(HTMLText.escape(HTMLText.oneLine(error, limit: 600)))</td></tr>\n"
            }
        }
        let total = document.runs.reduce(0) { $0 + ($1.durationMs.isFinite ? $1.durationMs : 0) }
        out += "</tbody><tfoot><tr><th scope=\"row\">Total</th><td>\(HTMLText.milliseconds(total))</td><td></td></tr></tfoot></table>\n</section>\n"
    }

    mutating func metadataPanel() {
        let m = document.metadata
        out += "<section class=\"card\" aria-labelledby=\"h-source\">\n<h2 id=\"h-source\">Source</h2>\n<dl class=\"meta\">"
        out += "<dt>File</dt><dd class=\"break\">\(HTMLText.escape(m.sourceName))</dd>"
        out += "<dt>Type</dt><dd>\(HTMLText.escape(m.mediaType)), \(HTMLText.escape(m.encoding))</dd>"
        if let name = m.extractorName {
            out += "<dt>Extractor</dt><dd>\(HTMLText.escape(name)) \(HTMLText.escape(m.extractorVersion ?? ""))</dd>"
        }
        if let title = m.title { out += "<dt>Headline</dt><dd>\(HTMLText.escape(title))</dd>" }
        if !m.authors.isEmpty { out += "<dt>By</dt><dd>\(HTMLText.escape(m.authors.joined(separator: ", ")))</dd>" }
        if let published = m.published { out += "<dt>Published</dt><dd><time datetime=\"\(HTMLText.escape(published))\">\(HTMLText.escape(published))</time></dd>" }
        if let outlet = m.outlet { out += "<dt>Outlet</dt><dd>\(HTMLText.escape(outlet))</dd>" }
        let pages = m.parts.filter { $0.kind == "page" }.count
        if pages > 0 { out += "<dt>Pages</dt><dd>\(pages)</dd>" }
        for w in m.warnings { out += "<dt>Note</dt><dd>\(HTMLText.escape(w))</dd>" }
        out += "<dt>Size</dt><dd>\(HTMLText.bytes(m.bytes))</dd>"
        if !m.normalizations.isEmpty {
            out += "<dt>Normalised</dt><dd>\(HTMLText.escape(m.normalizations.joined(separator: ", ")))</dd>"
        }
        out += "<dt>Received</dt><dd><time datetime=\"\(HTMLText.isoDate(m.receivedAt))\">\(HTMLText.date(m.receivedAt))</time></dd>"
        if !m.sha256.isEmpty {
            out += "<dt>SHA-256</dt><dd class=\"break\"><code title=\"\(HTMLText.escape(m.sha256))\">\(HTMLText.escape(String(m.sha256.prefix(16))))…</code></dd>"
        }
        out += "</dl>\n</section>\n"
    }

    /// Layers from external plugins: shown as their JSON, escaped.
    mutating func otherLayersPanel() {
        let builtin: Set<LayerName> = [.tokens, .sentences, .paragraphs, .language, .entities, .entityLanguages, .quotes]
        let others = document.layerNames.filter { !builtin.contains($0) && document.isPublished($0) }
        guard !others.isEmpty else { return }
        out += "<section class=\"card\" aria-labelledby=\"h-layers\">\n<h2 id=\"h-layers\">Other layers</h2>\n"
        let facts = plugins.flatMap(\.facts)
        if !facts.isEmpty {
            out += "<dl class=\"meta plugin-facts\">"
            for f in facts { out += "<dt>\(HTMLText.escape(f.key))</dt><dd>\(HTMLText.escape(f.value))</dd>" }
            out += "</dl>\n"
        }
        for name in others {
            var json = document.json(of: name)?.prettyPrinted() ?? "null"
            if json.count > 20_000 { json = String(json.prefix(20_000)) + "\n…" }
            out += "<details><summary>\(HTMLText.escape(name.rawValue))</summary><pre>\(HTMLText.escape(json))</pre></details>\n"
        }
        out += "</section>\n"
    }
}

extension Array {
    fileprivate subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
