import Foundation
import GRDB
import GRDBSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Errors of the catalogue, one struct with an extensible code (like the other modules).
public struct CatalogueError: Error, CustomStringConvertible, Sendable {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let database = Code(rawValue: "catalogue-database")
        public static let notAResult = Code(rawValue: "catalogue-not-a-result")
        public static let unreadable = Code(rawValue: "catalogue-unreadable")
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code.rawValue): \(message)" }
}

/// Where the results are: the outbox, and the failures folder (which may lie elsewhere).
public struct OutboxFolders: Sendable, Hashable {
    public var outbox: String
    public var failed: String
    /// Folders below the outbox that hold no results (archive, logs, the catalogue's own folder).
    public var excluded: [String]

    public init(outbox: String, failed: String, excluded: [String] = []) {
        self.outbox = Self.clean(outbox)
        self.failed = Self.clean(failed)
        self.excluded = excluded.map(Self.clean)
    }

    static func clean(_ p: String) -> String { p.count > 1 && p.hasSuffix("/") ? String(p.dropLast()) : p }

    /// A path relative to the outbox when it lies below it, else the path itself.
    public func relative(_ path: String) -> String {
        path.hasPrefix(outbox + "/") ? String(path.dropFirst(outbox.count + 1)) : path
    }

    public func absolute(_ stored: String) -> String { stored.hasPrefix("/") ? stored : outbox + "/" + stored }
}

/// A file on disk as the catalogue last saw it.
public struct FileStamp: Sendable, Hashable {
    public var size: Int64
    public var mtime: Int64

    public init(size: Int64, mtime: Int64) {
        self.size = size
        self.mtime = mtime
    }

    public static func of(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStamp(size: Int64(st.st_size), mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }
}

/// One change to the catalogue, as values: what a committed result, a failure record or a removed file brings.
public enum CatalogueWrite: Sendable {
    case result(ResultRecord, resultPath: String, viewPath: String?, stamp: FileStamp?)
    case failure(FailureRecord, sidecarPath: String, stamp: FileStamp?)
    case remove(path: String)

    /// The stored path the write is about.
    public var path: String {
        switch self {
        case .result(_, let p, _, _), .failure(_, let p, _), .remove(let p): p
        }
    }
}

/// The catalogue: one SQLite database (WAL) with every document, entity across documents and quotation,
/// and full-text search (FTS5). The result files stay the source of truth: `rebuild` recreates the catalogue
/// from them, `repair` brings it in line after a crash.
public final class Catalogue: Sendable {
    public let path: String
    public let pool: DatabasePool
    public let resolver: IdentityResolver
    /// Names already resolved to global entities, kept across transactions (see `IdentityCache`).
    let identities = IdentityCache()

    /// Runs `body` in one write transaction with a Writer; the names it resolved join the identity cache only once
    /// the transaction is committed (a rolled-back entity id must not be remembered; a rolled-back deletion leaves
    /// the cache as valid as before).
    func write<T>(_ body: (Writer) throws -> T) throws -> T {
        let session = WriteSession()
        let value = try pool.write { db in try body(Writer(db: db, resolver: resolver, cache: identities, session: session)) }
        identities.commit(session)
        return value
    }

    /// Opens (creating and migrating when needed) the catalogue at `path`.
    public init(path: String, aliases: AliasTable = AliasTable(), readOnly: Bool = false) throws(CatalogueError) {
        self.path = path
        self.resolver = IdentityResolver(aliases: aliases)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        config.label = "catalogue"
        // The writer keeps references whole itself (a document's rows go before it, an entity's names before the
        // entity; rebuild empties every table), and SQLite's enforcement cost a parent look-up per reference of each
        // of a document's ~200 rows. The schema still declares them: `PRAGMA foreign_key_check` (the tests) checks.
        config.foreignKeysEnabled = false
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
            if !readOnly { try Schema.migrator.migrate(pool) }
        } catch {
            throw CatalogueError(.database, "cannot open the catalogue \(path): \(error)")
        }
    }

    // MARK: Writing

