/// A bounded FIFO between the producers (watcher, scans, recovery) and the
/// workers: a producer waits while it is full, so a backlog of 100,000 files
/// never sits in memory at once, and a worker waits while it is empty.
actor WorkQueue<Item: Sendable> {
    private var items: [Item] = []
    private var head = 0
    private let capacity: Int
    private var waitingConsumers: [CheckedContinuation<Item?, Never>] = []
    private var waitingProducers: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { items.count - head }

    /// Adds an item, waiting for room. Returns false when the queue is closed.
    @discardableResult
    func push(_ item: Item) async -> Bool {
        while !closed && count >= capacity {
            await withCheckedContinuation { waitingProducers.append($0) }
        }
        guard !closed else { return false }
        if !waitingConsumers.isEmpty {
            waitingConsumers.removeFirst().resume(returning: item)
        } else {
            items.append(item)
        }
        return true
    }

    /// The next item, or nil once the queue is closed and drained.
    func pop() async -> Item? {
        if head < items.count {
            let item = items[head]
            head += 1
            if head > 1024 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            if !waitingProducers.isEmpty { waitingProducers.removeFirst().resume() }
            return item
        }
        if closed { return nil }
        return await withCheckedContinuation { waitingConsumers.append($0) }
    }

    /// Stops intake: waiting producers and consumers are released; queued items
    /// are dropped (they are still in the inbox and are found again at start-up).
    func close() -> [Item] {
        closed = true
        let dropped = Array(items[head...])
        items.removeAll()
        head = 0
        for c in waitingConsumers { c.resume(returning: nil) }
        waitingConsumers.removeAll()
        for p in waitingProducers { p.resume() }
        waitingProducers.removeAll()
        return dropped
    }
}
