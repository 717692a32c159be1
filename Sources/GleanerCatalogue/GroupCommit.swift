import Foundation

/// The state of a group commit, as a value: items wait in `pending`; the first submitter while nobody leads
/// starts the writer ("leads"), which takes batches until none is left. Several results committed at about the
/// same time then share one transaction (one FTS5 segment, one pass over the indexes' pages) instead of one each.
///
/// A batch is due when `maxBatch` items wait, when the oldest has waited `linger` seconds, or when someone drains.
/// Lingering (as Kafka's `linger.ms` or Vector's `batch.timeout_secs`) is what makes batches large while the
/// writer keeps up: a transaction per document writes every touched index page and starts a new FTS5 segment
/// each time, and that cost the daemon a quarter of its throughput.
struct GroupCommitState<Item> {
    private(set) var pending: [(item: Item, queuedAt: Double)] = []
    private(set) var leading = false
    /// Drains waiting: batches are due at once while this is above zero.
    private(set) var flushing = 0
    /// Submitters wait while this many items are pending: the queue is bounded.
    let capacity: Int
    /// At most this many items per batch.
    let maxBatch: Int
    /// Seconds the oldest item may wait for others to share its transaction.
    let linger: Double

    init(capacity: Int, maxBatch: Int, linger: Double = 0) {
        precondition(capacity >= 1 && maxBatch >= 1 && linger >= 0)
        self.capacity = capacity
        self.maxBatch = maxBatch
        self.linger = linger
    }

    var isFull: Bool { pending.count >= capacity }
    /// Something is pending or being written.
    var isBusy: Bool { leading || !pending.isEmpty }

    /// Queues an item at time `now` (seconds); true when the caller must start the writer.
    mutating func enqueue(_ item: Item, now: Double = 0) -> Bool {
        pending.append((item, now))
        if leading { return false }
        leading = true
        return true
    }

    /// Seconds until the next batch is due at `now`: 0 when it is due, nil when nothing is pending.
    func wait(now: Double) -> Double? {
        guard let oldest = pending.first else { return nil }
        if pending.count >= maxBatch || flushing > 0 || isFull { return 0 }
        return max(0, oldest.queuedAt + linger - now)
    }

    /// The writer's next batch, oldest first; nil (and the writer stops) when nothing is pending. The writer
    /// calls it when `wait(now:)` says a batch is due (or nothing is pending).
    mutating func takeBatch() -> [Item]? {
        precondition(leading, "only the writer takes batches")
        guard !pending.isEmpty else {
            leading = false
            return nil
        }
        let n = min(maxBatch, pending.count)
        let batch = pending.prefix(n).map(\.item)
        pending.removeFirst(n)
        return batch
    }

    mutating func beginFlush() { flushing += 1 }
    mutating func endFlush() { flushing -= 1 }
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
    private let clock = ContinuousClock()
    private let epoch: ContinuousClock.Instant

    /// - Parameter linger: seconds an item may wait for others to share its transaction (0: write at once).
    public init(capacity: Int = 256, maxBatch: Int = 64, linger: Double = 0, write: @escaping @Sendable ([Item]) -> Void) {
        state = GroupCommitState(capacity: capacity, maxBatch: maxBatch, linger: linger)
        self.write = write
        epoch = clock.now
    }

    private var now: Double {
        let d = clock.now - epoch
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Queues `item` for the writer and returns (waiting only while the queue is full).
    public func submit(_ item: Item) {
        condition.lock()
        while state.isFull { condition.wait() }
        let leads = state.enqueue(item, now: now)
        if state.wait(now: now) == 0 { condition.broadcast() }  // a full batch: wake a lingering writer
        condition.unlock()
        guard leads else { return }
        writer.async { self.lead() }
    }

    /// The writer: batches until the queue is empty.
    private func lead() {
        while true {
            condition.lock()
            while let seconds = state.wait(now: now), seconds > 0 {
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
            }
            let batch = state.takeBatch()
            condition.broadcast()
            condition.unlock()
            guard let batch else { return }
            write(batch)
        }
    }

    /// Waits until everything submitted so far is written (without lingering).
    public func drain() {
        condition.lock()
        state.beginFlush()
        condition.broadcast()
        while state.isBusy { condition.wait() }
        state.endFlush()
        condition.unlock()
    }
}