    /// Adds or replaces the document of one result (idempotent: keyed by the result's path).
    /// `resultPath` and `viewPath` are as stored: relative to the outbox when below it.
    public func commit(resultJSON bytes: [UInt8], resultPath: String, viewPath: String?, stamp: FileStamp?) throws(CatalogueError) {
        let record: ResultRecord
        do { record = try ResultRecord(json: bytes) } catch {
            throw CatalogueError(.notAResult, "\(resultPath): \(error)")
        }
        try commit(record, resultPath: resultPath, viewPath: viewPath, stamp: stamp)
    }

    public func commit(_ record: ResultRecord, resultPath: String, viewPath: String?, stamp: FileStamp?) throws(CatalogueError) {
        do {
            try write { w in try w.insert(record, resultPath: resultPath, viewPath: viewPath, stamp: stamp) }
        } catch {
            throw CatalogueError(.database, "cannot write \(resultPath) to the catalogue: \(error)")
        }
    }

    /// Adds many documents in one transaction (generators, bulk loads).
    public func commit(batch: [(record: ResultRecord, resultPath: String, viewPath: String?)]) throws(CatalogueError) {
        do {
            try write { w in
                for item in batch { try w.insert(item.record, resultPath: item.resultPath, viewPath: item.viewPath, stamp: nil) }
            }
        } catch {
            throw CatalogueError(.database, "cannot write a batch to the catalogue: \(error)")
        }
    }

    /// Applies several writes in one transaction, in order. When the transaction fails, each write is tried
    /// alone, so that one bad document cannot keep the others out; the first error is thrown after that.
    public func apply(_ writes: [CatalogueWrite]) throws(CatalogueError) {
        guard !writes.isEmpty else { return }
        do {
            try write { w in
                for one in writes { try w.apply(one) }
            }
            return
        } catch where writes.count == 1 {
            throw CatalogueError(.database, "cannot write \(writes[0].path) to the catalogue: \(error)")
        } catch {}
        var first: CatalogueError?
        for write in writes {
            do { try apply([write]) } catch { first = first ?? error }
        }
        if let first { throw first }
    }

    /// Records a failure sidecar (`failed/NAME.error.json`) as a failed document.
    public func commitFailure(_ failure: FailureRecord, sidecarPath: String, stamp: FileStamp?) throws(CatalogueError) {
        do {
            try write { w in try w.insertFailure(failure, path: sidecarPath, stamp: stamp) }
        } catch {
            throw CatalogueError(.database, "cannot write \(sidecarPath) to the catalogue: \(error)")
        }
    }

    /// Removes the document of a result (or failure) path; entities left without documents go too.
    public func remove(path: String) throws(CatalogueError) {
        do {
            try write { w in try w.remove(path: path) }
        } catch {
            throw CatalogueError(.database, "cannot remove \(path) from the catalogue: \(error)")
        }
    }

    // MARK: Consistency with the outbox

    public struct Difference: Sendable, Hashable, CustomStringConvertible {
        /// On disk, not in the catalogue.
        public var missing: [String] = []
        /// In the catalogue, not on disk.
        public var stale: [String] = []
        /// In both, but the file changed since.
        public var changed: [String] = []
        public var isEmpty: Bool { missing.isEmpty && stale.isEmpty && changed.isEmpty }
        public var description: String {
            "\(missing.count) missing, \(stale.count) no longer on disk, \(changed.count) changed"
        }
    }

    /// A result or failure file found in the outbox.
    public struct Found: Sendable, Hashable {
        public var stored: String
        public var absolute: String
        public var stamp: FileStamp
        public var isFailure: Bool
    }

