import Foundation
import GleanerCore
import Logging
import Synchronization

/// When to try again to start a processor that did not start: `initial`, then `factor` times longer after each
/// failure, never more than `maximum`. Pure, so it is tested as values.
public struct RetrySchedule: Sendable, Hashable {
    public var initial: Duration
    public var factor: Int
    public var maximum: Duration

    public init(initial: Duration = .seconds(2), factor: Int = 2, maximum: Duration = .seconds(300)) {
        self.initial = initial
        self.factor = max(1, factor)
        self.maximum = maximum
    }

    /// The wait before attempt `attempt` (1: the first retry after the failed start).
    public func delay(beforeAttempt attempt: Int) -> Duration {
        var d = initial
        for _ in 1..<max(1, attempt) {
            d = d * factor
            if d >= maximum { return maximum }
        }
        return min(d, maximum)
    }
}

/// A processor configured with `required = false` (an external plugin) whose workers did not start: the daemon
/// starts without it, records each document as processed without it (a failed run, reason `unavailable`, so that
/// the processors needing its layers are skipped and `--strict` notices), and keeps trying to start it on a
/// `RetrySchedule`. Once it starts with the layers the pipeline was ordered for, it runs like any other.
public final class OptionalProcessor: Processor {
    public struct Unavailable: Sendable {
        public var reason: String
        public var since: Date
        public var attempts: Int
        public var nextAttempt: Date?
    }

    private let placeholder: ProcessorDescriptor
    private let state: Mutex<(running: (any Processor)?, unavailable: Unavailable?, stopped: Bool)>
    private let retries = Mutex<Task<Void, Never>?>(nil)
    private let logger: Logger

    /// Starts retrying at once (in the background), with `start` making the real processor.
    public init(
        descriptor: ProcessorDescriptor, firstError: String, schedule: RetrySchedule = RetrySchedule(), logger: Logger,
        start: @escaping @Sendable () async throws -> any Processor
    ) {
        placeholder = descriptor
        self.logger = logger
        state = Mutex((nil, Unavailable(reason: firstError, since: Date(), attempts: 1, nextAttempt: Date() + schedule.delay(beforeAttempt: 1).seconds), false))
        let task = Task { [weak self] in
            var attempt = 1
            while true {
                let delay = schedule.delay(beforeAttempt: attempt)
                do { try await Task.sleep(for: delay) } catch { return }
                guard let self, !self.isStopped else { return }
                attempt += 1
                do {
                    let processor = try await start()
                    let d = processor.descriptor
                    guard Set(d.requires) == Set(self.placeholder.requires), Set(d.provides) == Set(self.placeholder.provides) else {
                        await processor.shutdown()
                        throw ProcessorError(
                            "it started, but its handshake (requires \(d.requires), provides \(d.provides)) differs from the layers the pipeline was ordered for (requires \(self.placeholder.requires), provides \(self.placeholder.provides)): declare requires and provides in its section")
                    }
                    let kept = self.state.withLock { s -> Bool in
                        guard !s.stopped else { return false }
                        s.running = processor
                        s.unavailable = nil
                        return true
                    }
                    if !kept { await processor.shutdown(); return }
                    self.logger.notice("optional processor '\(d.name)' started after \(attempt) attempts")
                    return
                } catch {
                    let next = schedule.delay(beforeAttempt: attempt)
                    self.state.withLock { s in
                        s.unavailable?.reason = String(describing: error)
                        s.unavailable?.attempts = attempt
                        s.unavailable?.nextAttempt = Date() + next.seconds
                    }
                    self.logger.warning("optional processor '\(self.placeholder.name)' still does not start (attempt \(attempt)): \(error); next attempt in \(next)")
                }
            }
        }
        retries.withLock { $0 = task }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Nil once the processor runs.
    public var unavailable: Unavailable? { state.withLock { $0.unavailable } }

    public var descriptor: ProcessorDescriptor {
        state.withLock { $0.running?.descriptor } ?? placeholder
    }

    public func process(_ document: inout Document) async throws {
        let (running, unavailable) = state.withLock { ($0.running, $0.unavailable) }
        if let running {
            try await running.process(&document)
            return
        }
        throw ProcessorError(
            "not running (required = false): \(unavailable?.reason ?? "stopped"); processed without it",
            code: .unavailable)
    }

    public func shutdown() async {
        let running = state.withLock { s -> (any Processor)? in
            s.stopped = true
            defer { s.running = nil }
            return s.running
        }
        let task = retries.withLock { $0 }
        task?.cancel()
        await task?.value
        await running?.shutdown()
    }
}

extension Duration {
    /// Seconds as a double (for dates).
    var seconds: Double { milliseconds / 1000 }
}
