import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Decides when a file is ready: after its last write, a settle delay during
/// which any further write restarts the wait, then a size and mtime re-check,
/// then a check that no process still holds it open for writing (a writer that
/// pauses longer than the settle delay must not lose its tail). Also keeps every
/// file it has handed on until the daemon is done with it, so no file is queued
/// twice; a name written again while in flight is queued behind it, never dropped.
actor ReadinessTracker {
    struct Pending {
        var deadline: ContinuousClock.Instant
        var size: Int64
        var mtime: timespec
    }

    private var pending: [RawPath: Pending] = [:]
    private var handedOn: Set<RawPath> = []
    /// Names written or found again while their earlier version was in flight.
    private var again: Set<RawPath> = []
    private var settle: Duration
    private let clock = ContinuousClock()
    /// True when some process holds the file open for writing (see `OpenWriters`).
    private let isOpenForWriting: @Sendable (RawPath) -> Bool

    init(settle: Duration, isOpenForWriting: @escaping @Sendable (RawPath) -> Bool = OpenWriters.isOpenForWriting) {
        self.settle = settle
        self.isOpenForWriting = isOpenForWriting
    }

    func setSettle(_ settle: Duration) { self.settle = settle }

    var pendingCount: Int { pending.count }

    /// A write or a sighting: (re)start the file's wait.
    func touch(_ path: RawPath) {
        guard !handedOn.contains(path) else {
            again.insert(path)
            return
        }
        guard let st = RawFS.lstat(path) else {
            pending[path] = nil
            return
        }
        pending[path] = Pending(deadline: clock.now + settle, size: Int64(st.st_size), mtime: st.st_mtim)
    }

    /// A file found by a scan: waits like a written one, unless it is already
    /// waiting or handed on; one untouched for longer than the settle delay is due at once.
    /// True when the file was not known (neither waiting nor in flight).
    @discardableResult
    func sighted(_ path: RawPath) -> Bool {
        if handedOn.contains(path) {
            // A scan sees the same in-flight name until its claim renames it: only a new version counts.
            return false
        }
        guard pending[path] == nil, let st = RawFS.lstat(path) else { return false }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let age = Duration.seconds(now.tv_sec - st.st_mtim.tv_sec) + .nanoseconds(now.tv_nsec - st.st_mtim.tv_nsec)
        let deadline = age > settle ? clock.now : clock.now + settle
        pending[path] = Pending(deadline: deadline, size: Int64(st.st_size), mtime: st.st_mtim)
        return true
    }

    /// A modification: only restarts a wait already under way (a new file waits for its close).
    func modified(_ path: RawPath) {
        if pending[path] != nil { touch(path) }
    }

    /// Files whose wait is over, whose size and mtime did not change and that no process holds open for
    /// writing; they are now handed on until `done` is called for them. Smallest first: of files that
    /// became ready together, a short note is not kept waiting behind two large reports.
    func due() -> [RawPath] {
        let now = clock.now
        var ready: [(path: RawPath, size: Int64)] = []
        for (path, p) in pending where p.deadline <= now {
            guard let st = RawFS.lstat(path) else {
                pending[path] = nil  // vanished while settling: nothing to do
                continue
            }
            if Int64(st.st_size) != p.size || st.st_mtim.tv_sec != p.mtime.tv_sec || st.st_mtim.tv_nsec != p.mtime.tv_nsec
                || isOpenForWriting(path)
            {
                pending[path] = Pending(deadline: now + settle, size: Int64(st.st_size), mtime: st.st_mtim)
                continue
            }
            pending[path] = nil
            handedOn.insert(path)
            ready.append((path, p.size))
        }
        return ready.sorted { ($0.size, $0.path) < ($1.size, $1.path) }.map(\.path)
    }

    /// The daemon finished with `path` (processed, failed or vanished). A name written again meanwhile
    /// waits again, from now.
    func done(_ path: RawPath) {
        handedOn.remove(path)
        if again.remove(path) != nil, RawFS.lstat(path) != nil {
            touch(path)
        }
    }

    /// How long until the next deadline, for the tick loop.
    func nextDeadline() -> ContinuousClock.Instant? { pending.values.map(\.deadline).min() }
}
