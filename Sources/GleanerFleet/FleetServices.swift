import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The leases this node's workers hold, which its heartbeat extends.
public final class LeaseRegistry: Sendable {
    private let held = Mutex<[Int64: Int64]>([:])
    private let lost = Mutex<Set<Int64>>([])
    public init() {}
    public func add(_ lease: FleetStore.Lease) { held.withLock { $0[lease.id] = lease.generation } }
    public func remove(_ lease: FleetStore.Lease) {
        held.withLock { _ = $0.removeValue(forKey: lease.id) }
        lost.withLock { _ = $0.remove(lease.id) }
    }
    public var all: [(id: Int64, generation: Int64)] { held.withLock { $0.map { (id: $0.key, generation: $0.value) } } }
    public var count: Int { held.withLock { $0.count } }
    /// Leases the heartbeat found taken over by another node.
    public func markLost(_ ids: Set<Int64>) { lost.withLock { $0.formUnion(ids) } }
    public func isLost(_ id: Int64) -> Bool { lost.withLock { $0.contains(id) } }
}

/// Whether the database answers, as the daemon's status and metrics report it.
public final class FleetHealth: Sendable {
    private let state = Mutex<(problem: String?, since: Date?, retries: Int)>((nil, nil, 0))
    public init() {}
    public func ok() { state.withLock { $0 = (nil, nil, 0) } }
    public func failed(_ error: FleetError) {
        state.withLock { s in
            if s.since == nil { s.since = Date() }
            s.problem = error.description
            s.retries += 1
        }
    }
    public var problem: String? { state.withLock { $0.problem } }
    public var retries: Int { state.withLock { $0.retries } }
    public var isUp: Bool { problem == nil }
}

/// `LISTEN gleaner_fleet` on a connection of its own: each notification rings the doorbell of idle workers.
/// Reconnects with back-off when the database goes away.
public struct FleetListener: Service {
    let store: FleetStore
    let doorbell: Doorbell
    let logger: Logger

    public init(store: FleetStore, doorbell: Doorbell, logger: Logger) {
        self.store = store
        self.doorbell = doorbell
        self.logger = logger
    }

    public func run() async throws {
        let backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        // The notification sequence does not end on cancellation: listen in a task of its own, and leave it at
        // shutdown (the connection pool's shutdown closes its connection).
        let listening = Task {
            var attempt = 0
            while !Task.isCancelled {
                do {
                    try await store.database.client.withConnection { c in
                        try await c.listen(on: FleetStore.channel) { notifications in
                            attempt = 0
                            doorbell.ring()  // anything registered while not listening
                            for try await _ in notifications { doorbell.ring() }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    attempt += 1
                    logger.debug("fleet: LISTEN ended (\(FleetDatabase.wrap(error))); again in a moment")
                }
                try? await Task.sleep(for: backoff.delay(attempt: max(1, attempt)))
            }
        }
        try? await gracefulShutdown()
        listening.cancel()
    }
}

/// Every `heartbeat`: records this node's heartbeat, extends its leases, and returns expired leases of any
/// node to the queue (or to `failed` after `max_attempts`). While the database is unreachable it retries with
/// back-off and reports the problem (`FleetHealth`).
public struct FleetHeartbeat: Service {
    let store: FleetStore
    let leases: LeaseRegistry
    let health: FleetHealth
    let interval: Duration
    let lease: Duration
    let maxAttempts: Int
    let workers: Int
    let logger: Logger

    public init(store: FleetStore, leases: LeaseRegistry, health: FleetHealth, interval: Duration, lease: Duration, maxAttempts: Int,
                workers: Int, logger: Logger) {
        self.store = store
        self.leases = leases
        self.health = health
        self.interval = interval
        self.lease = lease
        self.maxAttempts = maxAttempts
        self.workers = workers
        self.logger = logger
    }

    public func run() async throws {
        let backoff = Backoff(initial: .milliseconds(200), maximum: interval)
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                do throws(FleetError) {
                    let lost = try await store.heartbeat(leases: leases.all, lease: lease, workers: workers,
                                                         status: "running, \(leases.count) in flight")
                    if !lost.isEmpty {
                        leases.markLost(lost)
                        logger.warning("fleet: \(lost.count) lease(s) of this node were taken over after expiring; their results will not be committed here")
                    }
                    let (requeued, failed) = try await store.reap(maxAttempts: maxAttempts)
                    if requeued > 0 { logger.notice("fleet: \(requeued) expired lease(s) returned to the queue") }
                    if failed > 0 { logger.error("fleet: \(failed) document(s) failed after \(maxAttempts) expired leases (reason crashed)") }
                    if !health.isUp { logger.notice("fleet: the database answers again") }
                    health.ok()
                    failures = 0
                } catch {
                    failures += 1
                    if health.isUp { logger.error("fleet: the database does not answer: \(error); retrying with back-off, inbox files are kept") }
                    health.failed(error)
                }
                try? await Task.sleep(for: failures == 0 ? interval : backoff.delay(attempt: failures))
            }
        }
        // Leaving: mark this node stopped (best effort).
        _ = try? await store.heartbeat(leases: [], lease: lease, workers: 0, status: "stopped")
    }
}
