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
    /// Fleet mode (issue #18): set while PostgreSQL does not answer (inbox files are kept, retried with back-off).
    public var databaseProblem: String? = nil

    public var summary: String {
        var s = "\(processed) processed, \(failed) failed, \(queued + settling) waiting, \(inFlight) in flight"
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
            "database_problem": .optional(databaseProblem),
            "configuration": .array(configuration.map(JSONValue.string)),
            "last_errors": .array(lastErrors.map { ["time": .string(iso($0.time)), "name": .string($0.name), "reason": .string($0.reason)] }),
        ]
    }

    func iso(_ d: Date) -> String { ResultDocument.iso8601(d, fraction: false) }

    /// The status file's place for a state folder.
    public static func path(state: String) -> String { (state as NSString).appendingPathComponent("status.json") }
}
