import Foundation
import GleanerCore
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon as systemd runs it: the real binary, real inotify, real files.
@Suite("gleaner run", .serialized)
struct DaemonTests {
    let text = "A short English dispatch. “We are ready,” the minister said on Monday in Paris."

    @Test("500 files dropped at once, in every way a producer writes them, give exactly 500 results")
    func fiveHundredFiles() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        let fm = FileManager.default
        var expected: [String] = []
        // Written in place.
        for i in 0..<200 {
            try "\(text) \(i)".write(toFile: "\(d.inbox)/direct-\(i).txt", atomically: false, encoding: .utf8)
            expected.append("direct-\(i).txt.json")
        }
        // Moved in from a staging folder on the same file system.
        try fm.createDirectory(atPath: d.root + "/staging", withIntermediateDirectories: true)
        for i in 0..<100 {
            try "\(text) moved \(i)".write(toFile: "\(d.root)/staging/m-\(i).md", atomically: false, encoding: .utf8)
            try fm.moveItem(atPath: "\(d.root)/staging/m-\(i).md", toPath: "\(d.inbox)/moved-\(i).md")
            expected.append("moved-\(i).md.json")
        }
        // In new subfolders, created after the start, nested.
        for i in 0..<100 {
            let sub = "sub-\(i % 5)/deeper-\(i % 2)"
            try fm.createDirectory(atPath: "\(d.inbox)/\(sub)", withIntermediateDirectories: true)
            try "\(text) nested \(i)".write(toFile: "\(d.inbox)/\(sub)/report.txt.part", atomically: false, encoding: .utf8)
            try fm.moveItem(atPath: "\(d.inbox)/\(sub)/report.txt.part", toPath: "\(d.inbox)/\(sub)/report-\(i).txt")
            expected.append("\(sub)/report-\(i).txt.json")
        }
        // Odd names: spaces, quotes, non-ASCII, a newline.
        for i in 0..<50 {
            let name = i % 2 == 0 ? "odd name “\(i)” é#&.txt" : "line\nbreak \(i).txt"
            try "\(text) odd \(i)".write(toFile: "\(d.inbox)/\(name)", atomically: false, encoding: .utf8)
            expected.append((i % 2 == 0 ? name : "line_break \(i).txt") + ".json")
        }
        // Written slowly, in chunks, with the file open all along and closed and reopened.
        let slow = DispatchGroup()
        for i in 0..<50 {
            slow.enter()
            DispatchQueue.global().async {
                let path = "\(d.inbox)/slow-\(i).txt"
                fm.createFile(atPath: path, contents: nil)
                if let h = FileHandle(forWritingAtPath: path) {
                    for chunk in 0..<4 {
                        h.write(Data("chunk \(chunk) of a slow writer. ".utf8))
                        usleep(60_000)
                    }
                    try? h.close()
                }
                slow.leave()
            }
            expected.append("slow-\(i).txt.json")
        }
        slow.wait()
        #expect(expected.count == 500)
        let complete = TestSupport.eventually(timeout: 120) { d.results().count >= 500 }
        #expect(complete, "\(d.results().count) results")
        usleep(500_000)
        #expect(Set(d.results()) == Set(expected))
        #expect(d.files(below: d.outbox + "/failed").isEmpty, "\(d.files(below: d.outbox + "/failed"))")
        // Slow files were read whole, not at their first chunk.
        let slowResult = try JSONValue.parse(String(contentsOfFile: d.outbox + "/slow-7.txt.json", encoding: .utf8))
        #expect(slowResult["text"]?.stringValue?.contains("chunk 3") == true)
        // The inbox is empty but for the state folder; originals are archived.
        #expect(d.files(below: d.inbox).allSatisfy { $0.hasPrefix(".gleaner/") })
        #expect(d.files(below: d.outbox + "/archive").count == 500)
    }

    @Test("kill -9 in the middle and a restart: exactly one result per input, none lost")
    func crashAndRestart() throws {
        let d = try DaemonHarness(processors: "[processors.language]\n[processors.entities]\n[processors.quotes]\n")
        for i in 0..<150 {
            try "\(text) Vladimir Putin met Xi Jinping in Beijing, number \(i).".write(toFile: "\(d.inbox)/doc-\(i).txt", atomically: false, encoding: .utf8)
        }
        try d.start()
        _ = TestSupport.eventually(timeout: 60) { d.results().count >= 10 }
        d.signal(SIGKILL)
        d.waitForExit()
        let before = d.results().count
        #expect(before < 150, "the crash came too late to test anything")
        try d.start()
        defer { d.stop() }
        #expect(TestSupport.eventually(timeout: 180) { d.results().count >= 150 })
        usleep(500_000)
        #expect(Set(d.results()) == Set((0..<150).map { "doc-\($0).txt.json" }))
        #expect(d.files(below: d.outbox + "/archive").count == 150)
        #expect(d.files(below: d.inbox + "/.gleaner/claimed").isEmpty)
    }

    @Test("Temporary files of result writes a crash interrupted are removed at start; a live writer's are kept")
    func interruptedWritesAreCleaned() throws {
        let d = try DaemonHarness()
        // A process id that is certainly dead: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let fm = FileManager.default
        try fm.createDirectory(atPath: d.outbox + "/news/2026", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: d.outbox + "/failed", withIntermediateDirectories: true)
        let stale = [d.outbox + "/news/2026/.a.txt.json.\(dead).1234.tmp", d.outbox + "/failed/.b.bin.error.json.\(dead).99.tmp"]
        let live = d.outbox + "/.c.txt.json.\(getpid()).7.tmp"  // this test process is alive
        let kept = d.outbox + "/news/2026/.notes.tmp"  // not a name the daemon writes
        for path in stale + [live, kept] { try "partial".write(toFile: path, atomically: false, encoding: .utf8) }
        try d.start()
        defer { d.stop() }
        for path in stale { #expect(!fm.fileExists(atPath: path), "\(path)") }
        #expect(fm.fileExists(atPath: live))
        #expect(fm.fileExists(atPath: kept))
        #expect(d.log_.contains("removed 2 temporary file(s)"))
    }

    @Test("A document that crashed the daemon repeatedly is moved to failed/")
    func crashLoop() throws {
        let d = try DaemonHarness(extra: "max_attempts = 2")
        // A claim left by two crashes, as the daemon would have written it.
        let claimed = d.inbox + "/.gleaner/claimed"
        try FileManager.default.createDirectory(atPath: claimed, withIntermediateDirectories: true)
        try "poison".write(toFile: claimed + "/0001-dead", atomically: false, encoding: .utf8)
        let hex = Array("poison.txt".utf8).map { String(format: "%02x", $0) }.joined()
        try "{\"name\":\"poison.txt\",\"name_hex\":\"\(hex)\",\"attempts\":2}".write(toFile: claimed + "/0001-dead.claim", atomically: false, encoding: .utf8)
        try d.start()
        defer { d.stop() }
        #expect(TestSupport.eventually { FileManager.default.fileExists(atPath: d.outbox + "/failed/poison.txt.error.json") })
        let sidecar = try JSONValue.parse(String(contentsOfFile: d.outbox + "/failed/poison.txt.error.json", encoding: .utf8))
        #expect(sidecar["reason"] == "crashed")
    }

    @Test("Bad input of every kind lands in failed/ with a sidecar, and the daemon keeps running")
    func badInputs() throws {
        let d = try DaemonHarness(extra: "", processors: "")
        try "[input]\nmax_bytes = 1000\n".write(toFile: d.config, atomically: false, encoding: .utf8)
        try d.writeConfig(extra: "")
        try String(contentsOfFile: d.config, encoding: .utf8).replacingOccurrences(of: "[output]", with: "[input]\nmax_bytes = 1000\n[output]")
            .write(toFile: d.config, atomically: true, encoding: .utf8)
        try d.start()
        defer { d.stop() }
        let fm = FileManager.default
        fm.createFile(atPath: d.inbox + "/binary.txt", contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2, 3]))
        fm.createFile(atPath: d.inbox + "/nul.txt", contents: Data("text\0with nul".utf8))
        fm.createFile(atPath: d.inbox + "/empty.txt", contents: Data())
        fm.createFile(atPath: d.inbox + "/huge.txt", contents: Data(repeating: 0x61, count: 5000))
        fm.createFile(atPath: d.inbox + "/broken-utf8.txt", contents: Data("Déjà vu ".utf8) + Data([0xC3, 0x28]) + Data(" à bientôt".utf8))
        fm.createFile(atPath: d.inbox + "/unknown.xyz", contents: Data("plain".utf8))
        try fm.createSymbolicLink(atPath: d.inbox + "/link.txt", withDestinationPath: "/etc/passwd")
        mkfifo(d.inbox + "/fifo.txt", 0o644)
        fm.createFile(atPath: d.inbox + "/secret.txt", contents: Data("secret".utf8), attributes: [.posixPermissions: 0o000])
        let expected = ["binary.txt": "binary", "nul.txt": "binary", "empty.txt": "empty", "huge.txt": "too-large",
                        "broken-utf8.txt": "invalid-encoding", "unknown.xyz": "unsupported-type", "link.txt": "symlink",
                        "fifo.txt": "not-regular"]
        let root = getuid() == 0
        #expect(TestSupport.eventually(timeout: 30) {
            expected.keys.allSatisfy { fm.fileExists(atPath: "\(d.outbox)/failed/\($0).error.json") }
        }, "\(d.files(below: d.outbox))")
        for (name, reason) in expected {
            let sidecar = try JSONValue.parse(String(contentsOfFile: "\(d.outbox)/failed/\(name).error.json", encoding: .utf8))
            #expect(sidecar["reason"]?.stringValue == reason, "\(name)")
            #expect(sidecar["message"]?.stringValue?.isEmpty == false)
            #expect(sidecar["time"]?.stringValue != nil)
            // The file itself is kept beside its sidecar.
            #expect((try? fm.attributesOfItem(atPath: "\(d.outbox)/failed/\(name)")) != nil, "\(name)")
        }
        if !root { #expect(TestSupport.eventually { fm.fileExists(atPath: "\(d.outbox)/failed/secret.txt.error.json") }) }
        // Still running, still processing.
        try text.write(toFile: d.inbox + "/good.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually { fm.fileExists(atPath: d.outbox + "/good.txt.json") })
        #expect(d.process?.isRunning == true)
        // One log line per refusal, naming the file and the reason.
        #expect(d.log_.contains("failed \"huge.txt\": too-large"))
        // A file that vanishes before it is claimed is only logged.
        try text.write(toFile: d.inbox + "/gone.txt", atomically: false, encoding: .utf8)
        try fm.removeItem(atPath: d.inbox + "/gone.txt")
        usleep(400_000)
        #expect(!fm.fileExists(atPath: d.outbox + "/failed/gone.txt.error.json"))
    }

    @Test("SIGHUP with a broken configuration keeps the old one; a good one is taken")
    func reload() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        try "inbox = \"\(d.inbox)\"\n[daemon]\nsettle = \"whenever\"\n".write(toFile: d.config, atomically: true, encoding: .utf8)
        d.signal(SIGHUP)
        #expect(TestSupport.eventually { d.log_.contains("keeping the old one") })
        try text.write(toFile: d.inbox + "/after-bad-reload.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually { FileManager.default.fileExists(atPath: d.outbox + "/after-bad-reload.txt.json") })
        try d.writeConfig(processors: "[processors.language]\n")
        d.signal(SIGHUP)
        #expect(TestSupport.eventually { d.log_.contains("configuration reloaded: language") })
        try text.write(toFile: d.inbox + "/after-good-reload.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually { FileManager.default.fileExists(atPath: d.outbox + "/after-good-reload.txt.json") })
        let result = try JSONValue.parse(String(contentsOfFile: d.outbox + "/after-good-reload.txt.json", encoding: .utf8))
        #expect(result["language"]?["code"] == "en")
    }

    @Test("SIGTERM drains the documents in flight and exits 0")
    func drain() throws {
        let d = try DaemonHarness(processors: "[processors.language]\n[processors.entities]\n[processors.quotes]\n")
        try d.start()
        for i in 0..<40 { try "\(text) \(i)".write(toFile: "\(d.inbox)/t-\(i).txt", atomically: false, encoding: .utf8) }
        _ = TestSupport.eventually { !d.results().isEmpty }
        d.signal(SIGTERM)
        #expect(d.waitForExit() == 0)
        #expect(d.log_.contains("stopped:"))
        // Nothing half-done: every input is either still in the inbox or has its result and archive copy.
        let results = Set(d.results())
        for i in 0..<40 {
            let inInbox = FileManager.default.fileExists(atPath: "\(d.inbox)/t-\(i).txt")
            let done = results.contains("t-\(i).txt.json") && FileManager.default.fileExists(atPath: "\(d.outbox)/archive/t-\(i).txt")
            #expect(inInbox != done, "t-\(i)")
        }
        #expect(d.files(below: d.inbox + "/.gleaner/claimed").isEmpty)
        // status reports the last run.
        let status = try TestSupport.run(TestSupport.binary, ["status", "--config", d.config])
        #expect(status.status == 3 && status.stdout.contains("not running"))
    }

    @Test("sd_notify: READY, WATCHDOG, RELOADING, STOPPING in order, to a fake NOTIFY_SOCKET")
    func notify() throws {
        let d = try DaemonHarness()
        let socket = try FakeNotifySocket(path: d.root + "/notify.sock")
        try d.start(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"])
        #expect(TestSupport.eventually { socket.drain().contains { $0.contains("WATCHDOG=1") } })
        d.signal(SIGHUP)
        #expect(TestSupport.eventually { socket.drain().filter { $0.contains("READY=1") }.count >= 2 })
        d.signal(SIGTERM)
        #expect(d.waitForExit() == 0)
        let messages = socket.drain()
        func first(_ key: String) -> Int { messages.firstIndex { $0.contains(key) } ?? -1 }
        #expect(first("READY=1") >= 0)
        #expect(first("READY=1") < first("WATCHDOG=1"))
        #expect(first("WATCHDOG=1") < first("RELOADING=1"))
        #expect(messages.contains { $0.contains("RELOADING=1") && $0.contains("MONOTONIC_USEC=") })
        #expect(first("RELOADING=1") < (messages.lastIndex { $0.contains("READY=1") } ?? -1))
        #expect(first("STOPPING=1") > first("RELOADING=1"))
        #expect(messages.contains { $0.hasPrefix("STATUS=") })
    }

    @Test("Under journald, log lines carry <N> priority prefixes; a newline in a name does not split a record")
    func journaldPrefixes() throws {
        let d = try DaemonHarness()
        try d.start(environment: ["JOURNAL_STREAM": "8:12345"])
        defer { d.stop() }
        FileManager.default.createFile(atPath: d.inbox + "/bad\nname.txt", contents: Data())
        #expect(TestSupport.eventually { d.log_.contains("<3>gleaner: failed \"bad\\nname.txt\": empty") })
        #expect(d.log_.split(separator: "\n").allSatisfy { $0.hasPrefix("<") })
        #expect(d.log_.contains("<6>gleaner: watching "))
    }

    @Test("gleaner status reads the running daemon's status")
    func status() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        try text.write(toFile: d.inbox + "/one.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually {
            let out = try? TestSupport.run(TestSupport.binary, ["status", "--config", d.config])
            return out?.stdout.contains("processed:   1") == true
        })
        let out = try TestSupport.run(TestSupport.binary, ["status", "--config", d.config])
        #expect(out.status == 0 && out.stdout.contains("running (pid"))
        // And the event log has one record per event.
        let log = try String(contentsOfFile: d.outbox + "/logs/gleaner.log", encoding: .utf8)
        let events = try log.split(separator: "\n").map { try JSONValue.parse(String($0))["event"]?.stringValue ?? "" }
        #expect(events == ["started", "received", "claimed", "processed", "archived"])
    }
}
