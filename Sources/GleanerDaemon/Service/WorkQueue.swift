/// A bounded queue between the producers (watcher, scans, recovery) and the workers: a producer waits
/// while it is full, so a backlog of 100,000 files never sits in memory at once, and a worker waits
/// while it is empty.
///
/// Items are either ordinary or large. Oldest first, except that a worker may be kept for ordinary items
/// only (`pop(large: false)`): with one such worker, large documents can never take every worker, and a
/// short note dropped behind two large reports is processed at once.
actor WorkQueue<Item: Sendable> {
    private struct Lane {
        var items: [(sequence: Int, item: Item)] = []
        var head = 0
        var count: Int { items.count - head }
        var first: (sequence: Int, item: Item)? { head < items.count ? items[head] : nil }

        mutating func removeFirst() -> Item {
            let item = items[head].item
            head += 1
            if head > 1024 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    private var ordinary = Lane()
    private var large = Lane()
    private var sequence = 0
    private let capacity: Int
    private let isLarge: @Sendable (Item) -> Bool
    private var waitingConsumers: [(takesLarge: Bool, continuation: CheckedContinuation<Item?, Never>)] = []
    private var waitingProducers: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(capacity: Int, isLarge: @escaping @Sendable (Item) -> Bool = { _ in false }) {
        self.capacity = max(1, capacity)
        self.isLarge = isLarge
    }

    var count: Int { ordinary.count + large.count }

    /// Adds an item, waiting for room. Returns false when the queue is closed.
    @discardableResult
    func push(_ item: Item) async -> Bool {
        while !closed && count >= capacity {
            await withCheckedContinuation { waitingProducers.append($0) }
        }
        guard !closed else { return false }
        let big = isLarge(item)
        if let k = waitingConsumers.firstIndex(where: { !big || $0.takesLarge }) {
            waitingConsumers.remove(at: k).continuation.resume(returning: item)
            return true
        }
        sequence += 1
        if big { large.items.append((sequence, item)) } else { ordinary.items.append((sequence, item)) }
        return true
    }

    /// The oldest item this worker may take (with `large: false`, ordinary items only), or nil once the
    /// queue is closed and drained.
    func pop(large takesLarge: Bool = true) async -> Item? {
        let useLarge: Bool?
        switch (ordinary.first, takesLarge ? large.first : nil) {
        case let (o?, l?): useLarge = l.sequence < o.sequence
        case (_?, nil): useLarge = false
        case (nil, _?): useLarge = true
        case (nil, nil): useLarge = nil
        }
        if let useLarge {
            let item = useLarge ? large.removeFirst() : ordinary.removeFirst()
            if !waitingProducers.isEmpty { waitingProducers.removeFirst().resume() }
            return item
        }
        if closed { return nil }
        return await withCheckedContinuation { waitingConsumers.append((takesLarge, $0)) }
    }

    /// Stops intake: waiting producers and consumers are released; queued items
    /// are dropped (they are still in the inbox and are found again at start-up).
    func close() -> [Item] {
        closed = true
        let dropped = (ordinary.items[ordinary.head...] + large.items[large.head...]).sorted { $0.sequence < $1.sequence }.map(\.item)
        ordinary = Lane()
        large = Lane()
        for c in waitingConsumers { c.continuation.resume(returning: nil) }
        waitingConsumers.removeAll()
        for p in waitingProducers { p.resume() }
        waitingProducers.removeAll()
        return dropped
    }
}
