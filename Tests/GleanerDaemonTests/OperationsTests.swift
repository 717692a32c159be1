import Foundation
import GleanerCore
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue #16: what an operator sees of processor failures, through the real daemon and command line.
@Suite("operations", .serialized)
struct OperationsTests {
    static let workers = TestSupport.repository.appendingPathComponent("Tests/ExternalPluginTests/Workers").path

    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// The exposition, checked by Prometheus's own linter; returns its complaints (empty when it accepts it).
    static func promtool(_ exposition: String) throws -> String {
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let promtool else { throw TestFailure("promtool is missing: `make test` installs Debian's prometheus package") }
        let out = try TestSupport.run(promtool, ["check", "metrics"], input: exposition)
        return out.status == 0 ? out.stdout + out.stderr : "exit \(out.status): \(out.stdout)\(out.stderr)"
    }

    @Test("A crashing plugin: counted per processor and reason, the worker restart too; status and STATUS= say degraded until it succeeds again; promtool accepts the exposition")
    func processorFailuresVisible() throws {
        let prom = "PROM_PLACEHOLDER"
        let d = try DaemonHarness(processors: """
            [processors.language]
            [processors.crash]
            kind = "exec"
            command = ["/usr/bin/python3", "\(Self.workers)/crash.py"]
            timeout = "10s"
            [metrics]
            textfile = "\(prom)"
            interval = "100ms"
            """)
        let textfile = d.root + "/gleaner.prom"
        try String(contentsOfFile: d.config, encoding: .utf8).replacingOccurrences(of: prom, with: textfile)
            .write(toFile: d.config, atomically: true, encoding: .utf8)
        let notify = try FakeNotifySocket(path: d.root + "/notify.sock")
        try d.start(environment: ["NOTIFY_SOCKET": notify.path])
        defer { d.stop() }
        func metrics() -> String { (try? String(contentsOfFile: textfile, encoding: .utf8)) ?? "" }
        func status() -> JSONValue? {
            guard let data = FileManager.default.contents(atPath: d.root + "/inbox/.gleaner/status.json") ?? findStatus(d) else { return nil }
            return try? JSONValue.parse(bytes: Array(data))
        }

        // Present from the start, at 0, with their help.
        var text = ""
        #expect(TestSupport.eventually { text = metrics(); return text.contains("gleaner_processor_runs_total") }, "\(text)")
        #expect(Self.value(text, #"gleaner_processor_failures_total{processor="crash",reason="crashed"}"#) == 0, "\(text)")
        #expect(Self.value(text, #"gleaner_processor_worker_restarts_total{processor="crash"}"#) == 0)
        #expect(Self.value(text, #"gleaner_documents_failed_total{reason="timeout"}"#) == 0)
        #expect(Self.value(text, "gleaner_documents_processed_total") == 0)
        #expect(Self.value(text, "gleaner_last_success_timestamp_seconds") == 0)
        #expect(Self.value(text, "gleaner_outbox_problem") == 0)
        #expect(text.contains("# HELP gleaner_documents_in_flight "))
        #expect(text.contains(#"gleaner_build_info{version=""#))
        #expect(text.contains(#"gleaner_processor_duration_seconds_bucket{processor="crash",le="120.0"}"#) || text.contains(#"le="120""#), "\(text)")
        #expect(try Self.promtool(text) == "", "\(text)")

        // A document on which the plugin crashes: the result is written, the failure counted and shown.
        try "A note that makes the plugin CRASH today.".write(toFile: d.inbox + "/bad.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { text = metrics(); return Self.value(text, "gleaner_documents_processed_total") == 1 }, "\(text)")
        #expect(Self.value(text, #"gleaner_processor_failures_total{processor="crash",reason="crashed"}"#) == 1, "\(text)")
        #expect(Self.value(text, #"gleaner_processor_runs_total{processor="crash",outcome="failed"}"#) == 1)
        #expect(Self.value(text, #"gleaner_processor_runs_total{processor="language",outcome="ok"}"#) == 1)
        #expect((Self.value(text, "gleaner_last_success_timestamp_seconds") ?? 0) > 1_700_000_000)
        let result = try JSONValue.parse(String(contentsOfFile: d.outbox + "/bad.txt.json", encoding: .utf8))
        let run = result["processors"]?.arrayValue?.first { $0["name"]?.stringValue == "crash" }
        #expect(run?["status"]?.stringValue == "failed")
        #expect(run?["reason"]?.stringValue == "crashed")
        var s: JSONValue?
        #expect(TestSupport.eventually { s = status(); return s?["state"]?.stringValue == "degraded" && Self.value(metrics(), "gleaner_degraded") == 1 }, "\(String(describing: s))")
        #expect(s?["processor_failures"]?["crash"]?.intValue == 1)
        #expect(TestSupport.eventually { notify.drain().contains { $0.hasPrefix("STATUS=degraded (processor crash failing (crashed)): 1 processed") } },
                "\(notify.drain())")
        #expect(s?["degraded_reasons"]?.arrayValue?.first?.stringValue?.contains("processor crash failing (crashed)") == true)
        let cli = try TestSupport.run(TestSupport.binary, ["status", "--config", d.config])
        #expect(cli.stdout.contains("state:       DEGRADED: processor crash failing (crashed)"), "\(cli.stdout)")
        #expect(cli.stdout.contains("processors:  crash 1 failed"), "\(cli.stdout)")

        // The next document restarts the worker, succeeds, and the daemon is no longer degraded.
        try "A quiet note about the weather.".write(toFile: d.inbox + "/good.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { text = metrics(); return Self.value(text, "gleaner_documents_processed_total") == 2 }, "\(text)")
        #expect(Self.value(text, #"gleaner_processor_worker_restarts_total{processor="crash"}"#) == 1, "\(text)")
        #expect(Self.value(text, #"gleaner_processor_runs_total{processor="crash",outcome="ok"}"#) == 1)
        #expect(Self.value(text, #"gleaner_processor_duration_seconds_count{processor="crash"}"#) == 2)
        #expect(TestSupport.eventually { status()?["state"]?.stringValue == "ok" && Self.value(metrics(), "gleaner_degraded") == 0 })
        #expect(status()?["processor_failures"]?["crash"]?.intValue == 1)
        #expect(try Self.promtool(metrics()) == "", "\(metrics())")
    }

    func findStatus(_ d: DaemonHarness) -> Data? {
        // The harness's state folder is the configuration's default beside the inbox.
        let enumerator = FileManager.default.enumerator(atPath: d.root)
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix("status.json") { return FileManager.default.contents(atPath: d.root + "/" + path) }
        }
        return nil
    }

