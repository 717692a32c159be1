import Foundation
import GleanerTestSupport
import Synchronization
import Testing

@testable import GleanerDaemon

/// The pure parts of readiness and scheduling, as values: the tracker with a writer check it is given,
/// the work queue's lanes, the result naming.
@Suite("Readiness and scheduling")
struct ReadinessTests {
    final class Writers: Sendable {
        let open = Mutex<Set<RawPath>>([])
        func isOpen(_ p: RawPath) -> Bool { open.withLock { $0.contains(p) } }
    }

    func file(_ dir: String, _ name: String, bytes: Int) throws -> RawPath {
        let path = dir + "/" + name
        try String(repeating: "x", count: bytes).write(toFile: path, atomically: false, encoding: .utf8)
        return RawPath(path)
    }

    @Test("A file some process holds open for writing is not due, however long it was quiet")
    func openWriterWaits() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let writers = Writers()
        let tracker = ReadinessTracker(settle: .zero) { writers.isOpen($0) }
        let a = try file(dir, "a.txt", bytes: 10)
        writers.open.withLock { _ = $0.insert(a) }
        await tracker.sighted(a)
        #expect(await tracker.due().isEmpty)
        #expect(await tracker.due().isEmpty, "still open: still waiting")
        writers.open.withLock { $0.removeAll() }
        #expect(await tracker.due() == [a])
    }

    @Test("Files due together come smallest first")
    func smallestFirst() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let tracker = ReadinessTracker(settle: .zero) { _ in false }
        let big = try file(dir, "big.txt", bytes: 5000), small = try file(dir, "small.txt", bytes: 5), mid = try file(dir, "mid.txt", bytes: 500)
        for p in [big, mid, small] { await tracker.touch(p) }
        #expect(await tracker.due() == [small, mid, big])
    }

    @Test("A name written again while in flight is queued behind it, not dropped")
    func againWhileInFlight() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let tracker = ReadinessTracker(settle: .zero) { _ in false }
        let a = try file(dir, "a.txt", bytes: 10)
        await tracker.touch(a)
        #expect(await tracker.due() == [a])
        await tracker.touch(a)  // a new version under the same name while the first is processed
        #expect(await tracker.due().isEmpty)
        await tracker.done(a)
        #expect(await tracker.due() == [a])
    }

    @Test("With a worker kept for ordinary items, a large item never takes it; oldest first otherwise")
    func lanes() async {
        let queue = WorkQueue<Int>(capacity: 10) { $0 >= 100 }
        for item in [100, 1, 200, 2] { await queue.push(item) }
        #expect(await queue.pop(large: false) == 1)
        #expect(await queue.pop(large: true) == 100)
        #expect(await queue.pop(large: false) == 2)
        #expect(await queue.count == 1)
        #expect(await queue.pop(large: true) == 200)
    }

    @Test("Result stems: same input same stem; another input, a cleaned-up twin or a top-level index get the next number")
    func stems() {
        let existing: [String: (String?, String)] = ["/o/a_.txt.json": ("a\u{1}.txt", "s1"), "/o/r.txt.json": ("r.txt", "s1")]
        func stem(_ name: String, _ sha: String) -> String {
            OutboxLayoutProbe.stem(name, sha, existing)
        }
        #expect(stem("r.txt", "s1") == "/o/r.txt")
        #expect(stem("r.txt", "s2") == "/o/r.txt.2")
        #expect(stem("a\u{1}.txt", "s1") == "/o/a_.txt")
        #expect(stem("a\u{2}.txt", "s1") == "/o/a_.txt.2")
        #expect(stem("index", "s1") == "/o/index.2")
        let long = String(repeating: "é", count: 150) + ".html"
        let shortened = stem(long, "s1")
        #expect(shortened.utf8.count <= 3 + 200 && shortened.hasSuffix(".html") && shortened.contains("~"))
        #expect(stem(long, "s1") == shortened, "deterministic")
    }
}

import GleanerPipeline

enum OutboxLayoutProbe {
    static func stem(_ name: String, _ sha: String, _ existing: [String: (String?, String)]) -> String {
        OutboxLayout.resultStem(outbox: "/o", name: name, sha256: sha) { path in
            existing[path].map { ResultIdentity(name: $0.0, sha256: $0.1) }
        }.stem
    }
}
