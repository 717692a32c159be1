import Foundation
import GleanerCore
import GleanerPipeline

#if canImport(Glibc)
import Glibc
#endif

/// A file taken out of the inbox for processing.
struct Claim: Sendable, Hashable {
    /// `state/claimed/<id>`: the file itself.
    var id: String
    /// The path relative to the inbox, as the file system spells it.
    var relative: RawPath
    /// How many times processing started; a crash leaves it counted.
    var attempts: Int
}

/// Claims files by `rename()` into the state folder (same file system, so a
/// claim is atomic) with a sidecar written first that remembers the file's
/// relative name and how often processing was attempted. After a crash,
/// every claim still there is found again at start-up.
struct ClaimStore: Sendable {
    let folder: RawPath

    init(state: String) {
        self.folder = RawPath(state).appending("claimed")
    }

    func prepare() throws(RawFS.Failure) { try RawFS.makeDirectories(folder) }

    func dataPath(_ claim: Claim) -> RawPath { folder.appending(claim.id) }
    func sidecarPath(_ id: String) -> RawPath { folder.appending(id + ".claim") }

    enum ClaimError: Error {
        case vanished
        case failed(RawFS.Failure)
    }

    /// Moves `path` (inside the inbox) into the claim folder.
    /// `id` (by default a new one) is the document's correlation id in every event and log line.
    func claim(_ path: RawPath, relative: RawPath, id: String = ClaimStore.newID()) throws(ClaimError) -> Claim {
        let claim = Claim(id: id, relative: relative, attempts: 1)
        // The sidecar (the file's name) is durable before the rename can be: a claimed file is never
        // nameless. The rename itself needs no fsync: lost in a crash, the file is back in the inbox and is
        // claimed again (its result, if written, is found again under the same name and content).
        do {
            try RawFS.writeNew(sidecarBytes(claim), to: sidecarPath(id))
        } catch {
            throw .failed(error)
        }
        do {
            try RawFS.rename(path, dataPath(claim))
        } catch {
            try? RawFS.unlink(sidecarPath(id))
            throw error.errno == ENOENT ? .vanished : .failed(error)
        }
        return claim
    }

    /// Rewrites the sidecar of an existing claim (its attempt count changed).
    func writeSidecar(_ claim: Claim) throws(RawFS.Failure) {
        try RawFS.writeAtomically(sidecarBytes(claim), to: sidecarPath(claim.id))
    }

    func sidecarBytes(_ claim: Claim) -> [UInt8] {
        let json: JSONValue = [
            "name": .string(claim.relative.display),
            "name_hex": .string(claim.relative.bytes.map { String(format: "%02x", $0) }.joined()),
            "attempts": .int(claim.attempts),
            "updated_at": .string(ResultDocument.iso8601(Date())),
        ]
        return json.serializedBytes()
    }

    /// Removes the claim's sidecar once its file is archived, deleted or failed.
    func release(_ claim: Claim) {
        try? RawFS.unlink(sidecarPath(claim.id))
    }

    /// Claims left by an earlier run, oldest first. Sidecars whose file never
    /// arrived (a crash between the two steps) are removed: the file is still in the inbox.
    func leftovers() -> [Claim] {
        guard let entries = RawFS.entries(folder) else { return [] }
        var claims: [Claim] = []
        for (name, _) in entries {
            let n = name.display
            // A sidecar write a crash interrupted: the claim it was for is still complete or never happened.
            if n.hasPrefix("."), n.hasSuffix(".tmp") {
                try? RawFS.unlink(folder.appending(name))
                continue
            }
            guard n.hasSuffix(".claim") else { continue }
            let id = String(n.dropLast(6))
            let sidecar = sidecarPath(id)
            guard RawFS.exists(folder.appending(id)) else {
                try? RawFS.unlink(sidecar)
                continue
            }
            guard let bytes = try? RawFS.readAll(sidecar), let json = try? JSONValue.parse(bytes: bytes),
                let hex = json["name_hex"]?.stringValue
            else {
                // An unreadable sidecar: keep the file under its id rather than lose it.
                claims.append(Claim(id: id, relative: RawPath("recovered-" + id), attempts: 1))
                continue
            }
            claims.append(Claim(id: id, relative: RawPath(bytes: Self.bytes(fromHex: hex)), attempts: json["attempts"]?.intValue ?? 1))
        }
        return claims.sorted { $0.id < $1.id }
    }

    /// Sortable by time of claim, unique across restarts.
    static func newID() -> String {
        let now = Date().timeIntervalSince1970
        return String(format: "%014.3f-%08x", now, UInt32.random(in: 0...UInt32.max)).replacingOccurrences(of: ".", with: "")
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.utf8.makeIterator()
        while let a = it.next(), let b = it.next() {
            if let v = UInt8(String(decoding: [a, b], as: UTF8.self), radix: 16) { out.append(v) }
        }
        return out
    }
}
