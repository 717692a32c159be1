import Foundation

/// The state of a group commit, as a value: items wait in `pending`; the first submitter while nobody leads
/// becomes the leader and takes batches until none is left. Several results committed at about the same time
/// then share one transaction (one FTS5 segment, one pass over the indexes' pages) instead of one each.
struct GroupCommitState<Item> {
    private(set) var pending: [Item] = []
    private(set) var leading = false
    /// Submitters wait while this many items are pending: the queue is bounded.
    let capacity: Int
    /// At most this many items per batch.
    let maxBatch: Int

    init(capacity: Int, maxBatch: Int) {
        precondition(capacity >= 1 && maxBatch >= 1)
        self.capacity = capacity
        self.maxBatch = maxBatch
    }

    var isFull: Bool { pending.count >= capacity }
    /// Something is pending or being written.
    var isBusy: Bool { leading || !pending.isEmpty }

    /// Queues an item; true when the caller must lead (write batches until `takeBatch` returns nil).
    mutating func enqueue(_ item: Item) -> Bool {
        pending.append(item)
        if leading { return false }
        leading = true
        return true
    }

    /// The leader's next batch, oldest first; nil (and the leader resigns) when nothing is pending.
    mutating func takeBatch() -> [Item]? {
        precondition(leading, "only the leader takes batches")
        guard !pending.isEmpty else {
            leading = false
            return nil
        }
        let n = min(maxBatch, pending.count)
        let batch = Array(pending.prefix(n))
        pending.removeFirst(n)
        return batch
    }
}

/// Group commit: submitters queue their items and return; one writer (a serial dispatch queue, started when the
/// first item arrives and stopping when none is left) writes them in batches. A submitter never writes other
/// submitters' items on its own thread, so a daemon worker is never held by the catalogue (when the caller led,
/// the worker that happened to lead became the catalogue's writer and the daemon lost a third of its throughput).
/// Submitters block only while `capacity` items are already waiting.
public final class GroupCommit<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var state: GroupCommitState<Item>  // guarded by `condition`
    private let write: @Sendable ([Item]) -> Void
    private let writer = DispatchQueue(label: "gleaner.catalogue.writer")

    public init(capacity: Int = 256, maxBatch: Int = 64, write: @escaping @Sendable ([Item]) -> Void) {
        state = GroupCommitState(capacity: capacity, maxBatch: maxBatch)
        self.write = write
    }

    /// Queues `item` for the writer and returns (waiting only while the queue is full).
    public func submit(_ item: Item) {
        condition.lock()
        while state.isFull { condition.wait() }
        let leads = state.enqueue(item)
        condition.unlock()
        guard leads else { return }
        writer.async { self.lead() }
    }

    /// The writer: batches until the queue is empty.
    private func lead() {
        while true {
            condition.lock()
            let batch = state.takeBatch()
            condition.broadcast()
            condition.unlock()
            guard let batch else { return }
            write(batch)
        }
    }

    /// Waits until everything submitted so far is written.
    public func drain() {
        condition.lock()
        while state.isBusy { condition.wait() }
        condition.unlock()
    }
}
