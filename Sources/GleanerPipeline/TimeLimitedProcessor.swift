import Dispatch
import GleanerCore
import Synchronization

/// A built-in processor under its section's `timeout`: when a document takes
/// longer, the processor's run is recorded as failed ("took longer than …") and
/// the pipeline goes on without its layers. Swift code that never checks for
/// cancellation cannot be stopped, so the late run finishes in the background
/// and its result is dropped; the document is never held up by it.
public struct TimeLimitedProcessor: Processor {
    public let inner: any Processor
    public let limit: Duration
    public var descriptor: ProcessorDescriptor { inner.descriptor }

    public init(_ inner: any Processor, limit: Duration) {
        self.inner = inner
        self.limit = limit
    }

    public func process(_ document: inout Document) async throws {
        let input = document
        let inner = self.inner
        let outcome = await withTimeLimit(limit) { () -> Result<Document, any Error> in
            var copy = input
            do {
                try await inner.process(&copy)
                return .success(copy)
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let processed)?: document = processed
        case .failure(let error)?: throw error
        case nil: throw ProcessorError("took longer than \(limit) (processors.\(descriptor.name).timeout)", code: .timeout)
        }
    }

    public func shutdown() async { await inner.shutdown() }
}

/// Runs `body` on the processing threads and waits for it at most `limit`: nil when the limit (or the
/// cancellation of the waiting task) comes first. The timer runs on a dispatch queue of its own, so it
/// fires on time however busy the processing threads or the cooperative pool are. Code that never checks for
/// cancellation cannot be stopped: a late body is cancelled (so cooperative code stops at its next check)
/// and finishes in the background; its result is dropped.
public func withTimeLimit<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
    await withTimeLimit(limit, late: { _ in }, body)
}

/// As `withTimeLimit(_:_:)`, handing a late body's completion to `late` (so that a caller can keep the
/// work it abandoned within its own bound, e.g. a worker that takes no new document until its late one ended).
public func withTimeLimit<T: Sendable>(
    _ limit: Duration, late: (LateWork) -> Void, _ body: @escaping @Sendable () async -> T
) async -> T? {
    let race = Race<T?>()
    let finished = LateWork()
    let work = Task(executorPreference: ProcessingExecutor.shared) {
        race.finish(await body())
        finished.end()
    }
    // The timer fires on a dispatch queue of its own: neither the bounded processing pool (busy with the
    // very work it limits) nor the cooperative pool (which blocking callers may hold) can delay it.
    // Weak: a cancelled work item stays queued until its deadline, and must not keep the result alive.
    let timer = DispatchWorkItem { [weak race] in race?.finish(nil) }
    let nanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
    timerQueue.asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)), execute: timer)
    let result = await withTaskCancellationHandler { await race.value() } onCancel: { race.finish(nil) }
    timer.cancel()
    if result == nil {
        work.cancel()
        late(finished)
    }
    return result
}

private let timerQueue = DispatchQueue(label: "gleaner.time-limits")

/// The end of a piece of work that its caller stopped waiting for.
public final class LateWork: Sendable {
    private let race = Race<Void>()
    public init() {}
    func end() { race.finish(()) }
    /// Returns when the work has ended.
    public func wait() async { await race.value() }
}

/// The first of several racing tasks to call `finish` decides the value; later calls are ignored.
public final class Race<T: Sendable>: Sendable {
    private let state = Mutex<(value: T?, done: Bool, waiter: CheckedContinuation<T, Never>?)>((nil, false, nil))

    public init() {}

    public func finish(_ value: T) {
        let waiter = state.withLock { s -> CheckedContinuation<T, Never>? in
            guard !s.done else { return nil }
            s.done = true
            s.value = value
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: value)
    }

    public func value() async -> T {
        await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            let ready = state.withLock { s -> T? in
                if s.done { return s.value }
                s.waiter = c
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
