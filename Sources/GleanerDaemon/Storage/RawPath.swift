import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A path as the file system stores it: bytes, not necessarily UTF-8.
///
/// File names may hold newlines or invalid UTF-8; a `String` would repair
/// them and then name a file that does not exist. Every file operation of the
/// daemon goes through these bytes; `display` is only for logs and results.
public struct RawPath: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// UTF-8 with invalid bytes shown as U+FFFD.
    public var display: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { display }
    public var isEmpty: Bool { bytes.isEmpty }

    public static func < (a: RawPath, b: RawPath) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    public func appending(_ component: RawPath) -> RawPath {
        if bytes.isEmpty { return component }
        if component.bytes.isEmpty { return self }
        return RawPath(bytes: (bytes.last == UInt8(ascii: "/") ? bytes : bytes + [UInt8(ascii: "/")]) + component.bytes)
    }

    public func appending(_ component: String) -> RawPath { appending(RawPath(component)) }

    /// The last component.
    public var lastComponent: RawPath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return self }
        return RawPath(bytes: Array(bytes[(slash + 1)...]))
    }

    /// Everything before the last component.
    public var parent: RawPath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return RawPath(bytes: []) }
        return RawPath(bytes: slash == 0 ? [UInt8(ascii: "/")] : Array(bytes[..<slash]))
    }

    public var components: [RawPath] {
        bytes.split(separator: UInt8(ascii: "/")).map { RawPath(bytes: Array($0)) }
    }

    /// Calls `body` with a NUL-terminated C string of the path.
    public func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }
}

/// POSIX operations on raw paths, with errors that say what failed.
public enum RawFS {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var errno: Int32
        public var message: String
        public var description: String { message }
        /// The disk is full, the file system read-only, or permission is missing:
        /// conditions an operator can fix, worth retrying.
        public var isRetryable: Bool { [ENOSPC, EROFS, EACCES, EPERM, EDQUOT, EIO].contains(errno) }
    }

    static func fail(_ what: String, _ path: RawPath, _ e: Int32 = Glibc.errno) -> Failure {
        Failure(errno: e, message: "\(what) \(path.display.debugDescription): \(String(cString: strerror(e)))")
    }

    public static func lstat(_ path: RawPath) -> stat? {
        var st = stat()
        return path.withCString { Glibc.lstat($0, &st) } == 0 ? st : nil
    }

    public static func rename(_ from: RawPath, _ to: RawPath) throws(Failure) {
        let r = from.withCString { a in to.withCString { b in Glibc.rename(a, b) } }
        if r != 0 { throw fail("cannot move \(from.display.debugDescription) to", to) }
    }

    public static func unlink(_ path: RawPath) throws(Failure) {
        if path.withCString({ Glibc.unlink($0) }) != 0 && Glibc.errno != ENOENT { throw fail("cannot remove", path) }
    }

    public static func exists(_ path: RawPath) -> Bool { lstat(path) != nil }

    /// `mkdir -p`.
    public static func makeDirectories(_ path: RawPath, mode: mode_t = 0o755) throws(Failure) {
        if let st = lstat(path) {
            if st.st_mode & S_IFMT == S_IFDIR { return }
            throw Failure(errno: ENOTDIR, message: "\(path.display) exists and is not a folder")
        }
        let parent = path.parent
        if !parent.isEmpty && parent != path { try makeDirectories(parent, mode: mode) }
        if path.withCString({ Glibc.mkdir($0, mode) }) != 0 && Glibc.errno != EEXIST { throw fail("cannot create the folder", path) }
    }

    public static func syncDirectory(_ path: RawPath) throws(Failure) {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw fail("cannot open the folder", path) }
        defer { close(fd) }
        if fsync(fd) != 0 && Glibc.errno != EINVAL { throw fail("cannot fsync the folder", path) }
    }

    /// Writes durably: temporary file, fsync, rename, fsync of the folder.
    public static func writeAtomically(_ data: [UInt8], to path: RawPath) throws(Failure) {
        try writeAtomically([(data, path)])
    }

    /// Writes several files of one folder durably as one commit: each to a temporary file and fsynced,
    /// then all renamed, then one fsync of the folder (instead of one per file).
    public static func writeAtomically(_ files: [(data: [UInt8], path: RawPath)]) throws(Failure) {
        var temps: [RawPath] = []
        var renamed = 0
        defer { for temp in temps.dropFirst(renamed) { _ = temp.withCString { Glibc.unlink($0) } } }
        for (data, path) in files {
            let temp = path.parent.appending(".\(path.lastComponent.display.prefix(40)).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
            let fd = temp.withCString { Glibc.open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
            guard fd >= 0 else { throw fail("cannot create", temp) }
            temps.append(temp)
            try writeAll(fd, data, temp, sync: true)
        }
        for (k, (_, path)) in files.enumerated() {
            try rename(temps[k], path)
            renamed += 1
        }
        var synced: Set<RawPath> = []
        for (_, path) in files where synced.insert(path.parent).inserted { try syncDirectory(path.parent) }
    }

    /// Creates a new file durably without a temporary (for files whose name is new and unique, and which are
    /// worthless when torn): write, fsync, fsync of the folder.
    public static func writeNew(_ data: [UInt8], to path: RawPath) throws(Failure) {
        let fd = path.withCString { Glibc.open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
        guard fd >= 0 else { throw fail("cannot create", path) }
        do {
            try writeAll(fd, data, path, sync: true)
        } catch {
            _ = path.withCString { Glibc.unlink($0) }
            throw error
        }
        try syncDirectory(path.parent)
    }

    /// Writes all of `data` to `fd` (then fsyncs it when asked) and closes it.
    static func writeAll(_ fd: Int32, _ data: [UInt8], _ path: RawPath, sync: Bool) throws(Failure) {
        defer { close(fd) }
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, data.count - written) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw fail("cannot write", path)
            }
            written += n
        }
        if sync && fsync(fd) != 0 { throw fail("cannot fsync", path) }
    }

    /// Moves a file, across file systems too (copy, fsync, then unlink the source).
    public static func move(_ from: RawPath, _ to: RawPath) throws(Failure) {
        let r = from.withCString { a in to.withCString { b in Glibc.rename(a, b) } }
        if r == 0 { return }
        guard Glibc.errno == EXDEV else { throw fail("cannot move \(from.display.debugDescription) to", to) }
        let data: [UInt8]
        do {
            data = try readAll(from)
        } catch {
            throw error
        }
        try writeAtomically(data, to: to)
        try unlink(from)
    }

    public static func readAll(_ path: RawPath) throws(Failure) -> [UInt8] {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { throw fail("cannot open", path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw fail("cannot read", path)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// The entries of a folder (no `.` and `..`), with their types from readdir.
    public static func entries(_ dir: RawPath) -> [(name: RawPath, type: UInt8)]? {
        guard let handle = dir.withCString({ opendir($0) }) else { return nil }
        defer { closedir(handle) }
        var result: [(RawPath, UInt8)] = []
        while let entry = readdir(handle) {
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let n = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[0..<n])
            }
            if name == [46] || name == [46, 46] { continue }
            result.append((RawPath(bytes: name), entry.pointee.d_type))
        }
        return result
    }
}
