import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs document processing on a fixed pool of threads of its own, not on Swift's cooperative pool.
/// Processors are CPU-bound and may run away; on the cooperative pool (one thread per core) they would
/// starve the timers, signal handlers and watcher tasks that must stay responsive, so that a timeout
/// could not even fire. The pool is bounded (as swift-nio's `NIOThreadPool`): the daemon sizes it to its
/// configured workers, so CPU work never runs on more threads than the operator allowed, and jobs wait
/// in a queue whose length is bounded by the tasks in flight (one per worker, plus any late run of a
/// timed-out processor).
public final class ProcessingExecutor: TaskExecutor, @unchecked Sendable {
    /// The pool every time-limited job runs on; sized to the machine's cores until `resize` says otherwise.
    public static let shared = ProcessingExecutor(threads: max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// A second, small pool for blocking file I/O (durable writes with their fsyncs, catalogue commits), so
    /// that a document's writes overlap the next document's processing instead of holding a CPU thread, and
    /// never block the cooperative pool that runs the daemon's loops.
    public static let io = ProcessingExecutor(threads: 4)

    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    /// Jobs waiting for a thread, oldest first (`head` is the next one).
    private var jobs: [UnownedJob?] = []
    private var head = 0
    private var threads = 0
    private var wanted: Int
    private var busy = 0

    public init(threads: Int) {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        wanted = max(1, threads)
    }

    /// The number of threads that run jobs. Growing starts threads now; shrinking lets surplus threads
    /// end after their current job.
    public func resize(to count: Int) {
        let count = max(1, count)
        pthread_mutex_lock(&mutex)
        wanted = count
        let start = threads < wanted && (jobs.count > head || threads > 0) ? wanted - threads : 0
        threads += start
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
        for _ in 0..<start { spawn() }
    }

    /// Threads and jobs, for status and tests.
    public var load: (threads: Int, busy: Int, queued: Int) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return (threads, busy, jobs.count - head)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(&mutex)
        jobs.append(job)
        // Threads start lazily, on the first job, so a process that never processes starts none.
        let start = threads < wanted ? wanted - threads : 0
        threads += start
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
        for _ in 0..<start { spawn() }
    }

    private func spawn() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "gleaner-processing"
        // Processors may recurse deeply on hostile input: the main thread's stack size, not a secondary's.
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func loop() {
        let executor = asUnownedTaskExecutor()
        pthread_mutex_lock(&mutex)
        while true {
            if threads > wanted {
                threads -= 1
                pthread_mutex_unlock(&mutex)
                return
            }
            if head < jobs.count, let job = jobs[head] {
                jobs[head] = nil
                head += 1
                if head > 1024 && head * 2 > jobs.count {
                    jobs.removeFirst(head)
                    head = 0
                }
                busy += 1
                pthread_mutex_unlock(&mutex)
                job.runSynchronously(on: executor)
                pthread_mutex_lock(&mutex)
                busy -= 1
                continue
            }
            pthread_cond_wait(&condition, &mutex)
        }
    }
}