    @Test("process --strict exits 1 when a processor failed on a document; without it, 0")
    func strictProcess() throws {
        let dir = try TestSupport.temporaryDirectory()
        try """
            inbox = "in"
            outbox = "out"
            [processors.refuse]
            kind = "exec"
            command = ["/usr/bin/python3", "\(Self.workers)/refuse.py"]
            """.write(toFile: dir + "/g.toml", atomically: true, encoding: .utf8)
        try "Please REFUSE this one.".write(toFile: dir + "/no.txt", atomically: true, encoding: .utf8)
        try "Please take this one.".write(toFile: dir + "/yes.txt", atomically: true, encoding: .utf8)
        let lenient = try TestSupport.run(TestSupport.binary, ["process", "--config", dir + "/g.toml", "--stdout", dir + "/no.txt"], cwd: dir)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        let strict = try TestSupport.run(TestSupport.binary, ["process", "--strict", "--config", dir + "/g.toml", "--stdout", dir + "/no.txt"], cwd: dir)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("processor refuse failed"), "\(strict.stderr)")
        #expect(strict.stderr.contains("--strict: 1 processor run(s) failed"), "\(strict.stderr)")
        let fine = try TestSupport.run(TestSupport.binary, ["process", "--strict", "--config", dir + "/g.toml", "--stdout", dir + "/yes.txt"], cwd: dir)
        #expect(fine.status == 0, "\(fine.stderr)")
    }
}

/// Issue #16, item 3: `required = false`.
@Suite("optional plugins", .serialized)
struct OptionalPluginTests {
    @Test("A plugin with required = false that does not start: check-config warns, the daemon starts without it, records documents processed without it, reports it, and takes it in once it starts")
    func daemonStartsWithoutOptionalPlugin() throws {
        let marker = try TestSupport.temporaryDirectory("marker") + "/broken"
        FileManager.default.createFile(atPath: marker, contents: Data())
        let section = """
            [processors.flaky_start]
            kind = "exec"
            command = ["/usr/bin/python3", "\(OperationsTests.workers)/flaky_start.py", "\(marker)"]
            required = false
            retry_interval = "200ms"
            [metrics]
            textfile = "TEXTFILE"
            interval = "100ms"
            """
        let d = try DaemonHarness(processors: "[processors.language]\n" + section)
        let textfile = d.root + "/gleaner.prom"
        try String(contentsOfFile: d.config, encoding: .utf8).replacingOccurrences(of: "TEXTFILE", with: textfile)
            .write(toFile: d.config, atomically: true, encoding: .utf8)

        let check = try TestSupport.run(TestSupport.binary, ["check-config", "--config", d.config])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("warning: processor flaky_start (required = false) does not start"), "\(check.stdout)")
        #expect(check.stdout.contains("flaky_start: not today"), "\(check.stdout)")

