import Foundation
import GleanerPipeline
import GleanerCore

/// What the daemon reports about itself: kept fresh in `<state>/status.json`
/// for `gleaner status`, and summarised in systemd's STATUS=.
public struct StatusReport: Sendable {
    public var pid: Int32
    public var startedAt: Date
    public var watchMode: String
    public var queued: Int
    public var settling: Int
    public var inFlight: Int
    public var processed: Int
    public var failed: Int
    public var lastErrors: [(time: Date, name: String, reason: String)]
    /// Set while results cannot be written (disk full, read-only outbox).
    public var outboxProblem: String?
    public var configuration: [String]
    /// Failed runs per processor since start (a document whose processor failed still counts as processed).
    public var processorFailures: [String: Int] = [:]
    /// Why the daemon is degraded (empty: it is not): processors whose latest run failed, an outbox problem.
    public var degradedReasons: [String] = []
    /// Optional processors (`required = false`) that did not start, retried with back-off.
    public var unavailable: [UnavailableProcessor] = []
    /// The current pipeline's processors.
    public var processors: [String] = []

    public struct UnavailableProcessor: Sendable {
        public var name: String
        public var reason: String
        public var since: Date
        public var attempts: Int
        public var nextAttempt: Date?
    }
    /// Fleet mode (issue #18): set while PostgreSQL does not answer (inbox files are kept, retried with back-off).
    public var databaseProblem: String? = nil

    public var summary: String {
        var s = degradedReasons.isEmpty ? "" : "degraded (\(degradedReasons.joined(separator: "; "))): "
        s += "\(processed) processed, \(failed) failed, \(queued + settling) waiting, \(inFlight) in flight"
        if let outboxProblem { s += "; outbox problem: \(outboxProblem)" }
        if let databaseProblem { s += "; database problem: \(databaseProblem)" }
        return s
    }

    public func json(now: Date = Date()) -> JSONValue {
        [
            "pid": .int(Int(pid)),
            "started_at": .string(iso(startedAt)),
            "updated_at": .string(iso(now)),
            "uptime_seconds": .int(Int(now.timeIntervalSince(startedAt))),
            "watch_mode": .string(watchMode),
            "queue_depth": .int(queued + settling),
            "in_flight": .int(inFlight),
            "processed": .int(processed),
            "failed": .int(failed),
            "outbox_problem": .optional(outboxProblem),
            "state": .string(degradedReasons.isEmpty ? "ok" : "degraded"),
            "degraded_reasons": .array(degradedReasons.map(JSONValue.string)),
            "unavailable_processors": .array(unavailable.map { u in
                ["name": .string(u.name), "reason": .string(u.reason), "since": .string(iso(u.since)), "attempts": .int(u.attempts),
                 "next_attempt": .optional(u.nextAttempt.map(iso))]
            }),
            "processor_failures": .object(processorFailures.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }),
            "database_problem": .optional(databaseProblem),
            "configuration": .array(configuration.map(JSONValue.string)),
            "last_errors": .array(lastErrors.map { ["time": .string(iso($0.time)), "name": .string($0.name), "reason": .string($0.reason)] }),
        ]
    }

    func iso(_ d: Date) -> String { ResultDocument.iso8601(d, fraction: false) }

    /// The status file's place for a state folder.
    public static func path(state: String) -> String { (state as NSString).appendingPathComponent("status.json") }
}
