import Foundation
import GRDB
import Synchronization
import Testing

@testable import GleanerCatalogue

@Suite struct GroupCommitTests {
    @Test func theFirstSubmitterLeadsAndTakesBatchesUntilEmpty() {
        var s = GroupCommitState<Int>(capacity: 4, maxBatch: 2)
        #expect(!s.isBusy)
        let leads = [s.enqueue(1), s.enqueue(2), s.enqueue(3)]
        #expect(leads == [true, false, false])  // the first leads; the leader takes the others
        let first = s.takeBatch()
        #expect(first == [1, 2])
        let leadsAgain = s.enqueue(4)
        #expect(!leadsAgain)
        #expect(s.isFull == false)
        let second = s.takeBatch()
        #expect(second == [3, 4])
        #expect(s.isBusy)  // still leading until it finds the queue empty
        let none = s.takeBatch()
        #expect(none == nil)
        #expect(!s.isBusy)
        let newLeader = s.enqueue(5)
        #expect(newLeader)
    }

    @Test func theQueueIsBounded() {
        var s = GroupCommitState<Int>(capacity: 2, maxBatch: 8)
        _ = s.enqueue(1)
        _ = s.enqueue(2)
        #expect(s.isFull)
        let batch = s.takeBatch()
        #expect(batch == [1, 2])
        #expect(!s.isFull)
    }

    /// Lingering: a batch is due when the oldest item has waited `linger`, when `maxBatch` wait, or on a drain.
    @Test func aBatchIsDueAfterLingerOrWhenFullOrOnDrain() {
        var s = GroupCommitState<Int>(capacity: 8, maxBatch: 3, linger: 0.5)
        #expect(s.wait(now: 0) == nil)  // nothing pending
        _ = s.enqueue(1, now: 10)
        #expect(s.wait(now: 10) == 0.5)
        _ = s.enqueue(2, now: 10.125)
        #expect(s.wait(now: 10.25) == 0.25)  // the oldest sets the deadline
        #expect(s.wait(now: 10.5) == 0)
        #expect(s.wait(now: 11) == 0)
        _ = s.enqueue(3, now: 10.3)
        #expect(s.wait(now: 10.3) == 0)  // maxBatch items wait: due at once
        let batch = s.takeBatch()
        #expect(batch == [1, 2, 3])
        _ = s.enqueue(4, now: 20)
        #expect(s.wait(now: 20) == 0.5)
        s.beginFlush()
        #expect(s.wait(now: 20) == 0)  // a drain does not wait
        s.endFlush()
        #expect(s.wait(now: 20.125) == 0.375)
    }

    /// A drain writes what lingers at once: a graceful stop never waits for the linger.
    @Test func drainDoesNotWaitForTheLinger() {
        let written = Mutex<[Int]>([])
        let group = GroupCommit<Int>(linger: 30) { batch in written.withLock { $0 += batch } }
        group.submit(1)
        group.submit(2)
        let clock = ContinuousClock()
        let started = clock.now
        group.drain()
        #expect(clock.now - started < .seconds(10))
        #expect(written.withLock { $0 } == [1, 2])
    }

    /// Items that linger are written together once the linger is over, without a drain.
    @Test func lingeringItemsAreWrittenTogether() {
        let batches = Mutex<[[Int]]>([])
        let group = GroupCommit<Int>(linger: 0.3) { batch in batches.withLock { $0.append(batch) } }
        for i in 0..<5 { group.submit(i) }
        var waited = 0
        while batches.withLock({ $0.isEmpty }) && waited < 100 {
            usleep(50_000)
            waited += 1
        }
        #expect(batches.withLock { $0 } == [[0, 1, 2, 3, 4]])
    }

    /// Many threads submit at once: every item is written exactly once, in batches, and `drain` returns
    /// only when all are written.
    @Test func concurrentSubmittersShareBatches() {
        let written = Mutex<(items: [Int], batches: Int)>(([], 0))
        let group = GroupCommit<Int>(capacity: 16, maxBatch: 8) { batch in
            usleep(2_000)  // a transaction takes time; others queue meanwhile
            written.withLock { $0.items += batch; $0.batches += 1 }
        }
        // Eight threads of their own (not a shared pool, which a busy machine may run one after another).
        let done = DispatchGroup()
        for t in 0..<8 {
            done.enter()
            Thread {
                for k in 0..<25 { group.submit(t * 25 + k) }
                done.leave()
            }.start()
        }
        done.wait()
        group.drain()
        let (items, batches) = written.withLock { $0 }
        #expect(items.sorted() == Array(0..<200))
        #expect(batches < 200, "submissions during a write share the next batch")
    }
}

