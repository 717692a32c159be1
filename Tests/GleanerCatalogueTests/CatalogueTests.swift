import Foundation
import GleanerCatalogue
import GRDB
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Articles written for these tests: the same person quoted in two of them, a hostile headline in a third.
enum Articles {
    static let budget = """
        Senate passes the budget after a long night

        WASHINGTON — The Senate passed the budget on Tuesday after a debate that lasted all night.

        “This is a good day for the country,” said Maria Kowalczyk, the chair of the finance committee. Kowalczyk added that \
        the talks with the House would continue next week.

        “We will not stop here,” she said.
        """
    static let tariffs = """
        Talks stall over tariffs in Brussels

        BRUSSELS — Negotiators failed to agree on tariffs on Friday.

        “Nobody wins a trade war,” Maria Kowalczyk said after the meeting. Peter Lindqvist, the Swedish trade minister, \
        disagreed with her.

        “We have to protect our workers,” Lindqvist told reporters.
        """
    static let hostile = """
        <script>alert("x")</script> & <img src=x onerror=alert(1)> headline

        “Quotes & <b>tags</b> must stay text,” said Peter Lindqvist in Stockholm.
        """
    static let all = ["budget.txt": budget, "tariffs.txt": tariffs, "hostile.txt": hostile]
}

/// A temporary inbox/outbox with a configuration, and `gleaner process` run on articles: real results.
final class Workspace: @unchecked Sendable {
    let root: String
    var outbox: String { root + "/outbox" }
    var config: String { root + "/gleaner.toml" }
    var catalogue: String { outbox + "/.gleaner/catalogue.sqlite" }

