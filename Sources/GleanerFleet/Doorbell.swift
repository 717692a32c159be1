import Synchronization

/// Wakes idle workers: `ring()` (from a `NOTIFY`) ends every `wait(upTo:)` in progress. A wait also ends by
/// itself after its time-out, so that a lost notification (a reconnect) costs at most one period.
public final class Doorbell: Sendable {
    private let state = Mutex<(rung: UInt64, waiters: [Int: CheckedContinuation<Void, Never>], next: Int)>((0, [:], 0))

    public init() {}

    public func ring() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.rung &+= 1
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// How many times it rang: a worker reads it before looking for work, and waits only if it did not ring since.
    public var rung: UInt64 { state.withLock { $0.rung } }

    /// Waits until it rings after `since` (a value of `rung`), or for `timeout`, or until cancelled.
    public func wait(since: UInt64, upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing(since: since) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing(since: UInt64) async {
        let key = state.withLock { s -> Int in s.next += 1; return s.next }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.rung != since || Task.isCancelled { return true }
                    s.waiters[key] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let w = state.withLock { s in s.waiters.removeValue(forKey: key) }
            w?.resume()
        }
    }
}