    /// Every result (`*.json` below the outbox with schema `gleaner.document/1`) and failure sidecar on disk.
    public static func scan(_ folders: OutboxFolders) -> [Found] {
        var found: [Found] = []
        let skip = Set([folders.failed] + folders.excluded)
        func walk(_ dir: String, failures: Bool) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let full = dir + "/" + name
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                if st.st_mode & S_IFMT == S_IFDIR {
                    if !skip.contains(full) || (failures && full == folders.failed) { walk(full, failures: failures) }
                    continue
                }
                guard st.st_mode & S_IFMT == S_IFREG else { continue }
                let stamp = FileStamp(size: Int64(st.st_size), mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
                if failures {
                    if name.hasSuffix(".error.json") { found.append(Found(stored: folders.relative(full), absolute: full, stamp: stamp, isFailure: true)) }
                } else if name.hasSuffix(".json") {
                    found.append(Found(stored: folders.relative(full), absolute: full, stamp: stamp, isFailure: false))
                }
            }
        }
        walk(folders.outbox, failures: false)
        walk(folders.failed, failures: true)
        return found
    }

    /// What differs between the catalogue and the files on disk.
    public func verify(_ folders: OutboxFolders) throws(CatalogueError) -> Difference {
        try difference(folders, Self.scan(folders)).difference
    }

    private func difference(_ folders: OutboxFolders, _ found: [Found]) throws(CatalogueError) -> (difference: Difference, work: [Found]) {
        let known: [String: FileStamp]
        do {
            known = try pool.read { db in
                var out: [String: FileStamp] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT result_path, file_size, file_mtime FROM document")
                while let row = try rows.next() {
                    out[row[0]] = FileStamp(size: row[1], mtime: row[2])
                }
                return out
            }
        } catch {
            throw CatalogueError(.database, "cannot read the catalogue: \(error)")
        }
        var d = Difference()
        var work: [Found] = []
        var onDisk = Set<String>()
        for f in found {
            onDisk.insert(f.stored)
            if let stamp = known[f.stored] {
                if stamp != f.stamp {
                    d.changed.append(f.stored)
                    work.append(f)
                }
            } else {
                // A JSON file that is not a result (a plugin's own file) is checked when read, below.
                d.missing.append(f.stored)
                work.append(f)
            }
        }
        d.stale = known.keys.filter { !onDisk.contains($0) }.sorted()
        return (d, work)
    }

    /// Brings the catalogue in line with the files on disk: adds what is missing, removes what is gone,
    /// re-reads what changed. Returns what was repaired (JSON files that are not results are not counted).
    @discardableResult
    public func repair(_ folders: OutboxFolders) throws(CatalogueError) -> Difference {
        let (d, work) = try difference(folders, Self.scan(folders))
        var repaired = Difference()
        var writes: [CatalogueWrite] = []
        for path in d.stale {
            writes.append(.remove(path: path))
            repaired.stale.append(path)
        }
        for f in work {
            let isNew = d.missing.contains(f.stored)
            if let write = read(f, folders) {
                writes.append(write)
                if isNew { repaired.missing.append(f.stored) } else { repaired.changed.append(f.stored) }
            } else if !isNew {
                writes.append(.remove(path: f.stored))
                repaired.stale.append(f.stored)
            }
            if writes.count >= Self.batchSize {
                try apply(writes)
                writes.removeAll(keepingCapacity: true)
            }
        }
        try apply(writes)
        return repaired
    }

    /// What one file on disk brings to the catalogue; nil when it is not a result or a failure record.
    func read(_ f: Found, _ folders: OutboxFolders) -> CatalogueWrite? {
        guard let data = FileManager.default.contents(atPath: f.absolute) else { return nil }
        let bytes = [UInt8](data)
        if f.isFailure {
            guard let failure = try? FailureRecord(json: bytes) else { return nil }
            return .failure(failure, sidecarPath: f.stored, stamp: f.stamp)
        }
        guard let record = try? ResultRecord(json: bytes) else { return nil }
        let view = String(f.absolute.dropLast(5)) + ".html"
        let viewPath = FileManager.default.fileExists(atPath: view) ? folders.relative(view) : nil
        return .result(record, resultPath: f.stored, viewPath: viewPath, stamp: f.stamp)
    }

    /// Documents per transaction when reading the outbox: FTS5 writes a new index segment per transaction,
    /// so larger transactions mean fewer segments to merge.
    static let batchSize = 64

    /// Empties the catalogue and reads every result again, oldest first (so identities are built in
    /// the order the documents were written). Returns how many documents and failures it holds.
    @discardableResult
    public func rebuild(fromOutbox folders: OutboxFolders) throws(CatalogueError) -> Int {
        do {
            try pool.write { db in
                for table in ["quotation_fts", "document_fts", "quotation", "mention", "document_entity", "entity_day", "entity_name", "entity", "document"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
            }
            identities.clear()
        } catch {
            throw CatalogueError(.database, "cannot empty the catalogue: \(error)")
        }
        let found = Self.scan(folders).sorted { ($0.stamp.mtime, $0.stored) < ($1.stamp.mtime, $1.stored) }
        var count = 0
        var writes: [CatalogueWrite] = []
        for f in found {
            guard let write = read(f, folders) else { continue }
            writes.append(write)
            count += 1
            if writes.count >= Self.batchSize {
                try apply(writes)
                writes.removeAll(keepingCapacity: true)
            }
        }
        try apply(writes)
        do {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "INSERT INTO document_fts(document_fts) VALUES('optimize')") }
        } catch {}
        return count
    }

    /// Number of catalogue rows per table, for checks and status.
    public func counts() throws(CatalogueError) -> [String: Int] {
        do {
            return try pool.read { db in
                var out: [String: Int] = [:]
                for t in ["document", "entity", "entity_name", "mention", "quotation", "document_entity"] {
                    out[t] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t)") ?? 0
                }
                out["failed"] = try Int.fetchOne(db, sql: "SELECT count(*) FROM document WHERE failed = 1") ?? 0
                return out
            }
        } catch {
            throw CatalogueError(.database, "cannot read the catalogue: \(error)")
        }
    }

    /// A canonical text of the whole catalogue without row ids: equal for equal catalogues.
    public func dump() throws(CatalogueError) -> String {
        do {
            return try pool.read { db in
                var lines: [String] = []
                for row in try Row.fetchAll(db, sql: """
                    SELECT result_path, view_path, headline, date, language, outlet, byline, entity_count, quote_count, failed, failure_reason, sha256
                    FROM document ORDER BY result_path
                    """) {
                    lines.append("D " + (0..<12).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|"))
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT d.result_path, q.start, q."end", q.kind, q.speaker_name, e.type, e.name
                    FROM quotation q JOIN document d ON d.id = q.document_id LEFT JOIN entity e ON e.id = q.entity_id
                    ORDER BY d.result_path, q.start
                    """) {
                    lines.append("Q " + (0..<7).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|"))
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT e.type, e.name, e.local, group_concat(n.name, '; ') FROM entity e
                    JOIN (SELECT * FROM entity_name ORDER BY key) n ON n.entity_id = e.id GROUP BY e.id
                    """) {
                    lines.append("E " + (0..<4).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|"))
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT d.result_path, m.start, e.type, e.name FROM mention m JOIN document d ON d.id = m.document_id
                    LEFT JOIN entity e ON e.id = m.entity_id ORDER BY d.result_path, m.start
                    """) {
                    lines.append("M " + (0..<4).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|"))
                }
                // The timelines' daily sums, next to what they sum: a drift shows as a difference.
                for row in try Row.fetchAll(db, sql: """
                    SELECT e.type, e.name, t.day, t.documents, t.mentions, t.quotes FROM entity_day t JOIN entity e ON e.id = t.entity_id
                    """) {
                    lines.append("T " + (0..<6).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|"))
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT e.type, e.name, substr(de.date, 1, 10), count(*), sum(de.mentions), sum(de.quotes)
                    FROM document_entity de JOIN entity e ON e.id = de.entity_id GROUP BY de.entity_id, 3
                    """) {
                    lines.append("S " + (0..<6).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|"))
                }
                return lines.sorted().joined(separator: "\n")
            }
        } catch {
            throw CatalogueError(.database, "cannot read the catalogue: \(error)")
        }
    }
}

// MARK: - Schema

enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: documents, entities, mentions, quotations, full-text search") { db in
            try db.execute(sql: """
                CREATE TABLE document (
                    id INTEGER PRIMARY KEY,
                    result_path TEXT NOT NULL UNIQUE,
                    view_path TEXT,
                    source_name TEXT NOT NULL,
                    sha256 TEXT NOT NULL DEFAULT '',
                    bytes INTEGER NOT NULL DEFAULT 0,
                    media_type TEXT NOT NULL DEFAULT '',
                    headline TEXT NOT NULL,
                    headline_source TEXT NOT NULL,
                    published TEXT,
                    received_at TEXT NOT NULL DEFAULT '',
                    date TEXT NOT NULL,
                    outlet TEXT,
                    byline TEXT,
                    language TEXT,
                    entity_count INTEGER NOT NULL DEFAULT 0,
                    person_count INTEGER NOT NULL DEFAULT 0,
                    quote_count INTEGER NOT NULL DEFAULT 0,
                    problems TEXT,
                    failed INTEGER NOT NULL DEFAULT 0,
                    failure_reason TEXT,
                    failure_message TEXT,
                    file_size INTEGER NOT NULL DEFAULT 0,
                    file_mtime INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX document_by_date ON document(date DESC, id DESC);
                CREATE INDEX document_by_language ON document(language, date DESC);
                CREATE INDEX document_by_outlet ON document(outlet, date DESC);
                CREATE INDEX document_failed ON document(failed, date DESC);

                CREATE TABLE entity (
                    id INTEGER PRIMARY KEY,
                    type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    local INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX entity_by_type ON entity(type, name);

                -- Every name an entity was found under; `key` and `base` are NameForm's.
                CREATE TABLE entity_name (
                    entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    key TEXT NOT NULL,
                    base TEXT NOT NULL,
                    initials TEXT NOT NULL,
                    local INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (entity_id, key)
                ) WITHOUT ROWID;
                CREATE INDEX entity_name_by_key ON entity_name(type, key);
                CREATE INDEX entity_name_by_base ON entity_name(type, base, local);

                CREATE TABLE mention (
                    id INTEGER PRIMARY KEY,
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    entity_id INTEGER REFERENCES entity(id),
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    type TEXT NOT NULL,
                    cluster TEXT
                );
                CREATE INDEX mention_by_document ON mention(document_id, start);
                CREATE INDEX mention_by_entity ON mention(entity_id);

                -- One row per (document, entity): mentions and quotations, the document's date (for timelines).
                CREATE TABLE document_entity (
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    entity_id INTEGER NOT NULL REFERENCES entity(id),
                    date TEXT NOT NULL,
                    mentions INTEGER NOT NULL DEFAULT 0,
                    quotes INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (document_id, entity_id)
                ) WITHOUT ROWID;
                CREATE INDEX document_entity_by_entity ON document_entity(entity_id, date DESC, quotes, mentions);

                CREATE TABLE quotation (
                    id INTEGER PRIMARY KEY,
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    entity_id INTEGER REFERENCES entity(id),
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    speaker_text TEXT,
                    speaker_name TEXT,
                    cue TEXT,
                    date TEXT NOT NULL
                );
                CREATE INDEX quotation_by_document ON quotation(document_id, start);
                CREATE INDEX quotation_by_entity ON quotation(entity_id, date DESC);

                CREATE VIRTUAL TABLE document_fts USING fts5(headline, body, tokenize = 'unicode61 remove_diacritics 2');
                CREATE VIRTUAL TABLE quotation_fts USING fts5(text, speaker, tokenize = 'unicode61 remove_diacritics 2');
                """)
        }
        // A person in most of 100,000 documents made the timeline sum tens of thousands of rows per page view:
        // the per-day sums are kept as documents come and go, so a timeline reads one row per day at most.
        m.registerMigration("v2: per-entity daily sums for timelines") { db in
            try db.execute(sql: """
                CREATE TABLE entity_day (
                    entity_id INTEGER NOT NULL,
                    day TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    mentions INTEGER NOT NULL,
                    quotes INTEGER NOT NULL,
                    PRIMARY KEY (entity_id, day)
                ) WITHOUT ROWID;
                INSERT INTO entity_day(entity_id, day, documents, mentions, quotes)
                    SELECT entity_id, substr(date, 1, 10), count(*), sum(mentions), sum(quotes) FROM document_entity GROUP BY 1, 2;
                """)
        }
        // A document brings about a hundred mentions, and each was three B-tree inserts (the rows, an index by
        // document, an index by entity). Mentions are now stored in their document's order, keyed by
        // (document, ordinal): one B-tree. Which documents name an entity is `document_entity`'s question (every
        // entity a mention names is a row there), so the index by entity went.
        m.registerMigration("v3: mentions clustered by document") { db in
            try db.execute(sql: """
                CREATE TABLE mention_v3 (
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL,
                    entity_id INTEGER REFERENCES entity(id),
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    type TEXT NOT NULL,
                    cluster TEXT,
                    PRIMARY KEY (document_id, ordinal)
                ) WITHOUT ROWID;
                INSERT INTO mention_v3(document_id, ordinal, entity_id, start, "end", text, type, cluster)
                    SELECT document_id, row_number() OVER (PARTITION BY document_id ORDER BY id) - 1, entity_id, start, "end",
                        text, type, cluster FROM mention;
                DROP TABLE mention;
                ALTER TABLE mention_v3 RENAME TO mention;
                """)
        }
        return m
    }
}

