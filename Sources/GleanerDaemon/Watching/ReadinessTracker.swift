import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Decides when a file is ready: after its last write, a settle delay during
/// which any further write restarts the wait, then a size and mtime re-check.
/// Also keeps every file it has handed on until the daemon is done with it,
/// so no file is queued twice.
actor ReadinessTracker {
    struct Pending {
        var deadline: ContinuousClock.Instant
        var size: Int64
        var mtime: timespec
    }

    private var pending: [RawPath: Pending] = [:]
    private var handedOn: Set<RawPath> = []
    private var settle: Duration
    private let clock = ContinuousClock()

    init(settle: Duration) { self.settle = settle }

    func setSettle(_ settle: Duration) { self.settle = settle }

    var pendingCount: Int { pending.count }

    /// A write or a sighting: (re)start the file's wait.
    func touch(_ path: RawPath) {
        guard !handedOn.contains(path) else { return }
        guard let st = RawFS.lstat(path) else {
            pending[path] = nil
            return
        }
        pending[path] = Pending(deadline: clock.now + settle, size: Int64(st.st_size), mtime: st.st_mtim)
    }

    /// A file found by a scan: waits like a written one, unless it is already
    /// waiting or handed on; one untouched for longer than the settle delay is due at once.
    func sighted(_ path: RawPath) {
        guard !handedOn.contains(path), pending[path] == nil, let st = RawFS.lstat(path) else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let age = Duration.seconds(now.tv_sec - st.st_mtim.tv_sec) + .nanoseconds(now.tv_nsec - st.st_mtim.tv_nsec)
        let deadline = age > settle ? clock.now : clock.now + settle
        pending[path] = Pending(deadline: deadline, size: Int64(st.st_size), mtime: st.st_mtim)
    }

    /// A modification: only restarts a wait already under way (a new file waits for its close).
    func modified(_ path: RawPath) {
        if pending[path] != nil { touch(path) }
    }

    /// Files whose wait is over and whose size and mtime did not change; they
    /// are now handed on until `done` is called for them.
    func due() -> [RawPath] {
        let now = clock.now
        var ready: [RawPath] = []
        for (path, p) in pending where p.deadline <= now {
            guard let st = RawFS.lstat(path) else {
                pending[path] = nil  // vanished while settling: nothing to do
                continue
            }
            if Int64(st.st_size) != p.size || st.st_mtim.tv_sec != p.mtime.tv_sec || st.st_mtim.tv_nsec != p.mtime.tv_nsec {
                pending[path] = Pending(deadline: now + settle, size: Int64(st.st_size), mtime: st.st_mtim)
                continue
            }
            pending[path] = nil
            handedOn.insert(path)
            ready.append(path)
        }
        return ready.sorted()
    }

    /// The daemon finished with `path` (processed, failed or vanished).
    func done(_ path: RawPath) { handedOn.remove(path) }

    /// How long until the next deadline, for the tick loop.
    func nextDeadline() -> ContinuousClock.Instant? { pending.values.map(\.deadline).min() }
}
