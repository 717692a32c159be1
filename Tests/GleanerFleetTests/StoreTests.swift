import Foundation
import GleanerCatalogue
import GleanerCore
import GleanerFleet
import GleanerTestSupport
import Logging
import Testing

/// A throwaway server and a client on it, for one test.
final class Fixture: @unchecked Sendable {
    let server: PostgresServer
    let database: FleetDatabase
    let runner: Task<Void, Never>

    init() throws {
        server = try PostgresServer()
        database = FleetDatabase(url: try PostgresURL(parsing: server.url), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let client = database.client
        runner = Task { await client.run() }
    }

    func store(_ node: String, aliases: AliasTable = AliasTable()) -> FleetStore {
        FleetStore(database: database, node: node, aliases: aliases, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func close() {
        runner.cancel()
        server.stop()
    }
}

/// A minimal `gleaner.document/1` result with entities and a quotation.
func resultJSON(name: String, speaker: String, text: String) -> [UInt8] {
    let value: JSONValue = [
        "schema": "gleaner.document/1",
        "source": ["name": .string(name), "sha256": .string(FleetStore.sha256(Data(name.utf8))), "bytes": .int(text.utf8.count),
                   "media_type": "text/plain", "received_at": "2026-12-03T10:00:00Z"],
        "text": .string(text),
        "language": ["code": "en"],
        "entities": [
            ["start": 0, "end": .int(speaker.unicodeScalars.count), "text": .string(speaker), "type": "PERSON", "id": "E1", "canonical": .string(speaker)],
        ],
        "quotes": [
            ["start": 10, "end": 20, "text": "we will win", "kind": "direct", "speaker": ["text": .string(speaker), "name": .string(speaker), "entity": "E1"]],
        ],
    ]
    return Array(value.serializedBytes())
}

@Suite(.serialized, .enabled(if: PostgresServer.enabled, "\(PostgresServer.skipMessage)"))
struct StoreTests {
    @Test func migrationsRunOnceWhenNodesStartTogether() async throws {
        let f = try Fixture()
        defer { f.close() }
        // Five nodes migrate at once: the advisory lock lets one apply, the others find it done.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<5 { group.addTask { try await f.database.migrate(node: "n\(n)") } }
            for try await v in group { #expect(v >= 1) }
        }
        #expect(try f.server.psql("SELECT count(*) FROM gleaner_schema") == "1")
    }

    @Test func registerTakeCommitExactlyOnce() async throws {
        let f = try Fixture()
        defer { f.close() }
        try await f.database.migrate(node: "a")
        let a = f.store("a"), b = f.store("b")
        try await a.announce(workers: 2, status: "test")
        let content = Data("Senator Jane Roe said \u{201C}we will win\u{201D}.".utf8)
        let sha = FleetStore.sha256(content)
        guard case .queued(let id) = try await a.register(name: "one.txt", sha256: sha, content: content) else {
            Issue.record("not queued"); return
        }
        // The same drop again is recognised; another name with the same bytes is a new document.
        #expect(try await b.register(name: "one.txt", sha256: sha, content: content) == .duplicate(id: id, state: "queued"))
        guard case .queued = try await b.register(name: "two.txt", sha256: sha, content: content) else { Issue.record("not queued"); return }

        // Two nodes take at once: SKIP LOCKED gives each its own document.
        async let la = a.take(lease: .seconds(30))
        async let lb = b.take(lease: .seconds(30))
        let (x, y) = try await (la, lb)
        let leases = [x, y].compactMap { $0 }
        #expect(leases.count == 2)
        #expect(Set(leases.map(\.id)).count == 2)
        #expect(try await a.take(lease: .seconds(30)) == nil)
        let first = try #require(leases.first { $0.name == "one.txt" })
        #expect(first.content == content)
        #expect(first.attempts == 1)

        let owner = first.generation == x?.generation && first.id == x?.id ? a : b
        let record = try ResultRecord(json: resultJSON(name: "one.txt", speaker: "Jane Roe", text: String(decoding: content, as: UTF8.self)))
        #expect(try await owner.commit(first, results: [.init(record: record, resultPath: "one.json", viewPath: "one.html")]) == .committed)
        // A retried commit (answer lost) finds its own commit.
        #expect(try await owner.commit(first, results: [.init(record: record, resultPath: "one.json", viewPath: "one.html")]) == .committed)
        #expect(try f.server.psql("SELECT count(*) FROM document WHERE result_path = 'one.json'") == "1")
        #expect(try f.server.psql("SELECT state FROM fleet_document WHERE id = \(first.id)") == "done")
        #expect(try f.server.psql("SELECT count(*) FROM quotation q JOIN entity e ON e.id = q.entity_id WHERE e.name = 'Jane Roe'") == "1")
        // Full-text search over the catalogue.
        #expect(try f.server.psql("SELECT count(*) FROM document WHERE search @@ plainto_tsquery('simple', 'senator roe')") == "1")
        let status = try await a.status()
        #expect(status.done == 1 && status.inFlight == 1 && status.queued == 0 && status.duplicates == 1)
        #expect(status.nodes.map(\.name) == ["a"])
    }

    @Test func anExpiredLeaseIsFencedAndTakenOver() async throws {
        let f = try Fixture()
        defer { f.close() }
        try await f.database.migrate(node: "a")
        let a = f.store("a"), b = f.store("b")
        let content = Data("text".utf8)
        _ = try await a.register(name: "doc.txt", sha256: FleetStore.sha256(content), content: content)
        // Node a takes it with a short lease, then "pauses" (no heartbeat).
        let stale = try #require(try await a.take(lease: .milliseconds(200)))
        try await Task.sleep(for: .milliseconds(400))
        let reaped = try await b.reap(maxAttempts: 3)
        #expect(reaped.requeued == 1)
        let fresh = try #require(try await b.take(lease: .seconds(30)))
        #expect(fresh.id == stale.id)
        #expect(fresh.generation == stale.generation + 1)
        #expect(fresh.attempts == 2)
        // a's heartbeat finds its lease lost; its late commit is refused.
        #expect(try await a.heartbeat(leases: [(stale.id, stale.generation)], lease: .seconds(30), workers: 1, status: "") == [stale.id])
        let record = try ResultRecord(json: resultJSON(name: "doc.txt", speaker: "Jane Roe", text: "text"))
        #expect(try await a.commit(stale, results: [.init(record: record, resultPath: "doc.json", viewPath: nil)]) == .fenced)
        #expect(try await b.commit(fresh, results: [.init(record: record, resultPath: "doc.json", viewPath: nil)]) == .committed)
        #expect(try f.server.psql("SELECT node || ' ' || count(*) FROM document GROUP BY node") == "b 1")
    }

    @Test func maxAttemptsExpiredLeasesFailTheDocument() async throws {
        let f = try Fixture()
        defer { f.close() }
        try await f.database.migrate(node: "a")
        let a = f.store("a")
        let content = Data("poison".utf8)
        _ = try await a.register(name: "poison.txt", sha256: FleetStore.sha256(content), content: content)
        for attempt in 1...2 {
            let l = try #require(try await a.take(lease: .milliseconds(50)))
            #expect(l.attempts == attempt)
            try await Task.sleep(for: .milliseconds(150))
            let r = try await a.reap(maxAttempts: 2)
            #expect(r.requeued == (attempt < 2 ? 1 : 0) && r.failed == (attempt < 2 ? 0 : 1))
        }
        #expect(try await a.take(lease: .seconds(1)) == nil)
        let status = try await a.status()
        #expect(status.failed == 1)
        #expect(status.lastFailures.first?.reason == "crashed")
        #expect(try f.server.psql("SELECT failed::text || ' ' || failure_reason FROM document") == "true crashed")
    }

    @Test func identityAcrossDocumentsFromTwoNodes() async throws {
        let f = try Fixture()
        defer { f.close() }
        try await f.database.migrate(node: "a")
        let nodes = [f.store("a"), f.store("b")]
        // Twenty documents naming one person, committed concurrently by two nodes: one catalogue entity.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    let store = nodes[i % 2]
                    let content = Data("doc \(i)".utf8)
                    _ = try await store.register(name: "d\(i).txt", sha256: FleetStore.sha256(content), content: content)
                    let lease = try #require(try await store.take(lease: .seconds(30)))
                    let name = i % 3 == 0 ? "Donald J. Trump" : "Donald Trump"
                    let record = try ResultRecord(json: resultJSON(name: lease.name, speaker: name, text: "\(name) said we will win."))
                    #expect(try await store.commit(lease, results: [.init(record: record, resultPath: "r\(lease.id).json", viewPath: nil)]) == .committed)
                }
            }
            try await group.waitForAll()
        }
        #expect(try f.server.psql("SELECT count(*) FROM entity WHERE type = 'PERSON'") == "1")
        #expect(try f.server.psql("SELECT count(*) FROM document") == "20")
        #expect(try f.server.psql("SELECT count(*) FROM quotation WHERE entity_id IS NOT NULL") == "20")
    }
}
