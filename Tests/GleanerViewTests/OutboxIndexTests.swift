import Foundation
import GleanerCore
import Testing

@testable import GleanerView

@Suite struct OutboxIndexTests {
    @Test func entriesLinkRelativelyAndEscapeNames() throws {
        let hostile = "a b/\"quo'te\" <x>&y #1?.txt"
        let entries = [
            IndexEntry(htmlPath: "plain.txt.html", jsonPath: "plain.txt.json", sourceName: "plain.txt",
                       time: Date(timeIntervalSince1970: 1_000), languageCode: "en", quotations: 3, topSpeakers: ["Alice"]),
            IndexEntry(htmlPath: hostile + ".html", jsonPath: hostile + ".json", sourceName: hostile,
                       time: Date(timeIntervalSince1970: 2_000), languageCode: "fr", quotations: 0, topSpeakers: ["<b>Bob</b>"],
                       problems: ["quotes failed"]),
            IndexEntry(htmlPath: "été/ü:ber.md.html", jsonPath: "été/ü:ber.md.json", sourceName: "été/ü:ber.md",
                       time: Date(timeIntervalSince1970: 1_500), languageCode: nil, quotations: nil, topSpeakers: []),
        ]
        let failed = [FailedEntry(name: "bad\"><script>alert(1)</script>.pdf", reason: "unsupported <type>", time: Date(timeIntervalSince1970: 3_000))]
        let html = OutboxIndex.render(entries: entries, failed: failed, generatedAt: Date(timeIntervalSince1970: 4_000))
        #expect(!html.lowercased().contains("<script"))
        let root = try HTMLTree.parse(html)
        let links = root.descendants.filter { $0.name == "a" }.compactMap { $0.attr("href") }
        #expect(links == [
            "a%20b/%22quo%27te%22%20%3Cx%3E%26y%20%231%3F.txt.html", "a%20b/%22quo%27te%22%20%3Cx%3E%26y%20%231%3F.txt.json",
            "%C3%A9t%C3%A9/%C3%BC%3Aber.md.html", "%C3%A9t%C3%A9/%C3%BC%3Aber.md.json",
            "plain.txt.html", "plain.txt.json",
        ])
        // Every href is a relative URL made only of safe characters.
        let safe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%/")
        #expect(links.allSatisfy { $0.unicodeScalars.allSatisfy(safe.contains) && !$0.hasPrefix("/") })
        #expect(links.allSatisfy { URL(string: $0, relativeTo: URL(string: "file:///outbox/index.html")) != nil })
        // Names and speakers read back exactly, newest first.
        let rows = root.descendants.filter { $0.name == "tbody" }.first?.descendants.filter { $0.name == "tr" } ?? []
        #expect(rows.count == 3)
        #expect(rows.first?.text().contains(hostile) ?? false)
        #expect(rows.first?.text().contains("<b>Bob</b>") ?? false)
        #expect(rows.first?.text().contains("quotes failed") ?? false)
        let failedRows = root.descendants.filter { $0.hasClass("failed") }.first?.descendants.filter { $0.name == "tr" } ?? []
        #expect(failedRows.count == 2)  // header and one row
        #expect(failedRows.last?.text().contains("unsupported <type>") ?? false)
    }

    @Test func entryForADocument() {
        let doc = handMadeDocument(name: "dir/report.txt")
        let entry = OutboxIndex.entry(for: doc, htmlPath: "dir/report.txt.html", jsonPath: "dir/report.txt.json")
        #expect(entry.sourceName == "dir/report.txt")
        #expect(entry.languageCode == "en")
        #expect(entry.quotations == 3)  // the term is not a quotation
        // "my mentor" has no name: the index lists names only.
        #expect(entry.topSpeakers == ["Alice Smith", "Robert Jones"])
        #expect(entry.problems.isEmpty)

        let bare = OutboxIndex.entry(for: Document(text: "x", name: "x.txt"), htmlPath: nil, jsonPath: "x.txt.json")
        #expect(bare.languageCode == nil && bare.quotations == nil && bare.topSpeakers.isEmpty)
    }

    @Test func emptyIndexRenders() throws {
        let html = OutboxIndex.render(entries: [], failed: [], generatedAt: Date(timeIntervalSince1970: 0))
        let root = try HTMLTree.parse(html)
        #expect(root.text().contains("No documents processed yet"))
        #expect(html.contains("1970-01-01 00:00:00 UTC"))
    }

    @Test func longListsAreCutToTheMostRecent() throws {
        let entries = (0..<30).map {
            IndexEntry(htmlPath: "d\($0).html", jsonPath: "d\($0).json", sourceName: "d\($0)", time: Date(timeIntervalSince1970: Double($0)),
                       languageCode: "en", quotations: 1, topSpeakers: [])
        }
        let html = OutboxIndex.render(entries: entries, failed: [], generatedAt: Date(), limit: 10)
        let root = try HTMLTree.parse(html)
        let links = root.descendants.filter { $0.name == "a" && !$0.hasClass("json") }.compactMap { $0.attr("href") }
        #expect(links == (20..<30).reversed().map { "d\($0).html" })
        #expect(root.text().contains("30 documents"))
        #expect(root.text().contains("The 10 most recent of 30."))
    }

    @Test func entriesSurviveARoundTripThroughJSON() throws {
        let entry = OutboxIndex.entry(for: handMadeDocument(), htmlPath: "a.html", jsonPath: "a.json")
        let data = try JSONEncoder().encode([entry])
        #expect(try JSONDecoder().decode([IndexEntry].self, from: data) == [entry])
    }
}
