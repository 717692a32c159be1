import Crypto
import Foundation
import GleanerCatalogue
import Logging
import PostgresNIO

/// The fleet's work queue in PostgreSQL, as mature job systems keep one:
/// - a node registers each ready input (name, sha256, bytes) in one transaction, then lets the file leave its inbox;
/// - workers on any node take the oldest queued document with `FOR UPDATE SKIP LOCKED`, under a lease that
///   their node's heartbeat extends; each take raises the document's `generation`;
/// - a result commits (catalogue rows + state `done`) only while the worker's generation is still the
///   document's: a worker whose lease expired (a killed or paused node) and was taken over cannot commit a
///   second result (fencing);
/// - expired leases go back to the queue, or to `failed` after `max_attempts` takes;
/// - `NOTIFY gleaner_fleet` on each registration wakes idle workers (`LISTEN`).
public struct FleetStore: Sendable {
    public let database: FleetDatabase
    public let node: String
    public let resolver: IdentityResolver
    let logger: Logger
    public static let channel = "gleaner_fleet"

    public init(database: FleetDatabase, node: String, aliases: AliasTable = AliasTable(), logger: Logger) {
        self.database = database
        self.node = node
        self.resolver = IdentityResolver(aliases: aliases)
        self.logger = logger
    }

    var client: PostgresClient { database.client }

