import CInotifyTools
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the watcher saw, copied out of libinotifytools' reused buffer.
public enum WatchEvent: Sendable, Equatable {
    /// A file was closed after writing or moved in: it may be ready.
    case written(RawPath)
    /// A file is being written: restart its settle wait.
    case modified(RawPath)
    /// A name appeared: a regular file being written waits for its close; a
    /// hard link, symbolic link, fifo or device never gets one.
    case created(RawPath)
    /// A folder appeared (created or moved in); it is now watched and must be scanned.
    case directoryAppeared(RawPath)
    /// Events were lost (the kernel queue or ours overflowed), or a reconciliation was asked for: every
    /// folder (`folders` of them) has been watched again where a watch was missing; rescan everything.
    case rescan(reason: String, folders: Int)
    /// The inbox folder was removed and has been created again: it is watched again; recreate what
    /// the daemon keeps inside it and rescan.
    case inboxRecreated
    /// Something the operator should know that does not stop watching (an unreadable subfolder).
    case warning(String)
    /// The watcher cannot go on (the library failed).
    case failed(String)
}

/// Watches the inbox recursively with libinotifytools.
///
/// The library keeps global state and is not thread-safe, so every call to it
/// happens on one dedicated thread, which hands events to the async world
/// through an `AsyncStream`. Its `next_event` timeout is in whole seconds, so
/// stopping takes up to a second; nothing waits for that.
public final class InotifyWatcher: Sendable {
    public let events: AsyncStream<WatchEvent>
    private let continuation: AsyncStream<WatchEvent>.Continuation
    private let stopping = Atomic<Bool>(false)
    private let reconcileRequested = Atomic<Bool>(false)
    private let root: RawPath
    private let excluded: [RawPath]

    /// Set up once per process: the library's state is global.
    private static let inUse = Atomic<Bool>(false)

    /// Events waiting for the daemon. A consumer that falls this far behind loses events, which the
    /// watcher then reports as one `rescan` (as the kernel does with its own queue), so memory stays bounded.
    public static let queueLimit = 65_536

