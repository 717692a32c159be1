import Foundation
import GleanerCore
import GleanerPipeline
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where documents end up: results in the outbox, originals in `archive/`
/// (or deleted), refused ones in `failed/` with a `NAME.error.json` sidecar.
struct Outbox: Sendable {
    let outbox: RawPath
    let failed: RawPath
    let archive: RawPath
    let reservations = Reservations()

    final class Reservations: Sendable {
        private let state = Mutex<[String: ResultIdentity]>([:])
        func locked<T>(_ body: (inout [String: ResultIdentity]) -> T) -> T { state.withLock { body(&$0) } }
    }

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

    /// The result paths for a document: `<outbox>/<relative>.json` (and `.html`), numbered as
    /// `OutboxLayout.resultStem` says (the same input again lands on the same path; another input with a
    /// name that cleans up the same gets `.2`, `.3`, …). `number` is shared with the archived original.
    /// Two documents in flight at once whose names clean up the same must not both choose one stem before
    /// either is written: a stem is reserved from its choice until `release`.
    func resultPaths(relative: RawPath, sha256: String) -> (json: RawPath, html: RawPath, number: Int) {
        let name = relative.display
        let (stem, number) = reservations.locked { reserved in
            let chosen = OutboxLayout.resultStem(outbox: outbox.display, name: name, sha256: sha256) { path in
                reserved[path] ?? ResultIdentity.read(path: path)
            }
            reserved[chosen.stem + ".json"] = ResultIdentity(name: name, sha256: sha256)
            return chosen
        }
        return (RawPath(stem + ".json"), RawPath(stem + ".html"), number)
    }

    /// The result is on disk (or will not be written): its stem is no longer reserved.
    func release(_ paths: (json: RawPath, html: RawPath, number: Int)) {
        reservations.locked { $0[paths.json.display] = nil }
    }

    func writeResult(json: [UInt8], html: [UInt8]?, to paths: (json: RawPath, html: RawPath, number: Int)) throws(RawFS.Failure) {
        try RawFS.makeDirectories(paths.json.parent)
        // One commit for both files: each fsynced, both renamed (the view first, so a result never points
        // to a view that is not there), one fsync of their folder.
        try RawFS.writeAtomically((html.map { [($0, paths.html)] } ?? []) + [(json, paths.json)])
    }

    /// A free path under `folder` for `relative`: `name` (for `number` 1) or `name.N`, the first free
    /// from `number` on, with the same cleaned, shortened components as results.
    func freePath(in folder: RawPath, relative: RawPath, number: Int = 1) -> RawPath {
        let clean = OutboxLayout.safeRelativePath(relative.display)
        let base = folder.appending(clean)
        var n = max(1, number)
        while true {
            let candidate = n == 1 ? base : RawPath(bytes: base.bytes + Array(".\(n)".utf8))
            if !RawFS.exists(candidate) && !RawFS.exists(RawPath(bytes: candidate.bytes + Array(".error.json".utf8))) {
                return candidate
            }
            n += 1
        }
    }

    /// Moves the original into `archive/` keeping its relative path.
    func archive(_ file: RawPath, relative: RawPath, number: Int = 1) throws(RawFS.Failure) {
        let target = freePath(in: archive, relative: relative, number: number)
        try RawFS.makeDirectories(target.parent)
        // No fsync: the result is durable already; an archive move lost in a crash leaves the file claimed,
        // and processing it again finds the same result (same name, same content) and archives it then.
        try RawFS.move(file, target)
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
