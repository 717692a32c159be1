import Foundation
import GleanerCore

/// One processed document as listed in the outbox index.
/// Codable so the daemon can keep the list across restarts.
public struct IndexEntry: Sendable, Hashable, Codable {
    /// The HTML view, relative to the outbox (not encoded), or nil when views are disabled.
    public var htmlPath: String?
    /// The JSON result, relative to the outbox (not encoded).
    public var jsonPath: String
    public var sourceName: String
    public var time: Date
    /// The dominant language, nil when no language layer was produced.
    public var languageCode: String?
    /// Quotations that are speech (terms excluded), nil when no quote layer was produced.
    public var quotations: Int?
    /// The most quoted speakers with a name, most quoted first (at most three). A speaker known only by how the
    /// text refers to them ("he", "my mentor") is not listed: the index shows names, not guesses.
    public var topSpeakers: [String]
    /// Processors that failed or were skipped for this document.
    public var problems: [String]
    /// Document-level facts external plugins asked to show (`render` hints): "layer.member" → value.
    public var facts: [String: String]?

    public init(
        htmlPath: String?, jsonPath: String, sourceName: String, time: Date, languageCode: String?,
        quotations: Int?, topSpeakers: [String], problems: [String] = [], facts: [String: String]? = nil
    ) {
        self.htmlPath = htmlPath
        self.jsonPath = jsonPath
        self.sourceName = sourceName
        self.time = time
        self.languageCode = languageCode
        self.quotations = quotations
        self.topSpeakers = topSpeakers
        self.problems = problems
        self.facts = facts?.isEmpty == true ? nil : facts
    }
}

/// A file that could not be processed, as listed in the outbox index.
public struct FailedEntry: Sendable, Hashable, Codable {
    public var name: String
    public var reason: String
    public var time: Date

    public init(name: String, reason: String, time: Date) {
        self.name = name
        self.reason = reason
        self.time = time
    }
}