    func run<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(FleetError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { c in try await body(c) }
        } catch {
            throw FleetDatabase.wrap(error)
        }
    }

    // MARK: Nodes

    /// Records this node (at start and with every heartbeat).
    public func announce(workers: Int, status: String) async throws(FleetError) {
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(getpid())
        try await run { c in
            try await c.query("""
                INSERT INTO fleet_node(name, host, pid, workers, started_at, heartbeat_at, status)
                VALUES (\(node), \(host), \(pid), \(workers), now(), now(), \(status))
                ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, workers = EXCLUDED.workers,
                    started_at = now(), heartbeat_at = now(), status = EXCLUDED.status
                """, logger: logger)
        }
    }

    // MARK: Registering inputs

    public enum Registration: Sendable, Hashable {
        /// A new document, queued.
        case queued(id: Int64)
        /// The same name and content were registered before (a duplicate drop): nothing new is queued.
        case duplicate(id: Int64, state: String)
    }

    /// Registers an input in one transaction (and wakes idle workers when it commits). The caller lets the file
    /// leave its inbox only after this returns.
    public func register(name: String, sha256: String, content: Data) async throws(FleetError) -> Registration {
        try await run { c in
            let rows = try await c.query("""
                INSERT INTO fleet_document(name, sha256, bytes, content, registered_by)
                VALUES (\(name), \(sha256), \(content.count), \(content), \(node))
                ON CONFLICT (sha256, name) DO UPDATE SET drops = fleet_document.drops + 1
                RETURNING id, state, (xmax = 0) AS inserted
                """, logger: logger)
            var out: Registration = .queued(id: 0)
            for try await (id, state, inserted) in rows.decode((Int64, String, Bool).self) {
                out = inserted ? .queued(id: id) : .duplicate(id: id, state: state)
            }
            if case .queued = out { try await c.drain("SELECT pg_notify(\(Self.channel), '')", logger: logger) }
            return out
        }
    }

    // MARK: Leases

    /// A document taken by a worker of this node.
    public struct Lease: Sendable, Hashable {
        public var id: Int64
        public var generation: Int64
        public var name: String
        public var sha256: String
        public var attempts: Int
        public var content: Data
    }

    /// Takes the oldest queued document, or nil when none is queued.
    public func take(lease: Duration) async throws(FleetError) -> Lease? {
        try await run { c in
            let rows = try await c.query("""
                UPDATE fleet_document d SET state = 'leased', node = \(node), generation = d.generation + 1,
                    lease_until = now() + (\(Self.milliseconds(lease))::float8 / 1000) * interval '1 second', attempts = d.attempts + 1
                WHERE d.id = (SELECT id FROM fleet_document WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.generation, d.name, d.sha256, d.attempts, d.content
                """, logger: logger)
            var out: Lease?
            for try await (id, generation, name, sha, attempts, content) in rows.decode((Int64, Int64, String, String, Int, Data?).self) {
                out = Lease(id: id, generation: generation, name: name, sha256: sha, attempts: attempts, content: content ?? Data())
            }
            return out
        }
    }

    /// Extends the leases this node still holds (those whose generation is unchanged) and records the heartbeat.
    /// Returns the leases that are no longer this node's (taken over after expiring).
    @discardableResult
    public func heartbeat(leases: [(id: Int64, generation: Int64)], lease: Duration, workers: Int, status: String) async throws(FleetError) -> Set<Int64> {
        try await run { c in
            try await c.query("""
                UPDATE fleet_node SET heartbeat_at = now(), workers = \(workers), status = \(status) WHERE name = \(node)
                """, logger: logger)
            guard !leases.isEmpty else { return [] }
            let rows = try await c.query("""
                UPDATE fleet_document d SET lease_until = now() + (\(Self.milliseconds(lease))::float8 / 1000) * interval '1 second'
                FROM unnest(\(leases.map(\.id))::bigint[], \(leases.map(\.generation))::bigint[]) AS l(id, generation)
                WHERE d.id = l.id AND d.generation = l.generation AND d.state = 'leased' AND d.node = \(node)
                RETURNING d.id
                """, logger: logger)
            var kept = Set<Int64>()
            for try await id in rows.decode(Int64.self) { kept.insert(id) }
            return Set(leases.map(\.id)).subtracting(kept)
        }
    }

    /// Expired leases: back to the queue, or failed after `maxAttempts` takes (the document killed or outlived
    /// that many workers). Returns (requeued, failed).
    @discardableResult
    public func reap(maxAttempts: Int) async throws(FleetError) -> (requeued: Int, failed: Int) {
        try await run { c in
            var requeued = 0, failed = 0
            let rows = try await c.query("""
                UPDATE fleet_document SET state = CASE WHEN attempts >= \(maxAttempts) THEN 'failed' ELSE 'queued' END,
                    reason = CASE WHEN attempts >= \(maxAttempts) THEN 'crashed' END,
                    message = CASE WHEN attempts >= \(maxAttempts)
                        THEN 'its lease expired ' || attempts || ' times (the node processing it died, hung or lost the database): failed so it cannot take down another node' END,
                    finished_at = CASE WHEN attempts >= \(maxAttempts) THEN now() END,
                    lease_until = NULL
                WHERE state = 'leased' AND lease_until < now()
                RETURNING id, state, name, coalesce(message, ''), attempts
                """, logger: logger)
            var failures: [(Int64, String, String)] = []
            for try await (id, state, name, message, _) in rows.decode((Int64, String, String, String, Int).self) {
                if state == "failed" { failed += 1; failures.append((id, name, message)) } else { requeued += 1 }
            }
            let writer = PostgresCatalogueWriter(connection: c, logger: logger, resolver: resolver)
            let time = ISO8601DateFormatter().string(from: Date())
            for (id, name, message) in failures {
                try await writer.insertFailure(name: name, reason: "crashed", message: message, time: time, node: "",
                                               path: "fleet:\(id)", fleetDocument: id)
            }
            if requeued > 0 { try await c.drain("SELECT pg_notify(\(Self.channel), '')", logger: logger) }
            return (requeued, failed)
        }
    }

    /// Gives a lease back without counting it as an attempt (a node stopping with the document unfinished).
    public func release(_ lease: Lease) async throws(FleetError) {
        try await run { c in
            try await c.query("""
                UPDATE fleet_document SET state = 'queued', lease_until = NULL, attempts = greatest(attempts - 1, 0)
                WHERE id = \(lease.id) AND generation = \(lease.generation) AND state = 'leased'
                """, logger: logger)
            try await c.drain("SELECT pg_notify(\(Self.channel), '')", logger: logger)
        }
    }

    // MARK: Committing

    /// One result of a document (an input may give several: an e-mail's attachments).
    public struct Result: Sendable {
        public var record: ResultRecord
        /// Relative to the processing node's outbox.
        public var resultPath: String
        public var viewPath: String?
        public init(record: ResultRecord, resultPath: String, viewPath: String?) {
            self.record = record
            self.resultPath = resultPath
            self.viewPath = viewPath
        }
    }

    public enum Outcome: Sendable, Hashable {
        case committed
        /// The lease was taken over (its generation changed): nothing was written; the caller removes its files.
        case fenced
    }

    /// The fence: the document must still be leased by this node under this generation. A commit retried after a
    /// lost answer finds its own earlier commit (`done` by this node, same generation) and reports `committed`.
    func fence(_ lease: Lease, _ c: PostgresConnection) async throws -> (ok: Bool, alreadyDone: Bool) {
        let rows = try await c.query("""
            SELECT generation, state, coalesce(node, '') FROM fleet_document WHERE id = \(lease.id) FOR UPDATE
            """, logger: logger)
        for try await (generation, state, owner) in rows.decode((Int64, String, String).self) {
            guard generation == lease.generation, owner == node else { return (false, false) }
            if state == "leased" { return (true, false) }
            if state == "done" || state == "failed" { return (false, true) }
        }
        return (false, false)
    }

    /// Commits a document's results: catalogue rows and state `done`, in one transaction fenced by the lease.
    public func commit(_ lease: Lease, results: [Result]) async throws(FleetError) -> Outcome {
        try await run { c in
            let (ok, done) = try await fence(lease, c)
            if done { return .committed }
            guard ok else { return .fenced }
            let writer = PostgresCatalogueWriter(connection: c, logger: logger, resolver: resolver)
            for r in results {
                try await writer.remove(node: node, path: r.resultPath)
                try await writer.insert(r.record, node: node, resultPath: r.resultPath, viewPath: r.viewPath, fleetDocument: lease.id)
            }
            try await c.query("""
                UPDATE fleet_document SET state = 'done', finished_at = now(), lease_until = NULL, content = NULL WHERE id = \(lease.id)
                """, logger: logger)
            return .committed
        }
    }

    /// Commits a document's failure (its original and `NAME.error.json` went to this node's `failed/`).
    public func fail(_ lease: Lease, reason: String, message: String, sidecarPath: String) async throws(FleetError) -> Outcome {
        try await run { c in
            let (ok, done) = try await fence(lease, c)
            if done { return .committed }
            guard ok else { return .fenced }
            let writer = PostgresCatalogueWriter(connection: c, logger: logger, resolver: resolver)
            try await writer.insertFailure(name: lease.name, reason: reason, message: message, time: ISO8601DateFormatter().string(from: Date()),
                                           node: node, path: sidecarPath, fleetDocument: lease.id)
            try await c.query("""
                UPDATE fleet_document SET state = 'failed', finished_at = now(), lease_until = NULL, reason = \(reason), message = \(message)
                WHERE id = \(lease.id)
                """, logger: logger)
            return .committed
        }
    }

    /// The result paths this node committed (relative to its outbox): what its outbox may hold.
    public func committedPaths() async throws(FleetError) -> Set<String> {
        try await run { c in
            var out = Set<String>()
            let rows = try await c.query("SELECT result_path, coalesce(view_path, '') FROM document WHERE node = \(node) AND NOT failed", logger: logger)
            for try await (path, view) in rows.decode((String, String).self) {
                out.insert(path)
                if !view.isEmpty { out.insert(view) }
            }
            return out
        }
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension FleetStore {
    /// At start: leases this node held when it stopped (it is the only holder of its name) go back to the queue
    /// at once instead of waiting for them to expire. The take still counts as an attempt.
    public func recoverOwnLeases() async throws(FleetError) -> Int {
        try await run { c in
            var n = 0
            for try await _ in try await c.query("""
                UPDATE fleet_document SET state = 'queued', lease_until = NULL WHERE state = 'leased' AND node = \(node) RETURNING id
                """, logger: logger).decode(Int64.self) { n += 1 }
            if n > 0 { try await c.drain("SELECT pg_notify(\(Self.channel), '')", logger: logger) }
            return n
        }
    }

    /// Which of these result paths (relative to this node's outbox) this node committed.
    public func committed(paths: [String]) async throws(FleetError) -> Set<String> {
        guard !paths.isEmpty else { return [] }
        return try await run { c in
            var out = Set<String>()
            for try await (p, v) in try await c.query("""
                SELECT result_path, coalesce(view_path, '') FROM document WHERE node = \(node)
                    AND (result_path = ANY(\(paths)::text[]) OR view_path = ANY(\(paths)::text[]))
                """, logger: logger).decode((String, String).self) {
                out.insert(p)
                if !v.isEmpty { out.insert(v) }
            }
            return out
        }
    }

    /// The hex SHA-256 of an input, as `source.sha256` spells it.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