// MARK: - Writing one document

/// The writes of one transaction.
struct Writer: IdentityIndex {
    let db: Database
    let resolver: IdentityResolver
    let cache: IdentityCache
    let session: WriteSession

    /// Runs one statement through the connection's statement cache: a document brings about two hundred rows, and
    /// compiling each INSERT anew cost more than writing it. The values are bound with SQLite's C API on GRDB's
    /// cached statement (GRDB's documented raw access): boxing each row's values as `StatementArguments` cost more
    /// than SQLite's own work for a row.
    func run(sql: String, arguments values: [any SQLiteBindable] = []) throws {
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (i, value) in values.enumerated() {
            let code = value.bind(to: handle, at: Int32(i + 1))
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql) }
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
    }

    func entities(type: String, key: String) throws -> [EntityCandidate] {
        let ids = try Int64.fetchAll(db.cachedStatement(sql: "SELECT entity_id FROM entity_name WHERE type = ? AND key = ? ORDER BY entity_id"), arguments: [type, key])
        return try ids.map { EntityCandidate(id: $0, initials: try initials($0)) }
    }

    func entities(type: String, base: String) throws -> [EntityCandidate] {
        let ids = try Int64.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT entity_id FROM entity_name WHERE type = ? AND base = ? AND local = 0 ORDER BY entity_id"), arguments: [type, base])
        return try ids.map { EntityCandidate(id: $0, initials: try initials($0)) }
    }

    func initials(_ id: Int64) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT initials FROM entity_name WHERE entity_id = ?"), arguments: [id]))
    }

    /// The catalogue entity of a name in a document, created when new; the name is recorded under it.
    ///
    /// A name once resolved to a global entity and recorded under it is found again by its key, so the same
    /// (type, name) resolves to the same entity until an entity is deleted: such answers are cached (most names
    /// of a news stream come back, and resolving one costs several look-ups and a Unicode fold).
    func entity(name: String, type: String, document: String) throws -> Int64 {
        let cacheKey = IdentityCache.key(name: name, type: type)
        if let id = session.added[cacheKey] ?? (session.removedEntities ? nil : cache[cacheKey]) { return id }
        let form = NameForm(name)
        switch try resolver.resolve(name: name, type: type, document: document, in: self) {
        case .existing(let id):
            let local = try Bool.fetchOne(db.cachedStatement(sql: "SELECT local FROM entity WHERE id = ?"), arguments: [id]) ?? false
            if !local {
                try run(
                    sql: "INSERT OR IGNORE INTO entity_name(entity_id, type, name, key, base, initials, local) VALUES (?, ?, ?, ?, ?, ?, 0)",
                    arguments: [id, type, name, form.key, form.base, form.initials])
                session.added[cacheKey] = id
            }
            return id
        case .new(let display, let key, let base, let initials, let local):
            try run(sql: "INSERT INTO entity(type, name, local) VALUES (?, ?, ?)", arguments: [type, display, local != nil])
            let id = db.lastInsertedRowID
            try run(
                sql: "INSERT INTO entity_name(entity_id, type, name, key, base, initials, local) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [id, type, display, key, base, initials, local != nil])
            if display != name, local == nil {
                try run(
                    sql: "INSERT OR IGNORE INTO entity_name(entity_id, type, name, key, base, initials, local) VALUES (?, ?, ?, ?, ?, ?, 0)",
                    arguments: [id, type, name, form.key, form.base, form.initials])
            }
            if local == nil { session.added[cacheKey] = id }
            return id
        }
    }

    func insert(_ r: ResultRecord, resultPath: String, viewPath: String?, stamp: FileStamp?) throws {
        try remove(path: resultPath, collect: false)
        let persons = r.clusters.filter { $0.type == "PERSON" }.count
        try run(sql: """
            INSERT INTO document(result_path, view_path, source_name, sha256, bytes, media_type, headline, headline_source, published,
                received_at, date, outlet, byline, language, entity_count, person_count, quote_count, problems, failed, file_size, file_mtime)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            """, arguments: [
                resultPath, viewPath, r.sourceName, r.sha256, r.bytes, r.mediaType, r.headline, r.headlineSource, r.published,
                r.receivedAt, r.date, r.outlet, r.byline, r.language, r.clusters.count, persons, r.speechCount,
                r.problems.isEmpty ? nil : r.problems.joined(separator: "\n"), stamp?.size ?? 0, stamp?.mtime ?? 0,
            ])
        let docID = db.lastInsertedRowID
        try run(sql: "INSERT INTO document_fts(rowid, headline, body) VALUES (?, ?, ?)", arguments: [docID, r.headline, r.text])

        // Entities: the document's clusters, then speakers named without a cluster.
        var byCluster: [String: Int64] = [:]
        var perEntity: [Int64: (mentions: Int, quotes: Int)] = [:]
        for c in r.clusters where Identity.types.contains(c.type) {
            let id = try entity(name: c.name, type: c.type, document: resultPath)
            byCluster[c.id] = id
            perEntity[id, default: (0, 0)].mentions += c.mentions
        }
        for (ordinal, m) in r.mentions.enumerated() {
            let entityID = m.cluster.flatMap { byCluster[$0] }
            try run(
                sql: "INSERT INTO mention(document_id, ordinal, entity_id, start, \"end\", text, type, cluster) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [docID, ordinal, entityID, m.start, m.end, m.text, m.type, m.cluster])
        }
        for q in r.quotations {
            var entityID = q.speakerCluster.flatMap { byCluster[$0] }
            if entityID == nil, let name = q.speakerName, !name.isEmpty {
                entityID = try entity(name: name, type: "PERSON", document: resultPath)
            }
            if let entityID, q.kind != "term" { perEntity[entityID, default: (0, 0)].quotes += 1 }
            try run(sql: """
                INSERT INTO quotation(document_id, entity_id, start, "end", text, kind, speaker_text, speaker_name, cue, date)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [docID, entityID, q.start, q.end, q.text, q.kind, q.speakerText, q.speakerName, q.cue, r.date])
            let qid = db.lastInsertedRowID
            if q.kind != "term" {
                try run(sql: "INSERT INTO quotation_fts(rowid, text, speaker) VALUES (?, ?, ?)",
                               arguments: [qid, q.text, q.speakerName ?? q.speakerText ?? ""])
            }
        }
        for (id, n) in perEntity {
            try run(
                sql: "INSERT INTO document_entity(document_id, entity_id, date, mentions, quotes) VALUES (?, ?, ?, ?, ?)",
                arguments: [docID, id, r.date, n.mentions, n.quotes])
            try run(sql: """
                INSERT INTO entity_day(entity_id, day, documents, mentions, quotes) VALUES (?, substr(?, 1, 10), 1, ?, ?)
                ON CONFLICT(entity_id, day) DO UPDATE SET documents = documents + 1, mentions = mentions + excluded.mentions,
                    quotes = quotes + excluded.quotes
                """, arguments: [id, r.date, n.mentions, n.quotes])
        }
    }

    func apply(_ write: CatalogueWrite) throws {
        switch write {
        case .result(let r, let resultPath, let viewPath, let stamp): try insert(r, resultPath: resultPath, viewPath: viewPath, stamp: stamp)
        case .failure(let f, let sidecarPath, let stamp): try insertFailure(f, path: sidecarPath, stamp: stamp)
        case .remove(let path): try remove(path: path)
        }
    }

    func insertFailure(_ f: FailureRecord, path: String, stamp: FileStamp?) throws {
        try remove(path: path, collect: false)
        try run(sql: """
            INSERT INTO document(result_path, source_name, headline, headline_source, received_at, date, failed, failure_reason,
                failure_message, file_size, file_mtime)
            VALUES (?, ?, ?, 'file-name', ?, ?, 1, ?, ?, ?, ?)
            """, arguments: [path, f.name, f.name, f.time, f.time, f.reason, f.message, stamp?.size ?? 0, stamp?.mtime ?? 0])
    }

    func remove(path: String, collect: Bool = true) throws {
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM document WHERE result_path = ?"), arguments: [path]) else { return }
        let entities = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT entity_id FROM mention WHERE document_id = ?1 AND entity_id IS NOT NULL
            UNION SELECT entity_id FROM quotation WHERE document_id = ?1 AND entity_id IS NOT NULL
            """), arguments: [id])
        try run(sql: "DELETE FROM quotation_fts WHERE rowid IN (SELECT id FROM quotation WHERE document_id = ?)", arguments: [id])
        try run(sql: "DELETE FROM document_fts WHERE rowid = ?", arguments: [id])
        try run(sql: "DELETE FROM quotation WHERE document_id = ?", arguments: [id])
        try run(sql: "DELETE FROM mention WHERE document_id = ?", arguments: [id])
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT entity_id, substr(date, 1, 10), mentions, quotes FROM document_entity WHERE document_id = ?"), arguments: [id]) {
            let entity: Int64 = row[0], day: String = row[1], mentions: Int = row[2], quotes: Int = row[3]
            try run(sql: """
                UPDATE entity_day SET documents = documents - 1, mentions = mentions - ?, quotes = quotes - ?
                WHERE entity_id = ? AND day = ?
                """, arguments: [mentions, quotes, entity, day])
            try run(sql: "DELETE FROM entity_day WHERE entity_id = ? AND day = ? AND documents <= 0", arguments: [entity, day])
        }
        try run(sql: "DELETE FROM document_entity WHERE document_id = ?", arguments: [id])
        try run(sql: "DELETE FROM document WHERE id = ?", arguments: [id])
        // Entities no document names any more.
        for e in entities {
            let used = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM document_entity WHERE entity_id = ?1)
                    OR EXISTS (SELECT 1 FROM quotation WHERE entity_id = ?1)
                """), arguments: [e]) ?? false
            if !used {
                session.removedEntities = true
                session.added.removeAll()
                try run(sql: "DELETE FROM entity_name WHERE entity_id = ?", arguments: [e])
                try run(sql: "DELETE FROM entity WHERE id = ?", arguments: [e])
            }
        }
        _ = collect
    }
}

/// (type, name) → the global catalogue entity it resolved to, for names already recorded under their entity.
/// Only the catalogue's writer uses it (GRDB runs one write at a time); a lock keeps it safe regardless. Entries
/// join after their transaction commits; deleting any entity empties it; it holds at most `limit` names.
final class IdentityCache: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String: Int64] = [:]
    let limit: Int

    init(limit: Int = 200_000) { self.limit = limit }

    static func key(name: String, type: String) -> String { type + "\u{1F}" + name }

    subscript(key: String) -> Int64? { lock.withLock { ids[key] } }

    func clear() { lock.withLock { ids.removeAll() } }

    func commit(_ session: WriteSession) {
        lock.withLock {
            if session.removedEntities { ids.removeAll() }
            if ids.count + session.added.count > limit { ids.removeAll() }
            ids.merge(session.added) { _, new in new }
        }
    }
}

/// What one write transaction resolved (and whether it deleted entities), kept apart until it commits.
final class WriteSession {
    var added: [String: Int64] = [:]
    var removedEntities = false
}

/// A value bound to a statement parameter with SQLite's C API (`Writer.run`).
protocol SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32
}

/// SQLite copies the bytes before the call returns.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Int: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension Int64: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Bool: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self ? 1 : 0) }
}

extension String: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        var s = self
        return s.withUTF8 { bytes in
            // An empty buffer may have no base address: bind "" rather than NULL.
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, SQLITE_TRANSIENT) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, index, $0, Int32(bytes.count), SQLITE_TRANSIENT)
            }
        }
    }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        switch self {
        case .none: sqlite3_bind_null(statement, index)
        case .some(let value): value.bind(to: statement, at: index)
        }
    }
}