    init(extra: String = "") throws {
        root = try TestSupport.temporaryDirectory("gleaner-catalogue")
        try FileManager.default.createDirectory(atPath: root + "/inbox", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/articles", withIntermediateDirectories: true)
        try """
            inbox = "\(root)/inbox"
            outbox = "\(outbox)"
            \(extra)
            [processors.language]
            [processors.entities]
            [processors.quotes]
            """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// Processes the articles with the real binary, which writes results and updates the catalogue.
    func process(_ articles: [String: String]) throws {
        var paths: [String] = []
        for (name, text) in articles.sorted(by: { $0.key < $1.key }) {
            let path = root + "/articles/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let out = try TestSupport.run(TestSupport.binary, ["process", "--config", config] + paths)
        guard out.status == 0 else { throw TestFailure("gleaner process: \(out.stderr)") }
    }

    func gleaner(_ arguments: [String]) throws -> TestSupport.Output {
        try TestSupport.run(TestSupport.binary, arguments + ["--config", config])
    }

    var folders: OutboxFolders { OutboxFolders(outbox: outbox, failed: outbox + "/failed", excluded: [outbox + "/archive", outbox + "/logs", outbox + "/.gleaner"]) }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

@Suite("Catalogue on real results")
struct CatalogueTests {
    @Test("gleaner process fills the catalogue: documents, headlines, a person quoted across two documents, search")
    func processFills() throws {
        let w = try Workspace()
        try w.process(Articles.all)
        let c = try Catalogue(path: w.catalogue)
        let page = try c.documents(DocumentFilter())
        #expect(page.documents.count == 3)
        #expect(Set(page.documents.map(\.headline)).contains("Senate passes the budget after a long night"))
        // The headline comes from the extractor's metadata (a first line standing alone) or the catalogue's own
        // first-line fallback: either way, not from the file name.
        #expect(page.documents.allSatisfy { ["metadata", "first-line"].contains($0.headlineSource) && $0.viewPath != nil })

        // One person entity for Maria Kowalczyk, with her quotations from both documents.
        let people = try c.entities(type: "PERSON", matching: "Maria Kowalczyk")
        let maria = try #require(people.first { !$0.local })
        let detail = try #require(try c.entity(id: maria.id))
        #expect(Set(detail.quotes.map(\.documentID)).count == 2, "\(detail.quotes.map(\.text))")
        #expect(detail.quotes.contains { $0.text.contains("Nobody wins a trade war") })
        #expect(detail.quotes.contains { $0.text.contains("This is a good day") })
        #expect(detail.timeline.reduce(0) { $0 + $1.quotes } == detail.quotations)

        // Full-text search with a highlighted snippet; quotations searched too.
        var f = DocumentFilter()
        f.query = "tariffs"
        let hits = try c.documents(f)
        #expect(hits.documents.count == 1)
        #expect(hits.documents[0].snippet?.contains("\u{1}tariffs\u{2}") == true || hits.documents[0].snippet?.contains("\u{1}Tariffs\u{2}") == true)
        #expect(try c.searchQuotations("trade war").count == 1)
        // FTS operators typed by a user are words, not syntax.
        f.query = "NEAR( \"budget\" OR *"
        _ = try c.documents(f)

        // The outbox index was updated too.
        let index = try String(contentsOfFile: w.outbox + "/index.html", encoding: .utf8)
        #expect(index.contains("budget.txt") && index.contains("tariffs.txt"))
    }

    @Test("Rebuild from the outbox gives the same catalogue; verify finds nothing to repair")
    func rebuildSame() throws {
        let w = try Workspace()
        try w.process(Articles.all)
        let c = try Catalogue(path: w.catalogue)
        let before = try c.dump()
        #expect(try c.verify(w.folders).isEmpty)
        let out = try w.gleaner(["catalogue", "rebuild"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("3 documents"), "\(out.stdout)")
        #expect(try c.dump() == before)
        #expect(try w.gleaner(["catalogue", "verify"]).status == 0)
        #expect(try c.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }

    @Test("Repair: a result deleted, one changed and one added behind the catalogue's back")
    func repair() throws {
        let w = try Workspace()
        try w.process(Articles.all)
        let c = try Catalogue(path: w.catalogue)
        try FileManager.default.removeItem(atPath: w.outbox + "/budget.txt.json")
        let tariffs = w.outbox + "/tariffs.txt.json"
        try FileManager.default.copyItem(atPath: tariffs, toPath: w.outbox + "/copy.txt.json")
        try FileManager.default.createDirectory(atPath: w.outbox + "/failed", withIntermediateDirectories: true)
        try #"{"name": "scan.pdf", "reason": "binary", "message": "the file is a PDF", "processor": null, "time": "2026-01-02T03:04:05Z"}"#
            .write(toFile: w.outbox + "/failed/scan.pdf.error.json", atomically: true, encoding: .utf8)
        let verify = try w.gleaner(["catalogue", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("stale\tbudget.txt.json"))
        #expect(verify.stdout.contains("missing\tcopy.txt.json"))
        let d = try c.repair(w.folders)
        #expect(d.stale == ["budget.txt.json"])
        #expect(Set(d.missing) == ["copy.txt.json", "failed/scan.pdf.error.json"])
        #expect(try c.verify(w.folders).isEmpty)
        var f = DocumentFilter()
        f.failed = true
        let failed = try c.documents(f)
        #expect(failed.documents.map(\.failureReason) == ["binary"])
        // The timelines' daily sums followed the removal and the additions: they equal the sums of the rows.
        let dump = try c.dump().split(separator: "\n")
        let kept = dump.filter { $0.hasPrefix("T ") }.map { $0.dropFirst(2) }
        let summed = dump.filter { $0.hasPrefix("S ") }.map { $0.dropFirst(2) }
        #expect(!kept.isEmpty && kept == summed)
        // The entity of a person named only in the removed document is gone with it.
        #expect(try c.entities(type: "PERSON", matching: "Kowalczyk").allSatisfy { e in
            (try? c.entity(id: e.id))?.documents ?? 0 > 0
        })
    }

    @Test("Source metadata (title, authors, published, outlet) is used when present")
    func metadata() throws {
        let w = try Workspace()
        try w.process(["budget.txt": Articles.budget])
        let path = w.outbox + "/budget.txt.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"source\": {", with: """
            "source": {
                "title": "The Senate's night",
                "authors": ["A. Writer", "B. Writer"],
                "published": "2024-03-05T10:00:00Z",
                "outlet": "The Daily Example",
            """)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let c = try Catalogue(path: w.catalogue)
        try c.repair(w.folders)
        let d = try #require(try c.documents(DocumentFilter()).documents.first)
        #expect(d.headline == "The Senate's night")
        #expect(d.headlineSource == "metadata")
        #expect(d.date == "2024-03-05T10:00:00Z")
        #expect(d.outlet == "The Daily Example")
        #expect(d.byline == "A. Writer, B. Writer")
        var f = DocumentFilter()
        f.from = "2024-03-01"
        f.to = "2024-03-05"
        #expect(try c.documents(f).documents.count == 1)
        f.to = "2024-03-04"
        #expect(try c.documents(f).documents.isEmpty)
    }
}