/// The outbox's `index.html`: recent documents and failures, newest first.
public enum OutboxIndex {
    /// The index entry of a processed document; paths are relative to the outbox.
    public static func entry(for document: Document, htmlPath: String?, jsonPath: String) -> IndexEntry {
        let page = Page(document: document)
        let quotes = document[QuotesLayer.self].map { $0.quotes.filter { $0.kind.isSpeech }.count }
        return IndexEntry(
            htmlPath: htmlPath, jsonPath: jsonPath, sourceName: document.metadata.sourceName,
            time: document.metadata.receivedAt, languageCode: document[LanguageLayer.self]?.code, quotations: quotes,
            topSpeakers: page.speakers.filter(\.resolved).prefix(3).map(\.display),
            problems: document.runs.filter { $0.outcome != .ok }.map { "\($0.name) \($0.outcome.rawValue)" },
            facts: Dictionary(PluginRendering.of(document).flatMap(\.facts).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The page, newest first; at most `limit` of each list are shown so the page stays light.
    public static func render(entries: [IndexEntry], failed: [FailedEntry], generatedAt: Date, limit: Int = 500) -> String {
        let allDocs = entries.enumerated().sorted { ($0.element.time, $1.offset) > ($1.element.time, $0.offset) }.map(\.element)
        let allFails = failed.enumerated().sorted { ($0.element.time, $1.offset) > ($1.element.time, $0.offset) }.map(\.element)
        let docs = allDocs.prefix(max(0, limit))
        let fails = allFails.prefix(max(0, limit))
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        out += "<title>Gleaner outbox</title>\n<style>\(Style.base)\(indexStyle)\(Style.dark)</style>\n</head>\n<body>\n"
        out += "<header class=\"top\">\n<p class=\"kicker\">Gleaner \(HTMLText.escape(GleanerVersion.current))</p>\n<h1>Outbox</h1>\n<p class=\"facts\">"
        out += "<span class=\"fact\">\(allDocs.count) document\(allDocs.count == 1 ? "" : "s")</span>"
        out += "<span class=\"fact\">\(allFails.count) failed</span>"
        out += "<span class=\"fact muted\">updated <time datetime=\"\(HTMLText.isoDate(generatedAt))\">\(HTMLText.date(generatedAt))</time></span>"
        out += "</p>\n</header>\n<main class=\"index\">\n"

        out += "<section class=\"card\" aria-labelledby=\"h-docs\">\n<h2 id=\"h-docs\">Recent documents</h2>\n"
        if docs.isEmpty {
            out += "<p class=\"muted\">No documents processed yet.</p>\n"
        } else {
            out += "<table class=\"list\"><thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Received</th>"
            out += "<th scope=\"col\">Language</th><th scope=\"col\">Quotations</th><th scope=\"col\">Top speakers</th>"
            // One column per fact a plugin asked for (render hints), for the documents listed.
            let factColumns = Array(Set(docs.flatMap { $0.facts?.keys.map { $0 } ?? [] })).sorted().prefix(8)
            for key in factColumns { out += "<th scope=\"col\" class=\"fact-col\">\(HTMLText.escape(key))</th>" }
            out += "</tr></thead><tbody>\n"
            for e in docs {
                let name = HTMLText.escape(HTMLText.oneLine(e.sourceName, limit: 200))
                out += "<tr><td data-label=\"Document\" class=\"break\"><div>"
                if let html = e.htmlPath {
                    out += "<a href=\"\(HTMLText.escape(HTMLText.href(relativePath: html)))\">\(name)</a>"
                } else {
                    out += name
                }
                out += " <a class=\"json\" href=\"\(HTMLText.escape(HTMLText.href(relativePath: e.jsonPath)))\">JSON</a>"
                if !e.problems.isEmpty {
                    out += "<br><span class=\"warn\">\(HTMLText.escape(e.problems.joined(separator: ", ")))</span>"
                }
                out += "</div></td><td data-label=\"Received\"><div><time datetime=\"\(HTMLText.isoDate(e.time))\">\(HTMLText.date(e.time))</time></div></td>"
                let code = e.languageCode.map { HTMLText.escape($0) } ?? "—"
                let name2 = e.languageCode.flatMap(LanguageNames.name).map { " <span class=\"muted\">\($0)</span>" } ?? ""
                out += "<td data-label=\"Language\"><div><span class=\"code\">\(code)</span>\(name2)</div></td>"
                out += "<td data-label=\"Quotations\" class=\"num\"><div>\(e.quotations.map(String.init) ?? "—")</div></td>"
                let speakers = e.topSpeakers.map { HTMLText.escape(HTMLText.oneLine($0, limit: 60)) }.joined(separator: ", ")
                out += "<td data-label=\"Top speakers\"><div>\(speakers.isEmpty ? "<span class=\"muted\">—</span>" : speakers)</div></td>"
                for key in factColumns {
                    out += "<td data-label=\"\(HTMLText.escape(key))\" class=\"num\"><div>\(e.facts?[key].map(HTMLText.escape) ?? "—")</div></td>"
                }
                out += "</tr>\n"
            }
            out += "</tbody></table>\n"
            if allDocs.count > docs.count { out += "<p class=\"muted\">The \(docs.count) most recent of \(allDocs.count).</p>\n" }
        }
        out += "</section>\n"

        out += "<section class=\"card\" aria-labelledby=\"h-failed\">\n<h2 id=\"h-failed\">Failed</h2>\n"
        if fails.isEmpty {
            out += "<p class=\"muted\">No failures.</p>\n"
        } else {
            out += "<table class=\"list failed\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Reason</th><th scope=\"col\">When</th></tr></thead><tbody>\n"
            for f in fails {
                out += "<tr><td data-label=\"File\" class=\"break\"><div>\(HTMLText.escape(HTMLText.oneLine(f.name, limit: 200)))</div></td>"
                out += "<td data-label=\"Reason\" class=\"break\"><div>\(HTMLText.escape(HTMLText.oneLine(f.reason, limit: 400)))</div></td>"
                out += "<td data-label=\"When\"><div><time datetime=\"\(HTMLText.isoDate(f.time))\">\(HTMLText.date(f.time))</time></div></td></tr>\n"
            }
            out += "</tbody></table>\n"
            if allFails.count > fails.count { out += "<p class=\"muted\">The \(fails.count) most recent of \(allFails.count).</p>\n" }
        }
        out += "</section>\n</main>\n</body>\n</html>\n"
        return out
    }

    static let indexStyle = """
        .index{max-width:82rem;margin:0 auto;padding:1.5rem clamp(1rem,4vw,3rem)}
        .list td.num{text-align:right;font-variant-numeric:tabular-nums}
        .list td{font-size:.94rem}
        .json{font-size:.75rem;font-weight:700;margin-left:.3rem;padding:0 .4em;border:1px solid #bfdbfe;border-radius:.3em;text-decoration:none}
        .warn{font-size:.8rem;color:#7f1d1d}
        .failed td:nth-child(2){color:#7f1d1d}
        @media (max-width:40rem){
        .list thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .list tr{display:block;padding:.5rem 0;border-bottom:1px solid var(--line)}
        .list td{display:grid;grid-template-columns:7rem minmax(0,1fr);gap:.5rem;border:0;padding:.1rem 0}
        .list td.num{text-align:left}
        .list td::before{content:attr(data-label);color:var(--muted);font-size:.8rem}
        }
        """
}
