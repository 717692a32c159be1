import Dispatch

/// Runs document processing on threads of its own (a concurrent dispatch queue),
/// not on Swift's cooperative pool. Processors are CPU-bound and may run away;
/// on the cooperative pool (one thread per core) they would starve the timers,
/// signal handlers and watcher tasks that must stay responsive, so that a
/// per-document or per-processor timeout could not even fire.
public final class ProcessingExecutor: TaskExecutor, Sendable {
    public static let shared = ProcessingExecutor()

    private let queue = DispatchQueue(label: "gleaner.processing", qos: .userInitiated, attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
