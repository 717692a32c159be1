import Synchronization

/// What the plugin supervisor tells whoever watches it (the daemon's metrics): a hook set once at start, as
/// logging and metrics back-ends are bootstrapped. Without a hook the events are only logged.
public enum PluginEvents {
    private static let restartHandler = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// Called with the plugin's name each time one of its workers is started again (after a crash, a timeout
    /// or recycling after `max_documents`).
    public static func onWorkerRestart(_ handler: @escaping @Sendable (String) -> Void) {
        restartHandler.withLock { $0 = handler }
    }

    /// One line between Gleaner and a worker, for `gleaner plugin test`.
    public struct Trace: Sendable {
        public enum Direction: Sendable { case toWorker, fromWorker }
        public var plugin: String
        public var pid: Int32
        public var direction: Direction
        public var line: [UInt8]
        public var time: ContinuousClock.Instant
    }

    private static let traceHandler = Mutex<(@Sendable (Trace) -> Void)?>(nil)

    /// Called with every line written to or read from a worker (handshakes, requests, answers, log messages).
    public static func onTrace(_ handler: @escaping @Sendable (Trace) -> Void) {
        traceHandler.withLock { $0 = handler }
    }

    static var tracing: Bool { traceHandler.withLock { $0 != nil } }

    static func trace(_ plugin: String, _ pid: Int32, _ direction: Trace.Direction, _ line: [UInt8]) {
        guard let handler = traceHandler.withLock({ $0 }) else { return }
        handler(Trace(plugin: plugin, pid: pid, direction: direction, line: line, time: .now))
    }

    static func workerRestarted(_ name: String) {
        let handler = restartHandler.withLock { $0 }
        handler?(name)
    }
}
