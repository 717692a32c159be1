import Foundation
import GleanerCore
import GleanerPipeline

#if canImport(Glibc)
import Glibc
#endif

/// Where documents end up: results in the outbox, originals in `archive/`
/// (or deleted), refused ones in `failed/` with a `NAME.error.json` sidecar.
struct Outbox: Sendable {
    let outbox: RawPath
    let failed: RawPath
    let archive: RawPath

    func prepare() throws(RawFS.Failure) {
        try RawFS.makeDirectories(outbox)
        try RawFS.makeDirectories(failed)
        try RawFS.makeDirectories(archive)
    }

    /// Removes the temporary files of writes that a crash interrupted (`.NAME.PID.RANDOM.tmp`,
    /// see `RawFS.writeAtomically`) below the outbox, `failed/` and `archive/`. A file whose
    /// writer is still alive (another process sharing the folder) is left alone. The result it
    /// was for is written again when its document is processed again, so nothing is lost.
    /// Returns how many were removed.
    @discardableResult
    func removeInterruptedWrites() -> Int {
        var removed = 0
        var seen = Set<String>()
        var pending = [outbox, failed, archive]
        var visited = 0
        while let dir = pending.popLast(), visited < 100_000 {
            visited += 1
            guard seen.insert(dir.display).inserted, let entries = RawFS.entries(dir) else { continue }
            for (name, type) in entries {
                let path = dir.appending(name)
                if type == UInt8(DT_DIR) { pending.append(path); continue }
                guard type == UInt8(DT_REG) || type == UInt8(DT_UNKNOWN), let pid = Self.writerPID(ofTemporary: name.display) else { continue }
                // kill(pid, 0) fails with ESRCH when no such process exists.
                if pid != getpid(), kill(pid, 0) == 0 || errno != ESRCH { continue }
                if (try? RawFS.unlink(path)) != nil { removed += 1 }
            }
        }
        return removed
    }

    /// The writer's process id in a temporary name `.NAME.PID.RANDOM.tmp`, or nil for any other name.
    static func writerPID(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let parts = name.dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4, UInt32(parts[parts.count - 1]) != nil, let pid = Int32(parts[parts.count - 2]), pid > 0 else { return nil }
        return pid
    }

    /// The result paths for a document: `<outbox>/<relative>.json` (and `.html`).
    /// Writing the same input again lands on the same path (idempotent); a
    /// different input with the same name gets `<relative>.2.json`, `.3`, …
    func resultPaths(relative: RawPath, sha256: String) -> (json: RawPath, html: RawPath) {
        let base = outbox.appending(OutboxLayout.safeRelativePath(relative.display))
        var n = 1
        while true {
            let stem = n == 1 ? base.display : base.display + ".\(n)"
            let json = RawPath(stem + ".json")
            if !RawFS.exists(json) || Self.resultSHA(json) == sha256 {
                return (json, RawPath(stem + ".html"))
            }
            n += 1
        }
    }

    /// The `source.sha256` near the start of a result, without parsing the whole file.
    static func resultSHA(_ path: RawPath) -> String? {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 2048)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return nil }
        let head = String(decoding: buffer[0..<n], as: UTF8.self)
        guard let r = head.range(of: "\"sha256\": \"") ?? head.range(of: "\"sha256\":\"") else { return nil }
        return String(head[r.upperBound...].prefix(64))
    }

    func writeResult(json: String, html: String?, to paths: (json: RawPath, html: RawPath)) throws(RawFS.Failure) {
        try RawFS.makeDirectories(paths.json.parent)
        if let html { try RawFS.writeAtomically(Array(html.utf8), to: paths.html) }
        try RawFS.writeAtomically(Array(json.utf8), to: paths.json)
    }

    /// A free path under `folder` for `relative`: `name`, then `name.2`, `name.3`, …
    func freePath(in folder: RawPath, relative: RawPath) -> RawPath {
        let clean = RawPath(bytes: relative.components.filter { $0.bytes != [46, 46] && $0.bytes != [46] }
            .map(\.bytes).joined(separator: [UInt8(ascii: "/")]).map { $0 })
        let base = folder.appending(clean.isEmpty ? RawPath("_") : clean)
        var candidate = base
        var n = 2
        while RawFS.exists(candidate) || RawFS.exists(RawPath(bytes: candidate.bytes + Array(".error.json".utf8))) {
            candidate = RawPath(bytes: base.bytes + Array(".\(n)".utf8))
            n += 1
        }
        return candidate
    }

    /// Moves the original into `archive/` keeping its relative path.
    func archive(_ file: RawPath, relative: RawPath) throws(RawFS.Failure) {
        let target = freePath(in: archive, relative: relative)
        try RawFS.makeDirectories(target.parent)
        try RawFS.move(file, target)
        try? RawFS.syncDirectory(target.parent)
    }

    /// Moves a refused file into `failed/` with its sidecar; returns where it went.
    @discardableResult
    func fail(_ file: RawPath?, relative: RawPath, reason: String, message: String, processor: String?) throws(RawFS.Failure) -> RawPath {
        let target = freePath(in: failed, relative: relative)
        try RawFS.makeDirectories(target.parent)
        let sidecar: JSONValue = [
            "name": .string(relative.display),
            "reason": .string(reason),
            "message": .string(message),
            "processor": .optional(processor),
            "time": .string(ResultDocument.iso8601(Date())),
        ]
        try RawFS.writeAtomically(Array(sidecar.prettyPrinted().utf8), to: RawPath(bytes: target.bytes + Array(".error.json".utf8)))
        if let file { try RawFS.move(file, target) }
        try? RawFS.syncDirectory(target.parent)
        return target
    }
}