    static let fileMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF)

    /// Starts watching `root` and every folder below it except `excluded`.
    /// Returns once the watches are in place, or throws why they are not.
    public init(root: RawPath, excluding excluded: [RawPath]) async throws(WatcherError) {
        guard Self.inUse.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            throw WatcherError(message: "only one inotify watcher can run in a process")
        }
        self.root = root
        self.excluded = excluded
        (events, continuation) = AsyncStream.makeStream(of: WatchEvent.self, bufferingPolicy: .bufferingOldest(Self.queueLimit))
        let setup = SetupResult()
        let thread = Thread { [self] in self.loop(setup: setup) }
        thread.name = "gleaner-inotify"
        thread.start()
        if let message = await setup.wait() {
            Self.inUse.store(false, ordering: .releasing)
            throw WatcherError(message: message)
        }
    }

    public func stop() {
        stopping.store(true, ordering: .releasing)
    }

    /// Asks the watcher thread to walk the tree again, watch any folder that has no watch, and then
    /// report a `rescan` (periodic reconciliation: catches whatever a race or a lost event left behind).
    public func reconcile() {
        reconcileRequested.store(true, ordering: .releasing)
    }

    deinit { stop() }

    // MARK: The watcher thread

    private func loop(setup: SetupResult) {
        defer {
            inotifytools_cleanup()
            continuation.finish()
            Self.inUse.store(false, ordering: .releasing)
        }
        guard inotifytools_initialize() != 0 else {
            setup.finish("cannot initialise inotify: \(String(cString: strerror(inotifytools_error())))")
            return
        }
        var walk = TreeWalk()
        guard watch(root, walk: &walk, isRoot: true) else {
            setup.finish(walk.fatal ?? "cannot watch \(root.display)")
            return
        }
        report(walk)
        setup.finish(nil)

        // Events that did not fit in the queue: one `rescan` as soon as there is room.
        var lost = false
        func send(_ event: WatchEvent) {
            if case .dropped = continuation.yield(event) { lost = true }
        }

        while !stopping.load(ordering: .acquiring) {
            if lost, case .enqueued = continuation.yield(.rescan(reason: "events were lost (the daemon fell behind)", folders: 0)) {
                lost = false
            }
            if reconcileRequested.exchange(false, ordering: .acquiringAndReleasing) {
                var walk = TreeWalk()
                _ = watch(root, walk: &walk, isRoot: true)
                report(walk)
                send(.rescan(reason: "periodic reconciliation", folders: walk.folders))
            }
            guard let event = inotifytools_next_event(1) else {
                let e = inotifytools_error()
                if e != 0 && e != EINTR && e != EAGAIN {
                    send(.failed("inotify read failed: \(String(cString: strerror(e)))"))
                    return
                }
                continue
            }
            // Copy everything out now: the next call reuses the buffer.
            let mask = gleaner_event_mask(event)
            let wd = gleaner_event_wd(event)
            let nameLength = gleaner_event_name_length(event)
            let name: [UInt8] = nameLength == 0 ? [] : gleaner_event_name(event).withMemoryRebound(to: UInt8.self, capacity: nameLength) {
                Array(UnsafeBufferPointer(start: $0, count: nameLength))
            }
            if mask & UInt32(IN_Q_OVERFLOW) != 0 || wd < 0 {
                // Lost events may include folders created meanwhile: watch them before the rescan.
                var walk = TreeWalk()
                _ = watch(root, walk: &walk, isRoot: true)
                report(walk)
                send(.rescan(reason: "the inotify queue overflowed", folders: walk.folders))
                continue
            }
            guard let dirName = inotifytools_filename_from_wd(wd) else { continue }
            let dir = RawPath(bytes: Array(UnsafeBufferPointer(start: UnsafeRawPointer(dirName).assumingMemoryBound(to: UInt8.self), count: strlen(dirName))))
            if mask & UInt32(IN_IGNORED) != 0 {
                // The kernel dropped the watch (its folder is gone): forget it, so a folder created again
                // under the same name is watched again.
                _ = inotifytools_remove_watch_by_wd(wd)
                continue
            }
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                if Self.sameDirectory(dir, root) {
                    guard waitForRoot() else { return }
                    send(.inboxRecreated)
                }
                continue
            }
            guard !name.isEmpty else { continue }
            let path = dir.appending(RawPath(bytes: name))
            if mask & UInt32(IN_ISDIR) != 0 {
                if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, !isExcluded(path) {
                    // Watch first, then let the daemon scan it: nothing created in between is missed.
                    var walk = TreeWalk()
                    _ = watch(path, walk: &walk, isRoot: false)
                    report(walk)
                    send(.directoryAppeared(path))
                }
                continue
            }
            if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
                send(.written(path))
            } else if mask & UInt32(IN_MODIFY) != 0 {
                send(.modified(path))
            } else if mask & UInt32(IN_CREATE) != 0 {
                send(.created(path))
            }
        }
    }

    /// The inbox was removed or moved away: wait (checking once a second) until a folder of that name
    /// exists again, then watch it from scratch. False when stopping first.
    private func waitForRoot() -> Bool {
        _ = continuation.yield(.warning("the inbox \(root.display) was removed or moved away; waiting for it to be created again"))
        var walk = TreeWalk()
        while !stopping.load(ordering: .acquiring) {
            if let st = RawFS.lstat(root), st.st_mode & S_IFMT == S_IFDIR {
                walk = TreeWalk()
                if watch(root, walk: &walk, isRoot: true) {
                    report(walk)
                    return true
                }
            }
            usleep(200_000)
        }
        return false
    }

    /// What one walk over a tree of folders did.
    struct TreeWalk {
        var folders = 0
        var skipped: [String] = []
        var fatal: String?
    }

    private func report(_ walk: TreeWalk) {
        for message in walk.skipped.prefix(20) { _ = continuation.yield(.warning(message)) }
        if walk.skipped.count > 20 {
            _ = continuation.yield(.warning("\(walk.skipped.count - 20) more folder(s) could not be watched"))
        }
    }

    /// Watches `path` and every folder below it (minus the excluded ones) that has no watch yet: each
    /// folder's own watch first, then its listing, so a subfolder created during the walk is either
    /// listed or reported by its parent's watch. A folder that cannot be watched (unreadable, vanished)
    /// is skipped with a warning; the rest stays on inotify. False only when `path` itself is the root
    /// and cannot be watched.
    private func watch(_ path: RawPath, walk: inout TreeWalk, isRoot: Bool) -> Bool {
        var pending = [path]
        var first = true
        while let dir = pending.popLast() {
            defer { first = false }
            if !first && isExcluded(dir) { continue }
            // Added every time: the kernel returns the same watch for a folder already watched, and a new
            // one for a folder created again under an old name (libinotifytools' name table may still hold
            // the old, dead watch, so it cannot tell which folders are watched).
            let slashed = RawPath(bytes: dir.bytes.last == UInt8(ascii: "/") ? dir.bytes : dir.bytes + [UInt8(ascii: "/")])
            let ok = slashed.withCString { inotifytools_watch_file($0, Int32(bitPattern: Self.fileMask)) }
            if ok == 0 {
                let e = inotifytools_error()
                if e == ENOENT || e == ENOTDIR { continue }  // gone again, or replaced by a file
                let message = e == ENOSPC
                    ? "cannot watch \(dir.display): the inotify watch limit is reached (raise fs.inotify.max_user_watches); files there are found by rescans only"
                    : "cannot watch \(dir.display): \(String(cString: strerror(e))); files there are found by rescans only"
                if first && isRoot {
                    walk.fatal = message
                    return false
                }
                walk.skipped.append(message)
                continue
            }
            walk.folders += 1
            guard let entries = RawFS.entries(dir) else {
                walk.skipped.append("cannot list \(dir.display): \(String(cString: strerror(errno))); files there are not seen")
                continue
            }
            for (name, type) in entries {
                let child = dir.appending(name)
                if type == UInt8(DT_DIR) {
                    pending.append(child)
                } else if type == UInt8(DT_UNKNOWN), let st = RawFS.lstat(child), st.st_mode & S_IFMT == S_IFDIR {
                    pending.append(child)
                }
            }
        }
        return true
    }

    private func isExcluded(_ path: RawPath) -> Bool {
        excluded.contains { Self.sameDirectory($0, path) }
    }

    static func sameDirectory(_ a: RawPath, _ b: RawPath) -> Bool {
        func trimmed(_ p: RawPath) -> [UInt8] {
            var bytes = p.bytes
            while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
            return bytes
        }
        return trimmed(a) == trimmed(b)
    }

}

