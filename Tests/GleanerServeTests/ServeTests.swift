import Foundation
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Articles for the web app's tests: one person quoted in two, hostile text in a third.
enum WebArticles {
    static let all: [String: String] = [
        "budget.txt": """
            Senate passes the budget after a long night

            WASHINGTON — The Senate passed the budget on Tuesday after a debate that lasted all night.

            “This is a good day for the country,” said Maria Kowalczyk, the chair of the finance committee.
            """,
        "tariffs.txt": """
            Talks stall over tariffs in Brussels

            BRUSSELS — Negotiators failed to agree on tariffs on Friday.

            “Nobody wins a trade war,” Maria Kowalczyk said after the meeting. Peter Lindqvist, the Swedish trade minister, \
            disagreed with her.
            """,
        "hostile.txt": """
            <script>alert("owned")</script> & <img src=x onerror=alert(1)> headline

            “Quotes & <b>tags</b> must stay text,” said Peter Lindqvist in Stockholm.
            """,
    ]
}

/// A real `gleaner serve` on a loopback port over results made by the real `gleaner process`.
final class Server: @unchecked Sendable {
    let root: String
    let process: Process
    let base: String
    var config: String { root + "/gleaner.toml" }

    init(token: String = "") throws {
        root = try TestSupport.temporaryDirectory("gleaner-serve")
        try FileManager.default.createDirectory(atPath: root + "/inbox", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/articles", withIntermediateDirectories: true)
        try """
            inbox = "\(root)/inbox"
            outbox = "\(root)/outbox"
            [serve]
            token = "\(token)"
            [processors.language]
            [processors.entities]
            [processors.quotes]
            """.write(toFile: root + "/gleaner.toml", atomically: true, encoding: .utf8)
        var paths: [String] = []
        for (name, text) in WebArticles.all.sorted(by: { $0.key < $1.key }) {
            try text.write(toFile: root + "/articles/" + name, atomically: true, encoding: .utf8)
            paths.append(root + "/articles/" + name)
        }
        let out = try TestSupport.run(TestSupport.binary, ["process", "--config", root + "/gleaner.toml"] + paths)
        guard out.status == 0 else { throw TestFailure("gleaner process: \(out.stderr)") }

        let log = root + "/serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.binary)
        p.arguments = ["serve", "--config", root + "/gleaner.toml", "--listen", "127.0.0.1:0"]
        let handle = FileHandle(forWritingAtPath: log)
        p.standardError = handle
        p.standardOutput = handle
        try p.run()
        process = p
        var url = ""
        _ = TestSupport.eventually(timeout: 30) {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: "serving the catalogue on ") {
                url = String(text[r.upperBound...].prefix { !$0.isWhitespace })
            }
            return !url.isEmpty || !p.isRunning
        }
        guard !url.isEmpty else {
            p.terminate()
            throw TestFailure("gleaner serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        base = url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// The DOM after headless Chromium loaded and ran the page.
    func dom(_ path: String) throws -> String {
        let chrome = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let chrome else { throw TestFailure("no chromium: make test installs it") }
        let profile = try TestSupport.temporaryDirectory("chromium")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let out = try TestSupport.run("/usr/bin/timeout", [
            "60", chrome, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--dump-dom", base + path,
        ])
        guard out.status == 0, !out.stdout.isEmpty else { throw TestFailure("chromium: \(out.status) \(out.stderr)") }
        return out.stdout
    }

    /// Status, headers and body of a plain request (curl).
    func fetch(_ path: String, headers: [String] = [], maxTime: Int = 10) throws -> (status: Int, headers: String, body: String) {
        let out = try TestSupport.run("/usr/bin/curl", ["-s", "-i", "--max-time", "\(maxTime)"] + headers.flatMap { ["-H", $0] } + [base + path])
        let text = out.stdout
        let split = text.range(of: "\r\n\r\n")
        let head = split.map { String(text[..<$0.lowerBound]) } ?? text
        let body = split.map { String(text[$0.upperBound...]) } ?? ""
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, head, body)
    }

    func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try fetch(path).body.utf8))
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            if !TestSupport.eventually(timeout: 10, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}

@Suite("gleaner serve in a real headless browser", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
struct ServeTests {
    @Test("The documents list shows headlines, newest first, with hostile text escaped")
    func documentsList() throws {
        let s = try Server()
        let dom = try s.dom("/")
        #expect(dom.contains("Senate passes the budget after a long night"))
        #expect(dom.contains("Talks stall over tariffs in Brussels"))
        // The hostile headline is text: no element was made of it.
        #expect(dom.contains("&lt;script&gt;alert(\"owned\")&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; headline"))
        #expect(!dom.contains("<img src=\"x\""))
        #expect(!dom.contains("<script>alert"))
        #expect(dom.components(separatedBy: "class=\"doc\"").count - 1 == 3)
    }

    @Test("A search shows the matching document with the match highlighted, and the matching quotation")
    func search() throws {
        let s = try Server()
        let dom = try s.dom("/?q=trade+war")
        #expect(dom.contains("Talks stall over tariffs in Brussels"))
        #expect(!dom.contains("Senate passes the budget"))
        #expect(dom.contains("<mark>trade</mark>"))
        #expect(dom.contains("<mark>war</mark>"))
        // Operators typed by a user are words, not errors.
        #expect(try s.fetch("/?q=%22NEAR(%20OR%20*").status == 200)
    }

    @Test("A person page lists quotations from two documents, a timeline, and links back")
    func personPage() throws {
        let s = try Server()
        let people = try #require(try s.json("/api/entities?type=PERSON&name=Maria+Kowalczyk") as? [[String: Any]])
        let maria = try #require(people.first { ($0["local"] as? Bool) == false })
        let id = try #require(maria["id"] as? Int)
        let dom = try s.dom("/entity/\(id)")
        #expect(dom.contains("<h1>Maria Kowalczyk</h1>"))
        #expect(dom.contains("This is a good day for the country"))
        #expect(dom.contains("Nobody wins a trade war"))
        #expect(dom.contains("Senate passes the budget after a long night") && dom.contains("Talks stall over tariffs in Brussels"))
        #expect(dom.contains("<svg class=\"timeline\""))
        let api = try #require(try s.json("/api/entities/\(id)") as? [String: Any])
        let quotes = try #require(api["quotes"] as? [[String: Any]])
        #expect(Set(quotes.compactMap { $0["document_id"] as? Int }).count == 2)
    }

    @Test("The original of each same-name document is the archived file with its content, never the other one")
    func originalsOfSameNameDocuments() throws {
        let s = try Server()
        // A second input named budget.txt: its result is budget.txt.2.json, and the daemon archives it as budget.txt.2.
        try FileManager.default.createDirectory(atPath: s.root + "/later", withIntermediateDirectories: true)
        let second = "Budget, second reading\n\nThe House debated the budget again on Thursday.\n"
        try second.write(toFile: s.root + "/later/budget.txt", atomically: true, encoding: .utf8)
        let out = try TestSupport.run(TestSupport.binary, ["process", "--config", s.config, s.root + "/later/budget.txt"])
        #expect(out.status == 0, "\(out.stderr)")
        let archive = s.root + "/outbox/archive"
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        // Numbered the other way round from the results on purpose for the first: only content decides.
        try second.write(toFile: archive + "/budget.txt.2", atomically: true, encoding: .utf8)
        try WebArticles.all["budget.txt"]!.write(toFile: archive + "/budget.txt", atomically: true, encoding: .utf8)

        let page = try #require(try s.json("/api/documents?page_size=50") as? [String: Any])
        let docs = try #require(page["documents"] as? [[String: Any]])
        let budgets = docs.filter { ($0["source_name"] as? String) == "budget.txt" }
        #expect(budgets.count == 2)
        for doc in budgets {
            let id = try #require(doc["id"] as? Int)
            let body = try s.fetch("/original/\(id)").body
            if (doc["result_path"] as? String) == "budget.txt.2.json" {
                #expect(body == second)
            } else {
                #expect(body == WebArticles.all["budget.txt"]!)
            }
        }
        // A file under the name whose content is not the document's is not served as its original.
        try "something else".write(toFile: archive + "/budget.txt.2", atomically: true, encoding: .utf8)
        let id = try #require(budgets.first { ($0["result_path"] as? String) == "budget.txt.2.json" }?["id"] as? Int)
        #expect(try s.fetch("/original/\(id)").status == 404)
    }

    @Test("A document page escapes hostile quotations and links to the view, which links back")
    func documentPage() throws {
        let s = try Server()
        var f = try #require(try s.json("/api/documents?q=tags") as? [String: Any])
        let docs = try #require(f["documents"] as? [[String: Any]])
        let id = try #require(docs.first?["id"] as? Int)
        let dom = try s.dom("/doc/\(id)")
        #expect(dom.contains("Quotes &amp; &lt;b&gt;tags&lt;/b&gt; must stay text"))
        #expect(!dom.contains("<b>tags</b>"))
        let view = try #require(docs.first?["view_path"] as? String)
        let page = try s.fetch("/outbox/" + view)
        #expect(page.status == 200)
        #expect(page.body.contains("href=\"/doc/\(id)\""))
        f = [:]
        // Only files the catalogue lists are served.
        #expect(try s.fetch("/outbox/../gleaner.toml").status == 404)
        #expect(try s.fetch("/outbox/%2e%2e/gleaner.toml").status == 404)
    }

    @Test("Every page carries a Content-Security-Policy that allows only the app's own script")
    func csp() throws {
        let s = try Server()
        for path in ["/", "/entities?type=PERSON", "/failures", "/api/documents", "/nowhere"] {
            let r = try s.fetch(path)
            let line = r.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-security-policy:") } ?? ""
            #expect(line.contains("default-src 'none'"), "\(path): \(r.headers)")
            #expect(line.contains("script-src 'self'"), "\(path)")
            #expect(!line.contains("unsafe-inline") && !line.contains("http"), "\(path)")
        }
        let js = try s.fetch("/static/app.js")
        #expect(js.status == 200 && js.headers.lowercased().contains("text/javascript"))
        #expect(!(try s.fetch("/")).body.contains("<script>"), "no inline script")
    }

    @Test("New documents are announced by server-sent events")
    func events() throws {
        let s = try Server()
        let group = DispatchGroup()
        nonisolated(unsafe) var stream = ""
        group.enter()
        DispatchQueue.global().async {
            stream = (try? s.fetch("/events", maxTime: 6).body) ?? ""
            group.leave()
        }
        usleep(1_500_000)
        let extra = s.root + "/articles/late.txt"
        try "Late news arrives\n\n“It is late,” said Maria Kowalczyk.\n".write(toFile: extra, atomically: true, encoding: .utf8)
        let out = try TestSupport.run(TestSupport.binary, ["process", "--config", s.config, extra])
        #expect(out.status == 0)
        group.wait()
        #expect(stream.contains("event: documents"), "\(stream)")
        #expect(stream.contains("\"count\":4"), "\(stream)")
    }

    @Test("With a token, nothing is served without it")
    func token() throws {
        let token = "0123456789abcdef0123"
        let s = try Server(token: token)
        #expect(try s.fetch("/").status == 401)
        #expect(try s.fetch("/api/documents").status == 401)
        #expect(try s.fetch("/", headers: ["Authorization: Bearer \(token)"]).status == 200)
        let once = try s.fetch("/?token=\(token)")
        #expect(once.status == 303 && once.headers.contains("gleaner_token="))
        #expect(try s.fetch("/", headers: ["Cookie: gleaner_token=\(token)"]).status == 200)
        #expect(try s.fetch("/", headers: ["Authorization: Bearer wrong-token-wrong-token"]).status == 401)
    }
}
