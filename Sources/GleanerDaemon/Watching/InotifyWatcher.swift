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
    /// The kernel queue overflowed: events were lost, rescan everything.
    case overflow
    /// The watcher cannot go on (the inbox was removed, or the library failed).
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
    private let root: RawPath
    private let excluded: [RawPath]

    /// Set up once per process: the library's state is global.
    private static let inUse = Atomic<Bool>(false)

    static let fileMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF)

    /// Starts watching `root` and every folder below it except `excluded`.
    /// Returns once the watches are in place, or throws why they are not.
    public init(root: RawPath, excluding excluded: [RawPath]) async throws(WatcherError) {
        guard Self.inUse.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            throw WatcherError(message: "only one inotify watcher can run in a process")
        }
        self.root = root
        self.excluded = excluded
        (events, continuation) = AsyncStream.makeStream(of: WatchEvent.self, bufferingPolicy: .unbounded)
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
        if let failure = watchTree(root) {
            setup.finish(failure)
            return
        }
        setup.finish(nil)

        while !stopping.load(ordering: .acquiring) {
            guard let event = inotifytools_next_event(1) else {
                let e = inotifytools_error()
                if e != 0 && e != EINTR && e != EAGAIN {
                    continuation.yield(.failed("inotify read failed: \(String(cString: strerror(e)))"))
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
                continuation.yield(.overflow)
                continue
            }
            guard let dirName = inotifytools_filename_from_wd(wd) else { continue }
            let dir = RawPath(bytes: Array(UnsafeBufferPointer(start: UnsafeRawPointer(dirName).assumingMemoryBound(to: UInt8.self), count: strlen(dirName))))
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                if Self.sameDirectory(dir, root) {
                    continuation.yield(.failed("the inbox \(root.display) was removed or moved away"))
                    return
                }
                continue
            }
            guard !name.isEmpty else { continue }
            let path = dir.appending(RawPath(bytes: name))
            if mask & UInt32(IN_ISDIR) != 0 {
                if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, !isExcluded(path) {
                    // Watch first, then let the daemon scan it: nothing created in between is missed.
                    if let failure = watchTree(path) {
                        continuation.yield(.failed(failure))
                    }
                    continuation.yield(.directoryAppeared(path))
                }
                continue
            }
            if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
                continuation.yield(.written(path))
            } else if mask & UInt32(IN_MODIFY) != 0 {
                continuation.yield(.modified(path))
            } else if mask & UInt32(IN_CREATE) != 0 {
                continuation.yield(.created(path))
            }
        }
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

    /// Watches `path` and its subfolders (minus the excluded ones); returns an error message on failure.
    private func watchTree(_ path: RawPath) -> String? {
        let excludes = excluded.map { Array($0.bytes) + [0] }
        var pointers: [UnsafePointer<CChar>?] = []
        let storage = excludes.map { bytes -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { p.initialize(from: $0.baseAddress!, count: bytes.count) }
            }
            return p
        }
        defer { storage.forEach { $0.deallocate() } }
        pointers = storage.map { UnsafePointer($0) } + [nil]
        let ok = path.withCString { cpath in
            pointers.withUnsafeMutableBufferPointer { list in
                inotifytools_watch_recursively_with_exclude(cpath, Int32(bitPattern: Self.fileMask), list.baseAddress)
            }
        }
        guard ok != 0 else {
            let e = inotifytools_error()
            if e == ENOENT { return nil }  // the folder vanished again: nothing to watch
            if e == ENOSPC {
                return "cannot watch \(path.display): the inotify watch limit is reached (raise fs.inotify.max_user_watches)"
            }
            return "cannot watch \(path.display): \(String(cString: strerror(e)))"
        }
        return nil
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