public struct WatcherError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Hands the thread's set-up outcome to the async initialiser.
private final class SetupResult: Sendable {
    private let state = Mutex<(done: Bool, message: String?, waiter: CheckedContinuation<String?, Never>?)>((false, nil, nil))

    func finish(_ message: String?) {
        let waiter = state.withLock { s -> CheckedContinuation<String?, Never>? in
            s.done = true
            s.message = message
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: message)
    }

    func wait() async -> String? {
        await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
            let ready = state.withLock { s -> (Bool, String?) in
                if s.done { return (true, s.message) }
                s.waiter = c
                return (false, nil)
            }
            if ready.0 { c.resume(returning: ready.1) }
        }
    }
}

/// File systems whose changes inotify does not report (network and FUSE mounts).
public enum FileSystemKind {
    /// A name for the file system when it has no inotify events, nil when inotify works.
    public static func withoutInotify(_ path: RawPath) -> String? {
        let type = path.withCString { gleaner_fs_type($0) }
        guard type != -1 else { return nil }
        switch UInt(bitPattern: type) & 0xFFFF_FFFF {
        case 0x6969: return "NFS"
        case 0x517B: return "SMB"
        case 0xFF53_4D42: return "CIFS"
        case 0xFE53_4D42: return "SMB2"
        case 0x6573_5546: return "FUSE"
        case 0x0102_1997: return "9p"
        case 0x00C3_6400: return "Ceph"
        case 0x0BD0_0BD0: return "Lustre"
        default: return nil
        }
    }
}
