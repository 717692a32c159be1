import Foundation
import GleanerCatalogue
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real daemon, killed with SIGKILL in the middle of a burst, then restarted: the catalogue must list
/// exactly the results on disk.
@Suite("Catalogue after kill -9 of the daemon")
struct CrashTests {
    func start(_ w: Workspace, log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.binary)
        p.arguments = ["run", "--config", w.config]
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = nil
        p.environment = env
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)
        p.standardError = handle
        p.standardOutput = handle
        try p.run()
        let started = TestSupport.eventually(timeout: 30) {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("watching ") || !p.isRunning
        }
        guard started, p.isRunning else { throw TestFailure("the daemon did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")") }
        return p
    }

    func results(_ w: Workspace) -> [String] {
        Catalogue.scan(w.folders).filter { !$0.isFailure }.map(\.stored).sorted()
    }

    @Test("The catalogue matches the results on disk after kill -9 during a burst and a restart")
    func killDuringBurst() throws {
        let w = try Workspace(extra: """
            [daemon]
            workers = 2
            settle = "50ms"
            status_interval = "200ms"
            """)
        let inbox = w.root + "/inbox"
        let first = try start(w, log: w.root + "/daemon1.log")
        let total = 60
        let texts = Array(Articles.all.values)
        for i in 0..<total {
            let text = texts[i % texts.count] + "\n\nUpdate \(i): the story was revised.\n"
            try text.write(toFile: inbox + "/burst-\(i).txt", atomically: true, encoding: .utf8)
        }
        // Some results are written, others not yet: kill in the middle.
        _ = TestSupport.eventually(timeout: 60) { results(w).count >= 8 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let atKill = results(w).count
        #expect(atKill < total, "the burst was over before the kill; the test proves less")

        let second = try start(w, log: w.root + "/daemon2.log")
        let done = TestSupport.eventually(timeout: 180) {
            results(w).count == total && ((try? FileManager.default.contentsOfDirectory(atPath: inbox))?.filter { !$0.hasPrefix(".") }.isEmpty ?? false)
        }
        #expect(done, "\(results(w).count) of \(total) results")
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()

        let verify = try w.gleaner(["catalogue", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let c = try Catalogue(path: w.catalogue)
        let listed = try c.listedPaths(failed: false)
        #expect(listed == results(w))
    }
}