        try d.start()
        defer { d.stop() }
        #expect(d.process?.isRunning == true, "\(d.log_)")
        #expect(d.log_.contains("processor flaky_start (required = false) is not running"), "\(d.log_)")
        func status() -> JSONValue? {
            FileManager.default.contents(atPath: d.inbox + "/.gleaner/status.json").flatMap { try? JSONValue.parse(bytes: Array($0)) }
        }
        func metrics() -> String { (try? String(contentsOfFile: textfile, encoding: .utf8)) ?? "" }
        var s: JSONValue?
        #expect(TestSupport.eventually { s = status(); return s?["unavailable_processors"]?.arrayValue?.count == 1 }, "\(String(describing: s))")
        #expect(s?["state"]?.stringValue == "degraded")
        #expect(TestSupport.eventually { OperationsTests.value(metrics(), #"gleaner_processor_available{processor="flaky_start"}"#) == 0 }, "\(metrics())")
        #expect(OperationsTests.value(metrics(), #"gleaner_processor_available{processor="language"}"#) == 1)
        let cli = try TestSupport.run(TestSupport.binary, ["status", "--config", d.config])
        #expect(cli.stdout.contains("unavailable: flaky_start (required = false)"), "\(cli.stdout)")

        try "A note written while the plugin is down.".write(toFile: d.inbox + "/down.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { FileManager.default.fileExists(atPath: d.outbox + "/down.txt.json") })
        let down = try JSONValue.parse(String(contentsOfFile: d.outbox + "/down.txt.json", encoding: .utf8))
        let run = down["processors"]?.arrayValue?.first { $0["name"]?.stringValue == "flaky_start" }
        #expect(run?["status"]?.stringValue == "failed")
        #expect(run?["reason"]?.stringValue == "unavailable")
        #expect(down["language"] != nil && down["language"] != .null, "the other processors still ran")
        #expect(TestSupport.eventually {
            OperationsTests.value(metrics(), #"gleaner_processor_failures_total{processor="flaky_start",reason="unavailable"}"#) == 1
        }, "\(metrics())")

        // Fixed: the retries start it (back-off from 200 ms, doubling), and it runs on the next documents.
        try FileManager.default.removeItem(atPath: marker)
        #expect(TestSupport.eventually(timeout: 30) { status()?["unavailable_processors"]?.arrayValue?.isEmpty == true }, "\(d.log_)")
        #expect(d.log_.contains("optional processor 'flaky_start' started after"), "\(d.log_)")
        try "A note written once the plugin is back.".write(toFile: d.inbox + "/up.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { FileManager.default.fileExists(atPath: d.outbox + "/up.txt.json") })
        let up = try JSONValue.parse(String(contentsOfFile: d.outbox + "/up.txt.json", encoding: .utf8))
        #expect(up["processors"]?.arrayValue?.first { $0["name"]?.stringValue == "flaky_start" }?["status"]?.stringValue == "ok")
        #expect(up["flaky_start"]?["pid"]?.intValue != nil)
        #expect(TestSupport.eventually { status()?["state"]?.stringValue == "ok" })
    }

    @Test("Without required = false, the same plugin stops check-config (exit 2), and required = false on a built-in is refused")
    func requiredByDefault() throws {
        let dir = try TestSupport.temporaryDirectory()
        let marker = dir + "/broken"
        FileManager.default.createFile(atPath: marker, contents: Data())
        try """
            inbox = "in"
            outbox = "out"
            [processors.flaky_start]
            kind = "exec"
            command = ["/usr/bin/python3", "\(OperationsTests.workers)/flaky_start.py", "\(marker)"]
            """.write(toFile: dir + "/g.toml", atomically: true, encoding: .utf8)
        let out = try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/g.toml"], cwd: dir)
        #expect(out.status == 2, "\(out.stdout)")
        #expect(out.stderr.contains("did not start"), "\(out.stderr)")
        try "inbox = \"in\"\noutbox = \"out\"\n[processors.language]\nrequired = false\n".write(toFile: dir + "/b.toml", atomically: true, encoding: .utf8)
        let builtin = try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/b.toml"], cwd: dir)
        #expect(builtin.status == 2)
        #expect(builtin.stderr.contains("required = false applies to external plugins"), "\(builtin.stderr)")
    }
}

