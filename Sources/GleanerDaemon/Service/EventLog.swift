import Foundation
import GleanerCore
import GleanerPipeline

#if canImport(Glibc)
import Glibc
#endif

/// The JSON-lines log of document events in `logs/gleaner.log`: one record
/// per event (received, claimed, processed, failed, archived), rotated by
/// size into `gleaner.log.1` … `gleaner.log.N`.
actor EventLog {
    private let path: RawPath
    private let maxBytes: Int
    private let kept: Int
    private var fd: Int32 = -1
    private var size = 0

    init(folder: String, maxBytes: Int, kept: Int) {
        self.path = RawPath(folder).appending("gleaner.log")
        self.maxBytes = maxBytes
        self.kept = kept
    }

    func record(_ event: String, _ fields: [(String, JSONValue)]) {
        let line = JSONValue.object([("time", .string(ResultDocument.iso8601(Date()))), ("event", .string(event))] + fields)
            .serialized() + "\n"
        if fd < 0 { openFile() }
        guard fd >= 0 else { return }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        size += bytes.count
        if size >= maxBytes { rotate() }
    }

    private func openFile() {
        try? RawFS.makeDirectories(path.parent)
        fd = path.withCString { Glibc.open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        if fd >= 0 {
            var st = stat()
            if fstat(fd, &st) == 0 { size = Int(st.st_size) }
        }
    }

    private func rotate() {
        Glibc.close(fd)
        fd = -1
        let base = path.display
        try? RawFS.unlink(RawPath("\(base).\(kept)"))
        if kept > 1 {
            for n in stride(from: kept - 1, through: 1, by: -1) {
                try? RawFS.rename(RawPath("\(base).\(n)"), RawPath("\(base).\(n + 1)"))
            }
        }
        try? RawFS.rename(path, RawPath("\(base).1"))
        size = 0
        openFile()
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