@Suite struct CatalogueBatchTests {
    /// Writes of one transaction apply in order: a removal, then a new document.
    @Test func aBatchWritesAndRemovesInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gleaner-batch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalogue = try Catalogue(path: dir + "/c.sqlite")
        func result(_ name: String, text: String) throws -> ResultRecord {
            let json = """
                {"schema":"gleaner.document/1","source":{"name":"\(name)","sha256":"x","bytes":1,"media_type":"text/plain","received_at":"2026-12-03T10:00:00Z"},"text":"\(text)","entities":[],"quotes":[]}
                """
            return try ResultRecord(json: Array(json.utf8))
        }
        try catalogue.apply([
            .result(try result("a.txt", text: "first"), resultPath: "a.txt.json", viewPath: nil, stamp: nil),
            .result(try result("b.txt", text: "second"), resultPath: "b.txt.json", viewPath: nil, stamp: nil),
        ])
        #expect(try catalogue.counts()["document"] == 2)
        try catalogue.apply([.remove(path: "a.txt.json"), .result(try result("c.txt", text: "third"), resultPath: "c.txt.json", viewPath: nil, stamp: nil)])
        #expect(try catalogue.counts()["document"] == 2)
    }

    /// A result naming people (mentions with a cluster, a quotation by the cluster).
    static func person(_ file: String, _ name: String, text: String = "Jane Doe spoke.") throws -> ResultRecord {
        let json = """
            {"schema":"gleaner.document/1","source":{"name":"\(file)","sha256":"x","bytes":1,"media_type":"text/plain",\
            "received_at":"2026-12-03T10:00:00Z"},"text":"\(text)",\
            "entities":[{"start":0,"end":8,"type":"PERSON","text":"\(name)","id":"E1","canonical":"\(name)"}],\
            "quotes":[{"start":0,"end":4,"text":"Jane","kind":"direct","speaker":{"text":"\(name)","name":"\(name)","entity":"E1"}}]}
            """
        return try ResultRecord(json: Array(json.utf8))
    }

    /// Names resolved once are remembered across transactions; when their entity is deleted (its last document
    /// removed), the same name must make a new, valid entity, never reuse the deleted id.
    @Test func aNameWhoseEntityWasDeletedResolvesAgain() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gleaner-identity-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalogue = try Catalogue(path: dir + "/c.sqlite")
        try catalogue.apply([.result(try Self.person("a.txt", "Jane Doe"), resultPath: "a.txt.json", viewPath: nil, stamp: nil)])
        try catalogue.apply([.result(try Self.person("b.txt", "Jane Doe"), resultPath: "b.txt.json", viewPath: nil, stamp: nil)])
        let first = try #require(try catalogue.entities(type: "PERSON", matching: "Jane Doe").first)
        #expect(first.count == 2)
        try catalogue.apply([.remove(path: "a.txt.json"), .remove(path: "b.txt.json")])
        #expect(try catalogue.entities(type: "PERSON", matching: "Jane Doe").isEmpty)
        try catalogue.apply([.result(try Self.person("c.txt", "Jane Doe"), resultPath: "c.txt.json", viewPath: nil, stamp: nil)])
        let again = try #require(try catalogue.entities(type: "PERSON", matching: "Jane Doe").first)
        let detail = try #require(try catalogue.entity(id: again.id))
        #expect(detail.documents == 1 && detail.quotations == 1)

        // The same catalogue as one built from that document alone.
        let fresh = try Catalogue(path: dir + "/fresh.sqlite")
        try fresh.apply([.result(try Self.person("c.txt", "Jane Doe"), resultPath: "c.txt.json", viewPath: nil, stamp: nil)])
        #expect(try catalogue.dump() == fresh.dump())
        // No row refers to a deleted entity or document.
        #expect(try catalogue.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }

    /// The first line that is not blank names a document without a title, whatever the line breaks.
    @Test func theHeadlineIsTheFirstLineThatIsNotBlank() throws {
        let r = try Self.person("h.txt", "Jane Doe", text: "\\r\\n  \\t\\r\\n  Jane   Doe  spoke\\u2028second line\\nthird")
        #expect(r.headline == "Jane Doe spoke")
        #expect(r.headlineSource == "first-line")
        let blank = try Self.person("blank.txt", "Jane Doe", text: " \\n\\n ")
        #expect(blank.headline == "blank.txt" && blank.headlineSource == "file-name")
    }

    /// Schema v3 keeps a v2 catalogue's mentions, in their document's order.
    @Test func migratingToV3KeepsMentionsInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gleaner-migrate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: dir + "/c.sqlite")
        try Schema.migrator.migrate(pool, upTo: "v2: per-entity daily sums for timelines")
        try pool.write { db in
            try db.execute(sql: "INSERT INTO document(id, result_path, source_name, headline, headline_source, received_at, date) VALUES (7, 'a.json', 'a', 'A', 'first-line', '2026-01-01', '2026-01-01')")
            try db.execute(sql: "INSERT INTO entity(id, type, name) VALUES (3, 'PERSON', 'Jane Doe')")
            for (start, text) in [(40, "Doe"), (0, "Jane Doe"), (90, "Jane")] {
                try db.execute(sql: "INSERT INTO mention(document_id, entity_id, start, \"end\", text, type, cluster) VALUES (7, 3, ?, ?, ?, 'PERSON', 'E1')",
                               arguments: [start, start + text.count, text])
            }
        }
        try pool.close()
        let catalogue = try Catalogue(path: dir + "/c.sqlite")
        let rows = try catalogue.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT ordinal, start, text, entity_id FROM mention WHERE document_id = 7 ORDER BY ordinal")
        }
        #expect(rows.map { $0[0] as Int } == [0, 1, 2])
        #expect(rows.map { $0[1] as Int } == [40, 0, 90])  // the order they were written in
        #expect(rows.allSatisfy { ($0[3] as Int64?) == 3 })
        let indexes = try catalogue.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mention'") }
        #expect(!indexes.contains("mention_by_entity"))
    }
}
