import Foundation
import GleanerCore
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's promises under stress (issue: linear in size, no freeze, no truncated result, no stranded
/// or nameless file), each case through the real binary, real inotify and real files.
@Suite("gleaner run keeps its promises", .serialized)
struct PromiseTests {
    /// Ordinary news text of about `bytes` bytes, from the PolNeAR articles in ../shared.
    static func news(bytes: Int) throws -> String {
        let path = TestSupport.shared.appendingPathComponent("data/quotes/polnear/dev.jsonl").path
        var out = ""
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            guard case .object(let members)? = try? JSONValue.parse(String(line)),
                let text = members.first(where: { $0.0 == "text" })?.1.stringValue else { continue }
            out += text + "\n\n"
            if out.utf8.count >= bytes { break }
        }
        while out.utf8.count < bytes { out += out }
        return String(decoding: Array(out.utf8.prefix(bytes)), as: UTF8.self)
    }

    func result(_ d: DaemonHarness, _ name: String) -> JSONValue? {
        guard let text = try? String(contentsOfFile: d.outbox + "/" + name, encoding: .utf8) else { return nil }
        return try? JSONValue.parse(text)
    }

    func text(of json: JSONValue?) -> String? {
        guard case .object(let members)? = json else { return nil }
        return members.first { $0.0 == "text" }?.1.stringValue
    }

    @Test("Freeze: two 2 MB documents and a small one dropped together; the small one is done within 2 s, status goes on, SIGTERM within 2 s")
    func noFreeze() throws {
        let d = try DaemonHarness(extra: "large_document_bytes = \"1MiB\"")
        // The view too: every stage that grows with the input is exercised.
        try d.writeConfig(extra: "large_document_bytes = \"1MiB\"\nstatus_interval = \"200ms\"", html: true)
        try d.start()
        defer { d.stop() }
        let big = try Self.news(bytes: 2_000_000)
        let hostileMarkdown = String(repeating: "[", count: 1_000_000) + String(repeating: "`a <b ", count: 150_000)
        try big.write(toFile: d.inbox + "/big-1.txt", atomically: false, encoding: .utf8)
        try hostileMarkdown.write(toFile: d.inbox + "/big-2.md", atomically: false, encoding: .utf8)
        let dropped = Date()
        try "A small note.".write(toFile: d.inbox + "/small.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 2) { FileManager.default.fileExists(atPath: d.outbox + "/small.txt.json") },
                "the small document waited behind the large ones")
        // The status file keeps being refreshed while the large ones are processed.
        let status = d.root + "/inbox/.gleaner/status.json"
        let before = (try? FileManager.default.attributesOfItem(atPath: status)[.modificationDate] as? Date) ?? dropped
        #expect(TestSupport.eventually(timeout: 2) {
            ((try? FileManager.default.attributesOfItem(atPath: status)[.modificationDate] as? Date) ?? before) > before
        })
        let term = Date()
        d.signal(SIGTERM)
        let status_ = d.waitForExit(timeout: 10)
        #expect(status_ == 0)
        #expect(Date().timeIntervalSince(term) < 2.5, "SIGTERM took \(Date().timeIntervalSince(term)) s")
    }

    @Test("Truncation: a writer that pauses with the file open in a new subfolder gets a result with its whole content")
    func pausingWriter() throws {
        let d = try DaemonHarness()
        try d.writeConfig(extra: "settle = \"50ms\"")
        try d.start()
        defer { d.stop() }
        // A new subfolder: its files are found by a scan, not by a close event.
        try FileManager.default.createDirectory(atPath: d.inbox + "/new", withIntermediateDirectories: true)
        let path = d.inbox + "/new/slow.txt"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        let head = "The first half of a dispatch, written before the writer pauses. "
        let tail = "The second half, written after a pause longer than the settle delay."
        _ = head.withCString { write(fd, $0, strlen($0)) }
        usleep(700_000)
        _ = tail.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        #expect(TestSupport.eventually(timeout: 10) { FileManager.default.fileExists(atPath: d.outbox + "/new/slow.txt.json") })
        #expect(text(of: result(d, "new/slow.txt.json")) == head + tail)
        #expect(!FileManager.default.fileExists(atPath: d.outbox + "/new/slow.txt.2.json"))
    }

    @Test("Truncation: a file rewritten through a descriptor kept open is processed with its final content")
    func rewrittenThroughOpenDescriptor() throws {
        let d = try DaemonHarness()
        try d.writeConfig(extra: "settle = \"50ms\"")
        try d.start()
        defer { d.stop() }
        let path = d.inbox + "/rewritten.txt"
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        _ = "old content".withCString { write(fd, $0, strlen($0)) }
        usleep(500_000)
        _ = ftruncate(fd, 0)
        _ = "new content, the final one".withCString { pwrite(fd, $0, strlen($0), 0) }
        close(fd)
        #expect(TestSupport.eventually(timeout: 10) { FileManager.default.fileExists(atPath: d.outbox + "/rewritten.txt.json") })
        usleep(300_000)
        #expect(text(of: result(d, "rewritten.txt.json")) == "new content, the final one")
        #expect(!FileManager.default.fileExists(atPath: d.outbox + "/rewritten.txt.2.json"))
    }

    @Test("Bursts: 3,000 folders created at once are all watched; files dropped in them later are all processed")
    func folderBurst() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        let fm = FileManager.default
        for i in 0..<3000 {
            try fm.createDirectory(atPath: "\(d.inbox)/b\(i % 30)/c\(i)", withIntermediateDirectories: true)
        }
        usleep(1_500_000)
        for i in stride(from: 0, to: 3000, by: 10) {
            try "In folder \(i).".write(toFile: "\(d.inbox)/b\(i % 30)/c\(i)/note.txt", atomically: false, encoding: .utf8)
        }
        #expect(TestSupport.eventually(timeout: 60) { d.results().count == 300 }, "\(d.results().count) of 300")
    }

    @Test("Stranding: a file replaced under the same name while its first version is processed gets its own result")
    func replacedWhileInFlight() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        // Large enough that the second version arrives while the first is being processed.
        let first = try Self.news(bytes: 600_000)
        try first.write(toFile: d.inbox + "/same.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 10) { !FileManager.default.fileExists(atPath: d.inbox + "/same.txt") })
        try "The second version.".write(toFile: d.inbox + "/same.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 20) { d.results().count == 2 }, "\(d.results())")
        let texts = d.results().compactMap { text(of: result(d, $0)) }
        #expect(texts.contains("The second version."))
        #expect(!FileManager.default.fileExists(atPath: d.inbox + "/same.txt"))
    }

    @Test("Stranding: an inbox deleted and created again is watched again and its claim folder recreated")
    func inboxRecreated() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        try "Before.".write(toFile: d.inbox + "/before.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually { FileManager.default.fileExists(atPath: d.outbox + "/before.txt.json") })
        // The daemon writes its status inside the inbox meanwhile: remove until it is gone.
        #expect(TestSupport.eventually(timeout: 5) {
            try? FileManager.default.removeItem(atPath: d.inbox)
            return !FileManager.default.fileExists(atPath: d.inbox)
        })
        usleep(300_000)
        try FileManager.default.createDirectory(atPath: d.inbox, withIntermediateDirectories: true)
        usleep(1_000_000)
        try "After.".write(toFile: d.inbox + "/after.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 20) { FileManager.default.fileExists(atPath: d.outbox + "/after.txt.json") }, "\(d.log_)")
        #expect(d.log_.contains("created again"))
    }

    @Test("Nameless: a name too long for its result's suffixes is shortened with a hash; the full name stays in source.name")
    func longName() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        let name = String(repeating: "é", count: 120) + ".txt"  // 244 bytes: fits the inbox, not name + ".json"'s siblings
        try "A long name.".write(toFile: d.inbox + "/" + name, atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually { d.results().contains { $0.contains("~") && $0.hasSuffix(".txt.json") } }, "\(d.results())")
        let file = try #require(d.results().first { $0.contains("~") })
        #expect(file.utf8.count <= 205)
        guard case .object(let top)? = result(d, file), case .object(let source)? = top.first(where: { $0.0 == "source" })?.1 else {
            Issue.record("no source in \(file)")
            return
        }
        #expect(source.first { $0.0 == "name" }?.1.stringValue == name)
        // The original is archived under the same shortened name, not left nameless in the claim folder.
        #expect(TestSupport.eventually { d.files(below: d.outbox + "/archive").contains { $0.contains("~") } })
        #expect(d.files(below: d.inbox + "/.gleaner").filter { !$0.hasSuffix(".json") && $0 != "status.json" }.isEmpty)
    }

    @Test("Minor: names that clean up the same, and an input named index, each get their own result; results are not world-readable")
    func namingCollisions() throws {
        let d = try DaemonHarness()
        try d.writeConfig(html: true)
        try d.start()
        defer { d.stop() }
        try "Same text.".write(toFile: d.inbox + "/a\u{1}.txt", atomically: false, encoding: .utf8)
        try "Same text.".write(toFile: d.inbox + "/a\u{2}.txt", atomically: false, encoding: .utf8)
        try "Not the outbox index.".write(toFile: d.inbox + "/index", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually { d.results().count == 3 }, "\(d.results())")
        #expect(Set(d.results()) == ["a_.txt.json", "a_.txt.2.json", "index.2.json"])
        #expect(TestSupport.eventually {
            (try? String(contentsOfFile: d.outbox + "/index.html", encoding: .utf8))?.contains("index.2.html") == true
        })
        let mode = (try FileManager.default.attributesOfItem(atPath: d.outbox + "/a_.txt.json")[.posixPermissions] as? Int) ?? 0o777
        #expect(mode & 0o007 == 0, "mode \(String(mode, radix: 8))")
        // Archived originals carry the number of their result.
        #expect(TestSupport.eventually { Set(d.files(below: d.outbox + "/archive")).isSuperset(of: ["a_.txt", "a_.txt.2"]) })
    }

    @Test("sd_notify never blocks: with nobody reading NOTIFY_SOCKET, documents flow and SIGTERM is honoured at once")
    func notifySocketNobodyReads() throws {
        let d = try DaemonHarness()
        let socketPath = d.root + "/notify.sock"
        let socket = try FakeNotifySocket(path: socketPath)  // bound, never read
        _ = socket
        try d.writeConfig(extra: "status_interval = \"10ms\"")
        try d.start(environment: ["NOTIFY_SOCKET": socketPath])
        defer { d.stop() }
        for i in 0..<200 { try "Note \(i).".write(toFile: "\(d.inbox)/n\(i).txt", atomically: false, encoding: .utf8) }
        #expect(TestSupport.eventually(timeout: 30) { d.results().count == 200 })
        let term = Date()
        d.signal(SIGTERM)
        #expect(d.waitForExit(timeout: 10) == 0)
        #expect(Date().timeIntervalSince(term) < 2)
    }

    @Test("Reloads: 50 SIGHUPs in a second with an external plugin leave at most two pipelines' workers")
    func reloadStorm() throws {
        let plugin = TestSupport.repository.appendingPathComponent("Plugins/external/noop.py").path
        let d = try DaemonHarness()
        try d.writeConfig(processors: """
            [processors.noop]
            kind = "exec"
            command = ["python3", "\(plugin)"]
            workers = 1
            """)
        try d.start()
        defer { d.stop() }
        guard let pid = d.pid else { return }
        for _ in 0..<50 {
            d.signal(SIGHUP)
            usleep(20_000)
        }
        var most = 0
        for _ in 0..<30 {
            most = max(most, Self.children(of: pid))
            usleep(100_000)
        }
        #expect(most <= 2, "\(most) plugin workers at once")
        #expect(TestSupport.eventually(timeout: 20) { Self.children(of: pid) == 1 })
        try "After the storm.".write(toFile: d.inbox + "/after.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 20) { FileManager.default.fileExists(atPath: d.outbox + "/after.txt.json") })
    }

    /// Live child processes of `pid` (from /proc).
    static func children(of pid: Int32) -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var n = 0
        for e in entries where Int32(e) != nil {
            guard let stat = try? String(contentsOfFile: "/proc/\(e)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            if fields.count > 1, fields[0] != "Z", Int32(fields[1]) == pid { n += 1 }
        }
        return n
    }

    @Test("check-config refuses zero timeouts and a configuration without processors, unless asked")
    func configRefusals() throws {
        let dir = try TestSupport.temporaryDirectory()
        try "inbox = \"in\"\noutbox = \"out\"\n[daemon]\ndocument_timeout = \"0s\"\n[processors.language]\n"
            .write(toFile: dir + "/zero.toml", atomically: true, encoding: .utf8)
        let zero = try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/zero.toml"])
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("document_timeout must be longer than zero"))
        try "inbox = \"in\"\noutbox = \"out\"\n".write(toFile: dir + "/empty.toml", atomically: true, encoding: .utf8)
        let empty = try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/empty.toml"])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no processor is enabled"))
        try "inbox = \"in\"\noutbox = \"out\"\nallow_no_processors = true\n".write(toFile: dir + "/asked.toml", atomically: true, encoding: .utf8)
        #expect(try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/asked.toml"]).status == 0)
    }

    @Test("gleaner process names results as the daemon does: two report.txt from different folders both keep their result")
    func processNaming() throws {
        let dir = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try "First report.".write(toFile: dir + "/a/report.txt", atomically: true, encoding: .utf8)
        try "Second report.".write(toFile: dir + "/b/report.txt", atomically: true, encoding: .utf8)
        try "inbox = \"in\"\noutbox = \"out\"\n[output]\nhtml = false\n[processors.language]\n"
            .write(toFile: dir + "/g.toml", atomically: true, encoding: .utf8)
        let r = try TestSupport.run(TestSupport.binary, ["process", "--config", dir + "/g.toml", dir + "/a/report.txt", dir + "/b/report.txt"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let outputs = try FileManager.default.contentsOfDirectory(atPath: dir + "/out").filter { $0.hasSuffix(".json") }.sorted()
        #expect(outputs == ["report.txt.2.json", "report.txt.json"])
    }
}