/// Issue #16, items 2 (unit hints) and 5: logs an operator can follow.
@Suite("operations logs", .serialized)
struct OperationsLogTests {
    static func events(_ d: DaemonHarness) -> [JSONValue] {
        ((try? String(contentsOfFile: d.outbox + "/logs/gleaner.log", encoding: .utf8)) ?? "")
            .split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    }

    @Test("Every event of a document carries one correlation id; start, reload and stop are events; plugin stderr lines come at their level with the document's name")
    func correlationAndLifecycle() throws {
        let d = try DaemonHarness(processors: """
            [processors.language]
            [processors.chatty]
            kind = "exec"
            command = ["/usr/bin/python3", "\(OperationsTests.workers)/chatty.py"]
            """)
        try d.start()
        defer { d.stop() }
        try "A short note about the weather in the valley.".write(toFile: d.inbox + "/first.txt", atomically: false, encoding: .utf8)
        FileManager.default.createFile(atPath: d.inbox + "/empty.txt", contents: Data())
        #expect(TestSupport.eventually(timeout: 30) {
            let e = Self.events(d)
            return e.contains { $0["event"] == "archived" } && e.contains { $0["event"] == "failed" }
        }, "\(Self.events(d))")
        for name in ["first.txt", "empty.txt"] {
            let mine = Self.events(d).filter { $0["name"]?.stringValue == name }
            let ids = Set(mine.map { $0["claim"]?.stringValue ?? "none" })
            #expect(mine.count >= 3 && ids.count == 1 && !ids.contains("none"), "\(name): \(mine)")
        }
        let kinds = Self.events(d).filter { $0["name"]?.stringValue == "first.txt" }.compactMap { $0["event"]?.stringValue }
        #expect(kinds == ["received", "claimed", "processed", "archived"], "\(kinds)")
        #expect(d.log_.contains("processed \"first.txt\"") && d.log_.contains("claim="), "\(d.log_)")

        // The plugin's stderr: the WARNING line at warning, named by document; the debug line not at info.
        let lines = d.log_.split(separator: "\n")
        let warning = lines.first { $0.contains("looking at") }.map(String.init) ?? ""
        #expect(warning.contains(" warning gleaner.plugin.chatty: looking at 45 characters"), "\(warning)")
        #expect(warning.contains("document=\"first.txt\""), "\(warning)")
        #expect(!d.log_.contains("a detail nobody wants"), "\(d.log_)")
        #expect(lines.contains { $0.contains(" info gleaner.plugin.chatty: a plain line") }, "\(d.log_)")

        d.signal(SIGHUP)
        #expect(TestSupport.eventually { Self.events(d).contains { $0["event"] == "reloaded" } }, "\(d.log_)")
        d.signal(SIGTERM)
        #expect(d.waitForExit() == 0)
        let all = Self.events(d)
        let started = all.first { $0["event"] == "started" }
        #expect(started?["pipeline"]?.arrayValue?.contains("chatty") == true, "\(all)")
        #expect(started?["version"]?.stringValue == GleanerVersion.current)
        let stopped = all.last { $0["event"] == "stopped" }
        #expect(stopped?["processed"]?.intValue == 1 && stopped?["failed"]?.intValue == 1, "\(all)")
    }

    @Test("Under systemd, a worker that dies before its handshake by the signal a JIT gets names MemoryDenyWriteExecute= and the drop-in")
    func unitHintForJIT() throws {
        let dir = try TestSupport.temporaryDirectory()
        try """
            inbox = "in"
            outbox = "out"
            [processors.jit]
            kind = "exec"
            command = ["/usr/bin/python3", "\(OperationsTests.workers)/jit_crash.py"]
            """.write(toFile: dir + "/g.toml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef"
        let out = try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/g.toml"], cwd: dir, environment: env)
        #expect(out.status == 2)
        #expect(out.stderr.contains("before its handshake"), "\(out.stderr)")
        #expect(out.stderr.contains("MemoryDenyWriteExecute=yes") && out.stderr.contains("systemd/overrides/jit-plugins.conf"), "\(out.stderr)")
        env["INVOCATION_ID"] = nil
        let plain = try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/g.toml"], cwd: dir, environment: env)
        #expect(!plain.stderr.contains("MemoryDenyWriteExecute"), "no hint outside systemd: \(plain.stderr)")
    }
}

