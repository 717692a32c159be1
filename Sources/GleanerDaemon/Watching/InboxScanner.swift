import GleanerConfig
#if canImport(Glibc)
import Glibc
#endif

/// Walks the inbox for files that are waiting: at start-up, after an inotify
/// overflow, for a folder that just appeared, and in polling mode. Symbolic
/// links are reported as files (they will be refused), never followed.
struct InboxScanner: Sendable {
    let ignore: IgnoreRules
    let excluded: [RawPath]

    /// Calls `found` for every candidate file below `folder`, depth first, in name order.
    func scan(_ folder: RawPath, _ found: (RawPath) async -> Void) async {
        var stack: [RawPath] = [folder]
        while let dir = stack.popLast() {
            guard let entries = RawFS.entries(dir) else { continue }
            var subfolders: [RawPath] = []
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) {
                let path = dir.appending(name)
                if excluded.contains(where: { InotifyWatcher.sameDirectory($0, path) }) { continue }
                if ignore.ignores(name: name) { continue }
                var kind = type
                if kind == UInt8(DT_UNKNOWN), let st = RawFS.lstat(path) {
                    kind = st.st_mode & S_IFMT == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
                }
                if kind == UInt8(DT_DIR) {
                    subfolders.append(path)
                } else {
                    await found(path)
                }
            }
            stack.append(contentsOf: subfolders.reversed())
        }
    }
}

/// Names writers use while writing, ignored until renamed.
struct IgnoreRules: Sendable {
    let patterns: [String]

    func ignores(name: RawPath) -> Bool {
        let display = name.display
        return patterns.contains { globMatch($0, display) }
    }

    /// Whether any component of `relative` is ignored (a hidden folder hides its files).
    func ignores(relative: RawPath) -> Bool { relative.components.contains { ignores(name: $0) } }
}
