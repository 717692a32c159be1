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
        let race = Race<Result<Document, any Error>?>()
        let input = document
        let inner = self.inner
        // On the processing threads: a runaway processor cannot keep the timer below from firing.
        let work = Task(executorPreference: ProcessingExecutor.shared) {
            var copy = input
            do {
                try await inner.process(&copy)
                race.finish(.success(copy))
            } catch {
                race.finish(.failure(error))
            }
        }
        // The timer too: it must fire even when every thread of the cooperative pool is busy.
        let timer = Task(executorPreference: ProcessingExecutor.shared) {
            try? await Task.sleep(for: limit)
            race.finish(nil)
        }
        let outcome = await withTaskCancellationHandler { await race.value() } onCancel: { race.finish(nil) }
        timer.cancel()
        switch outcome {
        case .success(let processed)?: document = processed
        case .failure(let error)?: throw error
        case nil:
            work.cancel()
            throw ProcessorError("took longer than \(limit) (processors.\(descriptor.name).timeout)")
        }
    }

    public func shutdown() async { await inner.shutdown() }
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
