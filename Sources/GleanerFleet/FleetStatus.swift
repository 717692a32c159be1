import Foundation
import GleanerCore
import PostgresNIO

/// What `gleaner fleet status` shows: the nodes with their heartbeats, and the queue.
public struct FleetStatus: Sendable {
    public struct Node: Sendable {
        public var name: String
        public var host: String
        public var pid: Int
        public var workers: Int
        public var heartbeatAge: Double
        public var status: String
        public var inFlight: Int
        public var processed: Int
    }
    public struct Failure: Sendable {
        public var name: String
        public var reason: String
        public var message: String
    }
    public var nodes: [Node] = []
    public var queued = 0
    public var inFlight = 0
    public var done = 0
    public var failed = 0
    public var duplicates = 0
    public var schemaVersion = 0
    public var lastFailures: [Failure] = []

    public var json: JSONValue {
        [
            "schema_version": .int(schemaVersion), "queued": .int(queued), "in_flight": .int(inFlight), "done": .int(done),
            "failed": .int(failed), "duplicate_drops": .int(duplicates),
            "nodes": .array(nodes.map { n in
                ["name": .string(n.name), "host": .string(n.host), "pid": .int(n.pid), "workers": .int(n.workers),
                 "heartbeat_age_seconds": .double((n.heartbeatAge * 10).rounded() / 10), "status": .string(n.status),
                 "in_flight": .int(n.inFlight), "processed": .int(n.processed)]
            }),
            "last_failures": .array(lastFailures.map { ["name": .string($0.name), "reason": .string($0.reason), "message": .string($0.message)] }),
        ]
    }
}

extension FleetStore {
    public func status() async throws(FleetError) -> FleetStatus {
        try await run { c in
            var s = FleetStatus()
            for try await v in try await c.query("SELECT coalesce(max(version), 0) FROM gleaner_schema", logger: logger).decode(Int.self) {
                s.schemaVersion = v
            }
            for try await (state, count, drops) in try await c.query(
                "SELECT state, count(*)::bigint, coalesce(sum(drops - 1), 0)::bigint FROM fleet_document GROUP BY state", logger: logger
            ).decode((String, Int, Int).self) {
                switch state {
                case "queued": s.queued = count
                case "leased": s.inFlight = count
                case "done": s.done = count
                case "failed": s.failed = count
                default: break
                }
                s.duplicates += drops
            }
            let nodes = try await c.query("""
                SELECT n.name, n.host, n.pid, n.workers, extract(epoch FROM now() - n.heartbeat_at)::float8, n.status,
                    (SELECT count(*) FROM fleet_document d WHERE d.state = 'leased' AND d.node = n.name)::bigint,
                    (SELECT count(*) FROM fleet_document d WHERE d.state = 'done' AND d.node = n.name)::bigint
                FROM fleet_node n ORDER BY n.name
                """, logger: logger)
            for try await (name, host, pid, workers, age, status, inFlight, processed) in nodes.decode((String, String, Int, Int, Double, String, Int, Int).self) {
                s.nodes.append(.init(name: name, host: host, pid: pid, workers: workers, heartbeatAge: age, status: status, inFlight: inFlight, processed: processed))
            }
            for try await (name, reason, message) in try await c.query("""
                SELECT name, coalesce(reason, ''), coalesce(message, '') FROM fleet_document WHERE state = 'failed' ORDER BY finished_at DESC NULLS LAST LIMIT 10
                """, logger: logger).decode((String, String, String).self) {
                s.lastFailures.append(.init(name: name, reason: reason, message: message))
            }
            return s
        }
    }
}
