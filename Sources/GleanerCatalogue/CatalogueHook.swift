import Foundation
import GleanerConfig
import GleanerCore

/// The catalogue as the daemon and `gleaner process` use it: opened and repaired at start-up, told of each
/// result right after it is durably written. It never stops a result from being committed: a catalogue
/// error is logged, and the next start-up's repair picks the result up from disk.
///
/// Writes are grouped: results committed within `linger` of each other, or while another transaction runs, share
/// one transaction (`GroupCommit`).
/// The caller parses the result on its own thread and hands the rows to the catalogue's one writer queue; the call
/// does not wait for them to be written. `drain()` waits for all of them (a graceful stop, the end of a batch).
public final class CatalogueHook: Sendable {
    public let catalogue: Catalogue
    public let folders: OutboxFolders
    let log: @Sendable (String) -> Void
    let group: GroupCommit<CatalogueWrite>

    /// The outbox folders of a configuration: the archive, logs and the catalogue's own folder hold no results.
    public static func folders(_ c: GleanerConfiguration) -> OutboxFolders {
        OutboxFolders(outbox: c.outbox, failed: c.failed,
                      excluded: [c.archive, c.logs, (c.catalogue.path as NSString).deletingLastPathComponent, c.state])
    }

    /// The user's alias file of a configuration (empty when none is set).
    public static func aliases(_ c: GleanerConfiguration) throws(CatalogueError) -> AliasTable {
        guard !c.catalogue.aliases.isEmpty else { return AliasTable() }
        guard let text = try? String(contentsOfFile: c.catalogue.aliases, encoding: .utf8) else {
            throw CatalogueError(.unreadable, "cannot read the alias file \(c.catalogue.aliases) ([catalogue] aliases)")
        }
        return AliasTable(parsing: text, source: c.catalogue.aliases)
    }

    /// Opens the configured catalogue (nil when disabled or when it cannot be opened: logged) and, with
    /// `repair`, brings it in line with the results on disk.
    public static func open(_ c: GleanerConfiguration, repair: Bool, log: @escaping @Sendable (String) -> Void) -> CatalogueHook? {
        guard c.catalogue.enabled else { return nil }
        do {
            let aliases = try aliases(c)
            for p in aliases.problems { log("catalogue: \(p)") }
            let hook = CatalogueHook(catalogue: try Catalogue(path: c.catalogue.path, aliases: aliases), folders: folders(c), log: log)
            if repair {
                let fixed = try hook.catalogue.repair(hook.folders)
                if !fixed.isEmpty { log("catalogue \(c.catalogue.path): repaired: \(fixed)") }
            }
            return hook
        } catch {
            log("catalogue disabled for this run: \(error)")
            return nil
        }
    }

    /// Seconds a result may wait for others to share its transaction: a new document shows in the catalogue (and
    /// `gleaner serve`) this much later at most; a graceful stop or the end of `gleaner process` writes at once.
    public static let linger = 0.5

    init(catalogue: Catalogue, folders: OutboxFolders, log: @escaping @Sendable (String) -> Void) {
        self.catalogue = catalogue
        self.folders = folders
        self.log = log
        group = GroupCommit(linger: CatalogueHook.linger) { writes in
            do { try catalogue.apply(writes) } catch { log("catalogue: \(error) (repaired at the next start)") }
        }
    }

    /// Waits until every result and failure told so far is in the catalogue.
    public func drain() { group.drain() }

    /// A result was written to `jsonPath` (absolute), its view (if any) to `htmlPath`; `result` is the value written
    /// (the caller has it: the catalogue does not parse the file again).
    public func committed(result: JSONValue, jsonPath: String, htmlPath: String?) {
        let record: ResultRecord
        do { record = try ResultRecord(result) } catch {
            log("catalogue: \(jsonPath): \(error) (repaired at the next start)")
            return
        }
        group.submit(.result(record, resultPath: folders.relative(jsonPath), viewPath: htmlPath.map(folders.relative), stamp: FileStamp.of(jsonPath)))
    }

    /// A failure sidecar was written at `sidecarPath` (absolute).
    public func failed(sidecarPath: String) {
        do {
            guard let data = FileManager.default.contents(atPath: sidecarPath) else { return }
            let failure = try FailureRecord(json: [UInt8](data))
            group.submit(.failure(failure, sidecarPath: folders.relative(sidecarPath), stamp: FileStamp.of(sidecarPath)))
        } catch {
            log("catalogue: \(sidecarPath): \(error) (repaired at the next start)")
        }
    }
}
