import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Tells whether some process still holds a file open for writing, so that a file found by a scan (or
/// closed and reopened by its writer) is never claimed while its writer is pausing between writes.
///
/// First choice, a read lease (`fcntl(F_SETLEASE, F_RDLCK)`): the kernel grants it only when no process
/// has the file open for writing, and it costs one system call. It needs the file's owner or
/// `CAP_LEASE`; otherwise the check reads `/proc/*/fd` (the processes it may see: the daemon's own
/// user's, or all of them with `CAP_SYS_PTRACE`). A writer it cannot see is left to the settle delay and
/// to the size and mtime re-check after processing.
enum OpenWriters {
    /// A writer that opens the file during the instant a lease is held makes the kernel signal the lease
    /// holder with SIGIO, whose default action ends the process; the lease is dropped at once anyway.
    private static let ignoreLeaseBreaks: Void = { _ = signal(SIGIO, SIG_IGN) }()

    /// `F_SETLEASE` (`F_LINUX_SPECIFIC_BASE + 0`), which Glibc's module hides behind `_GNU_SOURCE`.
    static let setLease: Int32 = 1024

    static func isOpenForWriting(_ path: RawPath) -> Bool {
        ignoreLeaseBreaks
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW) }
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return false }
        if fcntl(fd, Self.setLease, F_RDLCK) == 0 {
            _ = fcntl(fd, Self.setLease, F_UNLCK)
            return false
        }
        if errno == EAGAIN || errno == EBUSY { return true }
        return procHoldsForWriting(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Looks for a descriptor open for writing on (device, inode) among the processes `/proc` shows us.
    static func procHoldsForWriting(device: UInt64, inode: UInt64) -> Bool {
        guard let processes = RawFS.entries(RawPath("/proc")) else { return false }
        let me = getpid()
        for (pid, _) in processes {
            guard let first = pid.bytes.first, first >= 0x30, first <= 0x39, Int32(pid.display) != me else { continue }
            let fdFolder = RawPath("/proc").appending(pid).appending("fd")
            guard let fds = RawFS.entries(fdFolder) else { continue }
            for (fd, _) in fds {
                var st = stat()
                let found = fdFolder.appending(fd).withCString { stat($0, &st) } == 0
                guard found, UInt64(st.st_dev) == device, UInt64(st.st_ino) == inode else { continue }
                let info = RawPath("/proc").appending(pid).appending("fdinfo").appending(fd)
                if let text = try? RawFS.readAll(info), let flags = Self.flags(fdinfo: text), flags & O_ACCMODE != O_RDONLY {
                    return true
                }
            }
        }
        return false
    }

    /// The `flags:` line of `/proc/PID/fdinfo/FD` (octal).
    static func flags(fdinfo: [UInt8]) -> Int32? {
        let text = String(decoding: fdinfo, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("flags:") {
            return Int32(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8)
        }
        return nil
    }
}
