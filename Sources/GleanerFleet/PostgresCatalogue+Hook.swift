import Foundation
import GleanerCatalogue
import GleanerCore
import Logging
import PostgresNIO

/// `[catalogue] backend = "postgres"` without a fleet: the single node's catalogue in PostgreSQL, with the meaning of
/// `CatalogueHook`: told of each result right after it is durably written, never stopping a result from being
/// committed (an error is logged, and the next start-up's repair picks the result up from disk), and brought in
/// line with the result files at start-up (`repair`). Rows carry the node's name, so several single nodes can
/// share one catalogue database.
public final class PostgresCatalogueHook: Sendable {
    public let database: FleetDatabase
    public let node: String
    public let folders: OutboxFolders
    let resolver: IdentityResolver
    let logger: Logger

    public init(database: FleetDatabase, node: String, folders: OutboxFolders, aliases: AliasTable, logger: Logger) {
        self.database = database
        self.node = node
        self.folders = folders
        self.resolver = IdentityResolver(aliases: aliases)
        self.logger = logger
    }

    func transaction(_ body: (PostgresCatalogueWriter) async throws -> Void) async throws(FleetError) {
        do {
            try await database.client.withTransaction(logger: logger) { c in
                try await body(PostgresCatalogueWriter(connection: c, logger: logger, resolver: resolver))
            }
        } catch {
            throw FleetDatabase.wrap(error)
        }
    }

    /// A result was written to `jsonPath` (absolute), its view (if any) to `htmlPath`.
    public func committed(json: [UInt8], jsonPath: String, htmlPath: String?) async {
        do {
            await committed(result: try JSONValue.parse(bytes: json), jsonPath: jsonPath, htmlPath: htmlPath)
        } catch {
            logger.warning("catalogue (postgres): \(jsonPath): not valid JSON: \(error) (repaired at the next start)")
        }
    }

    /// As `committed(json:jsonPath:htmlPath:)`, with the result as a value (no second parse).
    public func committed(result: JSONValue, jsonPath: String, htmlPath: String?) async {
        do {
            let record = try ResultRecord(result)
            try await commit(record, resultPath: folders.relative(jsonPath), viewPath: htmlPath.map(folders.relative))
        } catch {
            logger.warning("catalogue (postgres): \(jsonPath): \(error) (repaired at the next start)")
        }
    }

    public func commit(_ record: ResultRecord, resultPath: String, viewPath: String?) async throws(FleetError) {
        try await transaction { w in
            try await w.remove(node: node, path: resultPath)
            try await w.insert(record, node: node, resultPath: resultPath, viewPath: viewPath, fleetDocument: nil)
        }
    }

    /// A failure sidecar was written at `sidecarPath` (absolute).
    public func failed(sidecarPath: String) async {
        do {
            guard let data = FileManager.default.contents(atPath: sidecarPath) else { return }
            let f = try FailureRecord(json: [UInt8](data))
            let stored = folders.relative(sidecarPath)
            try await transaction { w in
                try await w.insertFailure(name: f.name, reason: f.reason, message: f.message, time: f.time, node: node, path: stored, fleetDocument: nil)
            }
        } catch {
            logger.warning("catalogue (postgres): \(sidecarPath): \(error) (repaired at the next start)")
        }
    }

    /// Brings this node's rows in line with the result files on disk: adds what is missing, removes what is gone.
    /// Returns (added, removed).
    @discardableResult
    public func repair() async throws(FleetError) -> (added: Int, removed: Int) {
        var known = Set<String>()
        do {
            let rows = try await database.client.query("SELECT result_path FROM document WHERE node = \(node)", logger: logger)
            for try await p in rows.decode(String.self) { known.insert(p) }
        } catch {
            throw FleetDatabase.wrap(error)
        }
        let found = Catalogue.scan(folders)
        let onDisk = Set(found.map(\.stored))
        var added = 0, removed = 0
        for stale in known.subtracting(onDisk) {
            try await transaction { w in try await w.remove(node: node, path: stale) }
            removed += 1
        }
        for f in found where !known.contains(f.stored) {
            guard let data = FileManager.default.contents(atPath: f.absolute) else { continue }
            if f.isFailure {
                guard let failure = try? FailureRecord(json: [UInt8](data)) else { continue }
                try await transaction { w in
                    try await w.insertFailure(name: failure.name, reason: failure.reason, message: failure.message, time: failure.time,
                                              node: node, path: f.stored, fleetDocument: nil)
                }
            } else {
                guard let record = try? ResultRecord(json: [UInt8](data)) else { continue }
                let view = String(f.absolute.dropLast(5)) + ".html"
                try await commit(record, resultPath: f.stored, viewPath: FileManager.default.fileExists(atPath: view) ? folders.relative(view) : nil)
            }
            added += 1
        }
        return (added, removed)
    }

    /// Rows per table (this node's documents, all entities).
    public func counts() async throws(FleetError) -> [String: Int] {
        do {
            var out: [String: Int] = [:]
            for t in ["document", "entity", "entity_name", "mention", "quotation", "document_entity"] {
                for try await n in try await database.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(t)"), logger: logger).decode(Int.self) {
                    out[t] = n
                }
            }
            return out
        } catch {
            throw FleetDatabase.wrap(error)
        }
    }
}
