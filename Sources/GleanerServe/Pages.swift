import Foundation
import GleanerCatalogue

/// Escaping for HTML text and attribute values: every value shown goes through it.
enum H {
    static func e(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A search snippet: escaped, with the matches (between U+0001 and U+0002) in `<mark>`.
    static func snippet(_ s: String) -> String {
        var out = ""
        var open = false
        for part in s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\u{1}" || $0 == "\u{2}" }).enumerated() {
            if part.offset > 0 {
                out += open ? "</mark>" : "<mark>"
                open.toggle()
            }
            out += e(String(part.element))
        }
        if open { out += "</mark>" }
        return out
    }

    /// A URL query value.
    static func q(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A path of stored components, each percent-encoded.
    static func path(_ s: String) -> String {
        s.split(separator: "/", omittingEmptySubsequences: false).map { q(String($0)) }.joined(separator: "/")
    }

    static func day(_ iso: String) -> String { String(iso.prefix(10)) }
}

/// The web app's pages: server-rendered HTML, one stylesheet and one script, both served as files.
enum Pages {
    static let typeNames = ["PERSON": "People", "ORGANIZATION": "Organisations", "LOCATION": "Places", "MISC": "Other names"]

    static func layout(title: String, active: String, query: String = "", body: String) -> String {
        func nav(_ href: String, _ label: String, _ key: String) -> String {
            "<a href=\"\(href)\"\(key == active ? " aria-current=\"page\"" : "")>\(label)</a>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(H.e(title)) · Gleaner</title>
            <link rel="stylesheet" href="/static/app.css">
            <script src="/static/app.js" defer></script>
            </head>
            <body>
            <header class="bar">
            <a class="brand" href="/">Gleaner</a>
            <nav>\(nav("/", "Documents", "documents"))\(nav("/entities?type=PERSON", "People", "PERSON"))\(nav("/entities?type=ORGANIZATION", "Organisations", "ORGANIZATION"))\(nav("/entities?type=LOCATION", "Places", "LOCATION"))\(nav("/failures", "Failures", "failures"))</nav>
            <form class="search" action="/" method="get" role="search"><input type="search" name="q" value="\(H.e(query))" placeholder="Search documents and quotations" aria-label="Search"><button type="submit">Search</button></form>
            </header>
            <p id="live" class="live" hidden></p>
            <main id="main">
            \(body)
            </main>
            <footer class="foot">Gleaner · read-only · <a href="/api/documents">JSON API</a></footer>
            </body>
            </html>
            """
    }

    static func documentRow(_ d: DocumentSummary) -> String {
        var meta: [String] = ["<time datetime=\"\(H.e(d.date))\">\(H.e(H.day(d.date)))</time>"]
        if let o = d.outlet { meta.append("<a href=\"/?outlet=\(H.q(o))\">\(H.e(o))</a>") }
        if let b = d.byline { meta.append(H.e(b)) }
        if let l = d.language { meta.append("<a class=\"lang\" href=\"/?lang=\(H.q(l))\">\(H.e(l))</a>") }
        if d.failed {
            meta.append("<span class=\"bad\">failed: \(H.e(d.failureReason ?? ""))</span>")
        } else {
            meta.append("\(d.quoteCount) quotation\(d.quoteCount == 1 ? "" : "s")")
            meta.append("\(d.personCount) \(d.personCount == 1 ? "person" : "people")")
        }
        if d.problems != nil { meta.append("<span class=\"warn\">incomplete</span>") }
        var out = "<li class=\"doc\"><a class=\"headline\" href=\"/doc/\(d.id)\">\(H.e(d.headline))</a>"
        if d.headlineSource != "metadata", d.headline != d.sourceName { out += " <span class=\"file\">\(H.e(d.sourceName))</span>" }
        out += "<p class=\"meta\">\(meta.joined(separator: " · "))</p>"
        if let s = d.snippet { out += "<p class=\"snippet\">\(H.snippet(s))</p>" }
        if d.failed, let m = d.failureMessage { out += "<p class=\"reason\">\(H.e(m))</p>" }
        return out + "</li>\n"
    }

    static func quotationRow(_ q: QuotationRow, showSpeaker: Bool) -> String {
        var out = "<li class=\"quote\"><blockquote>\(q.snippet.map(H.snippet) ?? H.e(q.text))</blockquote><p class=\"meta\">"
        if showSpeaker {
            let who = q.speakerName ?? q.speakerText ?? "unknown speaker"
            if let id = q.entityID {
                out += "<a class=\"speaker\" href=\"/entity/\(id)\">\(H.e(who))</a> · "
            } else {
                out += "<span class=\"speaker\">\(H.e(who))</span> · "
            }
        }
        if let cue = q.cue { out += "<span class=\"cue\">\(H.e(cue))</span> · " }
        out += "<time datetime=\"\(H.e(q.date))\">\(H.e(H.day(q.date)))</time>"
        if let o = q.outlet { out += " · \(H.e(o))" }
        out += " · <a href=\"/doc/\(q.documentID)#q\(q.id)\">\(H.e(q.headline))</a></p></li>\n"
        return out
    }

    /// The documents list, with its filters; `quotes` are quotations matching the search.
    static func documents(_ page: DocumentPage, filter: DocumentFilter, filterEntity: EntityRef?, quotes: [QuotationRow],
                          facets: (languages: [String], outlets: [String]), failuresOnly: Bool) -> String {
        var body = ""
        let title: String
        if failuresOnly {
            title = "Failures"
            body += "<h1>Failures</h1><p class=\"lead\">Files that could not be processed, with the reason (their originals are in failed/).</p>\n"
        } else if !filter.query.isEmpty {
            title = "Search: \(filter.query)"
            body += "<h1>Search: “\(H.e(filter.query))”</h1>\n"
        } else if let e = filterEntity {
            title = e.name
            body += "<h1>Documents naming <a href=\"/entity/\(e.id)\">\(H.e(e.name))</a></h1>\n"
        } else {
            title = "Documents"
            body += "<h1>Documents</h1>\n"
        }
        if !failuresOnly {
            body += "<form class=\"filters\" action=\"/\" method=\"get\">"
            body += "<input type=\"hidden\" name=\"q\" value=\"\(H.e(filter.query))\">"
            if let e = filter.entity { body += "<input type=\"hidden\" name=\"entity\" value=\"\(e)\">" }
            body += "<label>Language <select name=\"lang\"><option value=\"\">any</option>"
            for l in facets.languages { body += "<option\(filter.language == l ? " selected" : "")>\(H.e(l))</option>" }
            body += "</select></label>"
            body += "<label>Outlet <select name=\"outlet\"><option value=\"\">any</option>"
            for o in facets.outlets { body += "<option\(filter.outlet == o ? " selected" : "")>\(H.e(o))</option>" }
            body += "</select></label>"
            body += "<label>From <input type=\"date\" name=\"from\" value=\"\(H.e(filter.from ?? ""))\"></label>"
            body += "<label>To <input type=\"date\" name=\"to\" value=\"\(H.e(filter.to ?? ""))\"></label>"
            body += "<label><input type=\"checkbox\" name=\"failed\" value=\"1\"\(filter.failed == true ? " checked" : "")> failed only</label>"
            body += "<button type=\"submit\">Filter</button></form>\n"
        }
        if !quotes.isEmpty {
            body += "<section class=\"card\"><h2>Quotations</h2><ol class=\"quotes\">"
            for q in quotes { body += quotationRow(q, showSpeaker: true) }
            body += "</ol></section>\n"
        }
        body += "<section class=\"card\" id=\"list\" data-page=\"\(page.page)\"><h2>\(failuresOnly ? "Failed files" : filter.query.isEmpty ? "Newest first" : "Matching documents, latest first")</h2>"
        if page.documents.isEmpty {
            body += "<p class=\"empty\">\(failuresOnly ? "No failures." : "No documents\(filter.query.isEmpty ? " yet: drop files into the inbox" : " match").")</p>"
        } else {
            body += "<ol class=\"docs\">"
            for d in page.documents { body += documentRow(d) }
            body += "</ol>"
        }
        body += pager(page.page, hasMore: page.hasMore, base: failuresOnly ? "/failures" : "/", filter: filter)
        body += "</section>\n"
        return layout(title: title, active: failuresOnly ? "failures" : "documents", query: filter.query, body: body)
    }

    static func filterQuery(_ f: DocumentFilter) -> [String] {
        var parts: [String] = []
        if !f.query.isEmpty { parts.append("q=\(H.q(f.query))") }
        if let l = f.language, !l.isEmpty { parts.append("lang=\(H.q(l))") }
        if let o = f.outlet, !o.isEmpty { parts.append("outlet=\(H.q(o))") }
        if let v = f.from, !v.isEmpty { parts.append("from=\(H.q(v))") }
        if let v = f.to, !v.isEmpty { parts.append("to=\(H.q(v))") }
        if let e = f.entity { parts.append("entity=\(e)") }
        if f.failed == true { parts.append("failed=1") }
        return parts
    }

    static func pager(_ page: Int, hasMore: Bool, base: String, filter: DocumentFilter) -> String {
        guard page > 1 || hasMore else { return "" }
        let q = filterQuery(filter)
        func link(_ p: Int) -> String { base + "?" + (q + ["page=\(p)"]).joined(separator: "&amp;") }
        var out = "<nav class=\"pager\">"
        if page > 1 { out += "<a rel=\"prev\" href=\"\(link(page - 1))\">← newer</a>" }
        out += "<span>page \(page)</span>"
        if hasMore { out += "<a rel=\"next\" href=\"\(link(page + 1))\">older →</a>" }
        return out + "</nav>"
    }

    static func document(_ d: DocumentDetail) -> String {
        let doc = d.document
        var body = "<p class=\"crumbs\"><a href=\"/\">← all documents</a></p>"
        body += "<h1>\(H.e(doc.headline))</h1><p class=\"meta\"><time datetime=\"\(H.e(doc.date))\">\(H.e(H.day(doc.date)))</time>"
        if let o = doc.outlet { body += " · <a href=\"/?outlet=\(H.q(o))\">\(H.e(o))</a>" }
        if let b = doc.byline { body += " · \(H.e(b))" }
        if let l = doc.language { body += " · \(H.e(l))" }
        body += " · <span class=\"file\">\(H.e(doc.sourceName))</span></p>"
        body += "<p class=\"links\">"
        if let v = doc.viewPath { body += "<a href=\"/outbox/\(H.path(v))\">annotated view</a> · " }
        body += "<a href=\"/outbox/\(H.path(doc.resultPath))\">\(doc.failed ? "failure record" : "result JSON")</a> · "
        body += "<a href=\"/original/\(doc.id)\">original</a> · <a href=\"/api/documents/\(doc.id)\">API</a></p>"
        if doc.failed {
            body += "<section class=\"card\"><h2>Failed: \(H.e(doc.failureReason ?? ""))</h2><p>\(H.e(doc.failureMessage ?? ""))</p></section>"
        }
        if let p = doc.problems {
            body += "<section class=\"card warn\"><h2>Incomplete</h2><pre>\(H.e(p))</pre></section>"
        }
        let people = d.entities.filter { $0.type == "PERSON" }
        let others = d.entities.filter { $0.type != "PERSON" }
        if !people.isEmpty || !others.isEmpty {
            body += "<section class=\"card\"><h2>Who and what</h2>"
            if !people.isEmpty { body += "<p class=\"chips\">" + people.map(chip).joined() + "</p>" }
            if !others.isEmpty { body += "<p class=\"chips\">" + others.map(chip).joined() + "</p>" }
            body += "</section>"
        }
        body += "<section class=\"card\"><h2>Quotations</h2>"
        if d.quotations.isEmpty {
            body += "<p class=\"empty\">No quotations found.</p>"
        } else {
            body += "<ol class=\"quotes\">"
            for q in d.quotations {
                var row = quotationRow(q, showSpeaker: true)
                row = row.replacingOccurrences(of: "<li class=\"quote\">", with: "<li class=\"quote\" id=\"q\(q.id)\">")
                body += row
            }
            body += "</ol>"
        }
        body += "</section>"
        return layout(title: doc.headline, active: "documents", body: body)
    }

    static func chip(_ e: EntityRef) -> String {
        "<a class=\"chip \(e.type.lowercased())\" href=\"/entity/\(e.id)\">\(H.e(e.name))</a>"
    }

    static func entity(_ d: EntityDetail) -> String {
        let e = d.entity
        var body = "<p class=\"crumbs\"><a href=\"/entities?type=\(H.q(e.type))\">← \(H.e(typeNames[e.type] ?? e.type))</a></p>"
        body += "<h1>\(H.e(e.name))</h1><p class=\"meta\">\(H.e(e.type.lowercased())) · \(d.documents) document\(d.documents == 1 ? "" : "s") · "
        body += "\(d.quotations) quotation\(d.quotations == 1 ? "" : "s") · \(d.mentions) mention\(d.mentions == 1 ? "" : "s")"
        body += " · <a href=\"/?entity=\(e.id)\">all documents</a> · <a href=\"/api/entities/\(e.id)\">API</a></p>"
        if e.local { body += "<p class=\"note\">Named by one word only in one document: not merged with anyone else (see docs/SERVE.md on identity).</p>" }
        if d.names.count > 1 {
            body += "<p class=\"names\">Also written: " + d.names.filter { $0 != e.name }.map { "<span class=\"variant\">\(H.e($0))</span>" }.joined(separator: ", ") + "</p>"
        }
        body += "<section class=\"card\"><h2>Over time</h2>\(Timeline.svg(d.timeline))</section>"
        if !d.quotedWith.isEmpty {
            body += "<section class=\"card\"><h2>Quoted with</h2><p class=\"chips\">"
            body += d.quotedWith.map { "<a class=\"chip \($0.type.lowercased())\" href=\"/entity/\($0.id)\">\(H.e($0.name)) <span class=\"n\">\($0.count)</span></a>" }.joined()
            body += "</p></section>"
        }
        if e.type == "PERSON" || !d.quotes.isEmpty {
            body += "<section class=\"card\"><h2>Quotations</h2>"
            if d.quotes.isEmpty { body += "<p class=\"empty\">No quotations attributed.</p>" }
            else {
                body += "<ol class=\"quotes\">" + d.quotes.map { quotationRow($0, showSpeaker: false) }.joined() + "</ol>"
            }
            if d.quotesPage > 1 || d.quotesHasMore {
                body += "<nav class=\"pager\">"
                if d.quotesPage > 1 { body += "<a rel=\"prev\" href=\"/entity/\(e.id)?page=\(d.quotesPage - 1)\">← newer</a>" }
                body += "<span>page \(d.quotesPage)</span>"
                if d.quotesHasMore { body += "<a rel=\"next\" href=\"/entity/\(e.id)?page=\(d.quotesPage + 1)\">older →</a>" }
                body += "</nav>"
            }
            body += "</section>"
        }
        body += "<section class=\"card\"><h2>Recent documents</h2><ol class=\"docs\">" + d.recentDocuments.map(documentRow).joined() + "</ol></section>"
        return layout(title: e.name, active: e.type, body: body)
    }

    static func entities(_ list: [EntityRef], type: String?, query: String) -> String {
        let label = type.flatMap { typeNames[$0] } ?? "Names"
        var body = "<h1>\(H.e(label))</h1>"
        body += "<form class=\"filters\" action=\"/entities\" method=\"get\"><input type=\"hidden\" name=\"type\" value=\"\(H.e(type ?? ""))\">"
        body += "<label>Name <input type=\"search\" name=\"name\" value=\"\(H.e(query))\"></label><button type=\"submit\">Find</button></form>"
        body += "<section class=\"card\"><h2>\(query.isEmpty ? "In the latest documents" : "Matching “\(H.e(query))”")</h2>"
        if list.isEmpty { body += "<p class=\"empty\">None.</p>" }
        else {
            body += "<ol class=\"entities\">" + list.map {
                "<li><a href=\"/entity/\($0.id)\">\(H.e($0.name))</a> <span class=\"n\">\($0.count) document\($0.count == 1 ? "" : "s")</span></li>"
            }.joined() + "</ol>"
        }
        body += "</section>"
        return layout(title: label, active: type ?? "", body: body)
    }

    static func message(_ title: String, _ text: String) -> String {
        layout(title: title, active: "", body: "<h1>\(H.e(title))</h1><p>\(H.e(text))</p><p><a href=\"/\">← all documents</a></p>")
    }
}

/// The timeline of a person or entity: quotations and mentions per period, as SVG drawn on the server.
enum Timeline {
    static func svg(_ points: [TimelinePoint]) -> String {
        guard !points.isEmpty else { return "<p class=\"empty\">No dates.</p>" }
        let width = 720.0, height = 160.0, left = 36.0, bottom = 24.0, top = 8.0
        let plotW = width - left - 8, plotH = height - bottom - top
        let maxMentions = max(1, points.map(\.mentions).max() ?? 1)
        let maxQuotes = max(1, points.map(\.quotes).max() ?? 1)
        let scale = Double(max(maxMentions, maxQuotes))
        let slot = plotW / Double(points.count)
        let bar = max(1.0, min(28.0, slot * 0.4))
        var out = "<svg class=\"timeline\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Quotations and mentions over time\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>Quotations (dark) and mentions (light) per period</title>"
        out += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(width - 8)\" y2=\"\(top + plotH)\" class=\"axis\"/>"
        out += "<text x=\"\(left - 4)\" y=\"\(top + 10)\" text-anchor=\"end\" class=\"tick\">\(Int(scale))</text>"
        out += "<text x=\"\(left - 4)\" y=\"\(top + plotH)\" text-anchor=\"end\" class=\"tick\">0</text>"
        let labelEvery = max(1, points.count / 8)
        for (i, p) in points.enumerated() {
            let x = left + slot * Double(i) + slot / 2
            let hm = plotH * Double(p.mentions) / scale
            let hq = plotH * Double(p.quotes) / scale
            out += "<rect class=\"mentions\" x=\(fmt(x - bar)) y=\(fmt(top + plotH - hm)) width=\(fmt(bar)) height=\(fmt(hm))><title>\(H.e(p.period)): \(p.mentions) mentions in \(p.documents) documents</title></rect>"
            out += "<rect class=\"quotes\" x=\(fmt(x)) y=\(fmt(top + plotH - hq)) width=\(fmt(bar)) height=\(fmt(hq))><title>\(H.e(p.period)): \(p.quotes) quotations</title></rect>"
            if i % labelEvery == 0 || i == points.count - 1 {
                out += "<text x=\(fmt(x)) y=\"\(height - 6)\" text-anchor=\"middle\" class=\"tick\">\(H.e(p.period))</text>"
            }
        }
        out += "</svg><p class=\"legend\"><span class=\"key quotes\"></span> quotations <span class=\"key mentions\"></span> mentions</p>"
        return out
    }

    static func fmt(_ v: Double) -> String { "\"" + String(format: "%.1f", v) + "\"" }
}
