import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX file helpers with the guarantees the pipeline needs: reads
/// that refuse special files and stop at a limit, and durable writes
/// (temporary file, fsync, rename, fsync of the folder).
public enum FileIO {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var code: String
        public var message: String
        public var errno: Int32
        public var description: String { message }
    }

    static func failure(_ code: String, _ what: String, _ err: Int32 = Glibc.errno) -> Failure {
        Failure(code: code, message: "\(what): \(String(cString: strerror(err)))", errno: err)
    }

    /// Reads a regular file; refuses symbolic links, fifos, devices and folders;
    /// stops past `limit` bytes with a `too-large` failure.
    public static func readAll(path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let e = Glibc.errno
            if e == ELOOP { throw Failure(code: "symlink", message: "the file is a symbolic link: links are never followed", errno: e) }
            if e == ENOENT { throw Failure(code: "vanished", message: "the file vanished before it could be read", errno: e) }
            if e == EACCES { throw Failure(code: "unreadable", message: "the file is not readable by the gleaner user", errno: e) }
            throw failure("unreadable", "cannot open \(path)", e)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure("unreadable", "cannot stat \(path)") }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            let what = type == S_IFDIR ? "a folder" : type == S_IFIFO ? "a fifo" : type == S_IFCHR || type == S_IFBLK ? "a device" : type == S_IFSOCK ? "a socket" : "not a regular file"
            throw Failure(code: "not-regular", message: "the file is \(what), not a regular file", errno: 0)
        }
        if Int(st.st_size) > limit {
            throw Failure(code: "too-large", message: "the file has \(st.st_size) bytes, more than the limit of \(limit) (input.max_bytes)", errno: 0)
        }
        // Back to blocking reads for a regular file.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var total = 0
        while true {
            if total == bytes.count {
                if total > limit {
                    throw Failure(code: "too-large", message: "the file grew past the limit of \(limit) bytes (input.max_bytes)", errno: 0)
                }
                bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + total, buffer.count - total)
            }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw failure("unreadable", "cannot read \(path)")
            }
            if n == 0 { break }
            total += n
        }
        guard total <= limit else {
            throw Failure(code: "too-large", message: "the file has \(total) bytes, more than the limit of \(limit) (input.max_bytes)", errno: 0)
        }
        bytes.removeSubrange(total...)
        return bytes
    }

    /// Writes `data` to `path` durably: a temporary file beside it, fsync,
    /// rename over `path`, fsync of the folder. Readers see the old file or the
    /// new one, never a part.
    public static func writeAtomically(_ data: [UInt8], to path: String, mode: mode_t = 0o644) throws(Failure) {
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let temp = (dir as NSString).appendingPathComponent(".\(base).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("write-failed", "cannot create \(temp)") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { buffer in write(fd, buffer.baseAddress! + written, data.count - written) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                let e = Glibc.errno
                close(fd)
                throw failure("write-failed", "cannot write \(temp)", e)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let e = Glibc.errno
            close(fd)
            throw failure("write-failed", "cannot fsync \(temp)", e)
        }
        close(fd)
        guard rename(temp, path) == 0 else { throw failure("write-failed", "cannot rename \(temp) to \(path)") }
        ok = true
        try syncDirectory(dir)
    }

    public static func writeAtomically(_ text: String, to path: String) throws(Failure) {
        try writeAtomically(Array(text.utf8), to: path)
    }

    /// fsync of a folder, so a rename into it survives a crash.
    public static func syncDirectory(_ dir: String) throws(Failure) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("write-failed", "cannot open folder \(dir)") }
        defer { close(fd) }
        if fsync(fd) != 0 && Glibc.errno != EINVAL { throw failure("write-failed", "cannot fsync folder \(dir)") }
    }

    /// `mkdir -p` with a clear error.
    public static func makeDirectories(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure(code: "write-failed", message: "cannot create the folder \(path): \(error.localizedDescription)", errno: 0)
        }
    }
}