/// Issue #16: the cancel message of protocol version 2, in the daemon.
@Suite("plugin cancel", .serialized)
struct PluginCancelTests {
    @Test("A document abandoned at daemon.document_timeout: a v2 worker with the cancel capability is told, answers, and is kept (same pid, no restart)")
    func cancelKeepsWorker() throws {
        let d = try DaemonHarness(extra: "document_timeout = \"1500ms\"", processors: """
            [processors.v2]
            kind = "exec"
            command = ["/usr/bin/python3", "\(OperationsTests.workers)/v2.py"]
            kill_grace = "3s"
            """)
        try d.start()
        defer { d.stop() }
        try "A quick one.".write(toFile: d.inbox + "/first.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { FileManager.default.fileExists(atPath: d.outbox + "/first.txt.json") })
        let first = try JSONValue.parse(String(contentsOfFile: d.outbox + "/first.txt.json", encoding: .utf8))
        let pid = first["v2"]?["pid"]?.intValue
        #expect(pid != nil)

        try "A SLOW one.".write(toFile: d.inbox + "/slow.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { FileManager.default.fileExists(atPath: d.outbox + "/failed/slow.txt.error.json") || d.log_.contains("failed \"slow.txt\"") }, "\(d.log_)")
        #expect(TestSupport.eventually(timeout: 10) { d.log_.contains("the worker acknowledged and is kept") }, "\(d.log_)")

        try "A quick one again.".write(toFile: d.inbox + "/third.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { FileManager.default.fileExists(atPath: d.outbox + "/third.txt.json") })
        let third = try JSONValue.parse(String(contentsOfFile: d.outbox + "/third.txt.json", encoding: .utf8))
        #expect(third["v2"]?["pid"]?.intValue == pid, "the same worker, with its loaded model, answered")
    }
}

/// Issue #16: a plugin past its timeout, as an operator sees it.
@Suite("processor timeouts", .serialized)
struct ProcessorTimeoutTests {
    @Test("A plugin past its timeout: counted as a timeout and a failure by reason, its worker restarted, the document still processed")
    func timeoutCounted() throws {
        let d = try DaemonHarness(processors: """
            [processors.hang]
            kind = "exec"
            command = ["/usr/bin/python3", "\(OperationsTests.workers)/hang.py"]
            timeout = "700ms"
            kill_grace = "200ms"
            [metrics]
            textfile = "TEXTFILE"
            interval = "100ms"
            """)
        let textfile = d.root + "/gleaner.prom"
        try String(contentsOfFile: d.config, encoding: .utf8).replacingOccurrences(of: "TEXTFILE", with: textfile)
            .write(toFile: d.config, atomically: true, encoding: .utf8)
        try d.start()
        defer { d.stop() }
        func metrics() -> String { (try? String(contentsOfFile: textfile, encoding: .utf8)) ?? "" }
        try "Please HANG on this one.".write(toFile: d.inbox + "/slow.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { OperationsTests.value(metrics(), "gleaner_documents_processed_total") == 1 }, "\(metrics())")
        var text = metrics()
        #expect(OperationsTests.value(text, #"gleaner_processor_timeouts_total{processor="hang"}"#) == 1, "\(text)")
        #expect(OperationsTests.value(text, #"gleaner_processor_failures_total{processor="hang",reason="timeout"}"#) == 1)
        #expect(OperationsTests.value(text, #"gleaner_processor_duration_seconds_count{processor="hang"}"#) == 1)
        let result = try JSONValue.parse(String(contentsOfFile: d.outbox + "/slow.txt.json", encoding: .utf8))
        #expect(result["processors"]?.arrayValue?.first?["reason"] == "timeout", "\(result)")

        try "A quick one.".write(toFile: d.inbox + "/quick.txt", atomically: false, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { OperationsTests.value(metrics(), "gleaner_documents_processed_total") == 2 })
        text = metrics()
        #expect(OperationsTests.value(text, #"gleaner_processor_worker_restarts_total{processor="hang"}"#) == 1, "\(text)")
        #expect(OperationsTests.value(text, #"gleaner_processor_runs_total{processor="hang",outcome="ok"}"#) == 1)
    }
}
