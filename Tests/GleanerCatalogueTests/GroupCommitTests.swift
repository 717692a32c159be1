import Foundation
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
}
