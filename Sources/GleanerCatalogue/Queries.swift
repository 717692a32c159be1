import Foundation
import GRDB

/// The read side of the catalogue: what the web app and its JSON API show. Values only.
public struct DocumentFilter: Sendable, Hashable {
    /// Full-text search (words, all required; a trailing `*` matches a prefix).
    public var query: String = ""
    public var language: String?
    /// ISO dates, inclusive (`2024-01-31`).
    public var from: String?
    public var to: String?
    public var entity: Int64?
    public var outlet: String?
    /// true: only failures; false: only documents; nil: both.
    public var failed: Bool?

    public init() {}
}

public struct DocumentSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var headline: String
    public var headlineSource: String
    public var date: String
    public var published: String?
    public var outlet: String?
    public var byline: String?
    public var language: String?
    public var sourceName: String
    public var resultPath: String
    public var viewPath: String?
    public var entityCount: Int
    public var personCount: Int
    public var quoteCount: Int
    public var problems: String?
    public var failed: Bool
    public var failureReason: String?
    public var failureMessage: String?
    /// SHA-256 of the input's bytes (empty for failures).
    public var sha256: String = ""
    /// With a search: the matching passage, with the matches between U+0001 and U+0002.
    public var snippet: String?
}

public struct DocumentPage: Sendable, Hashable, Codable {
    public var documents: [DocumentSummary]
    public var page: Int
    public var pageSize: Int
    public var hasMore: Bool
}

public struct EntityRef: Sendable, Hashable, Codable {
    public var id: Int64
    public var type: String
    public var name: String
    public var local: Bool
    public var count: Int
}

public struct QuotationRow: Sendable, Hashable, Codable {
    public var id: Int64
    public var text: String
    public var kind: String
    public var cue: String?
    public var speakerText: String?
    public var speakerName: String?
    public var entityID: Int64?
    public var start: Int
    public var end: Int
    public var documentID: Int64
    public var headline: String
    public var date: String
    public var outlet: String?
    public var viewPath: String?
    /// With a search: the quotation with the matches between U+0001 and U+0002.
    public var snippet: String?
}

public struct TimelinePoint: Sendable, Hashable, Codable {
    /// `YYYY-MM` (or `YYYY-MM-DD` for a short span).
    public var period: String
    public var quotes: Int
    public var mentions: Int
    public var documents: Int
}

public struct EntityDetail: Sendable, Hashable, Codable {
    public var entity: EntityRef
    public var names: [String]
    public var documents: Int
    public var quotations: Int
    public var mentions: Int
    public var timeline: [TimelinePoint]
    public var quotes: [QuotationRow]
    public var quotesPage: Int
    public var quotesHasMore: Bool
    public var quotedWith: [EntityRef]
    public var recentDocuments: [DocumentSummary]
}

public struct DocumentDetail: Sendable, Hashable, Codable {
    public var document: DocumentSummary
    public var entities: [EntityRef]
    public var quotations: [QuotationRow]
}

extension Catalogue {
    static let summaryColumns = """
        d.id, d.headline, d.headline_source, d.date, d.published, d.outlet, d.byline, d.language, d.source_name, d.result_path,
        d.view_path, d.entity_count, d.person_count, d.quote_count, d.problems, d.failed, d.failure_reason, d.failure_message, d.sha256
        """

    static func summary(_ row: Row, snippet: String? = nil) -> DocumentSummary {
        DocumentSummary(
            id: row[0], headline: row[1], headlineSource: row[2], date: row[3], published: row[4], outlet: row[5], byline: row[6],
            language: row[7], sourceName: row[8], resultPath: row[9], viewPath: row[10], entityCount: row[11], personCount: row[12],
            quoteCount: row[13], problems: row[14], failed: row[15], failureReason: row[16], failureMessage: row[17], sha256: row[18], snippet: snippet)
    }

    /// A user's words as an FTS5 query: each word quoted (no operators reach SQLite), all required;
    /// a trailing `*` keeps a prefix search. Empty when there are no words.
    public static func ftsQuery(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).compactMap { raw -> String? in
            var word = String(raw)
            let prefix = word.hasSuffix("*")
            word = String(word.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "'" || $0 == "-" }
                .map(Character.init))
            guard !word.isEmpty else { return nil }
            return "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix ? "*" : "")
        }.joined(separator: " ")
    }

    func read<T>(_ body: (Database) throws -> T) throws(CatalogueError) -> T {
        do { return try pool.read(body) } catch {
            throw CatalogueError(.database, "cannot read the catalogue: \(error)")
        }
    }

    /// Documents, newest first (with a search: the matching documents, latest catalogued first), one page.
    public func documents(_ f: DocumentFilter, page: Int = 1, pageSize: Int = 25) throws(CatalogueError) -> DocumentPage {
        let page = max(1, page)
        var conditions: [String] = []
        var args: [any DatabaseValueConvertible] = []
        if let l = f.language, !l.isEmpty { conditions.append("d.language = ?"); args.append(l) }
        if let from = f.from, !from.isEmpty { conditions.append("d.date >= ?"); args.append(from) }
        if let to = f.to, !to.isEmpty { conditions.append("d.date < ?"); args.append(to + "\u{FFFF}") }
        if let o = f.outlet, !o.isEmpty { conditions.append("d.outlet = ?"); args.append(o) }
        if let failed = f.failed { conditions.append("d.failed = ?"); args.append(failed) }
        if let e = f.entity { conditions.append("d.id IN (SELECT document_id FROM document_entity WHERE entity_id = ?)"); args.append(e) }
        let fts = Self.ftsQuery(f.query)
        let offset = (page - 1) * pageSize
        return try read { db in
            var sql: String
            var arguments = args
            if !fts.isEmpty {
                sql = """
                    SELECT \(Self.summaryColumns), snippet(document_fts, 1, char(1), char(2), '…', 16)
                    FROM document_fts JOIN document d ON d.id = document_fts.rowid
                    WHERE document_fts MATCH ? \(conditions.isEmpty ? "" : "AND " + conditions.joined(separator: " AND "))
                    ORDER BY document_fts.rowid DESC LIMIT ? OFFSET ?
                    """
                arguments.insert(fts, at: 0)
            } else {
                sql = """
                    SELECT \(Self.summaryColumns), NULL FROM document d
                    \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                    ORDER BY d.date DESC, d.id DESC LIMIT ? OFFSET ?
                    """
            }
            arguments += [pageSize + 1, offset]
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map { $0.databaseValue }))
            let docs = rows.prefix(pageSize).map { Self.summary($0, snippet: $0[19]) }
            return DocumentPage(documents: Array(docs), page: page, pageSize: pageSize, hasMore: rows.count > pageSize)
        }
    }

    /// Quotations matching a search, newest first.
    public func searchQuotations(_ text: String, limit: Int = 10) throws(CatalogueError) -> [QuotationRow] {
        let fts = Self.ftsQuery(text)
        guard !fts.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.quotationColumns), highlight(quotation_fts, 0, char(1), char(2))
                FROM quotation_fts JOIN quotation q ON q.id = quotation_fts.rowid JOIN document d ON d.id = q.document_id
                WHERE quotation_fts MATCH ? ORDER BY quotation_fts.rowid DESC LIMIT ?
                """, arguments: [fts, limit]).map { Self.quotation($0, snippet: $0[15]) }
        }
    }

    static let quotationColumns = """
        q.id, q.text, q.kind, q.cue, q.speaker_text, q.speaker_name, q.entity_id, q.start, q."end", q.document_id,
        d.headline, q.date, d.outlet, d.view_path, d.result_path
        """

    static func quotation(_ row: Row, snippet: String? = nil) -> QuotationRow {
        QuotationRow(
            id: row[0], text: row[1], kind: row[2], cue: row[3], speakerText: row[4], speakerName: row[5], entityID: row[6],
            start: row[7], end: row[8], documentID: row[9], headline: row[10], date: row[11], outlet: row[12], viewPath: row[13],
            snippet: snippet)
    }

    public func document(id: Int64) throws(CatalogueError) -> DocumentDetail? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.summaryColumns) FROM document d WHERE d.id = ?", arguments: [id]) else {
                return nil
            }
            let entities = try Row.fetchAll(db, sql: """
                SELECT e.id, e.type, e.name, e.local, de.mentions + de.quotes FROM document_entity de JOIN entity e ON e.id = de.entity_id
                WHERE de.document_id = ? ORDER BY de.quotes DESC, de.mentions DESC, e.name
                """, arguments: [id]).map { EntityRef(id: $0[0], type: $0[1], name: $0[2], local: $0[3], count: $0[4]) }
            let quotes = try Row.fetchAll(db, sql: """
                SELECT \(Self.quotationColumns) FROM quotation q JOIN document d ON d.id = q.document_id
                WHERE q.document_id = ? AND q.kind != 'term' ORDER BY q.start
                """, arguments: [id]).map { Self.quotation($0) }
            return DocumentDetail(document: Self.summary(row), entities: entities, quotations: quotes)
        }
    }

    /// The document whose result or view is at this stored path.
    public func documentID(path: String) throws(CatalogueError) -> Int64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM document WHERE result_path = ?1 OR view_path = ?1", arguments: [path])
        }
    }

    /// One entity: its names, counts, timeline, quotations (a page, newest first), who it is quoted with.
    public func entity(id: Int64, quotesPage: Int = 1, quotesPageSize: Int = 50) throws(CatalogueError) -> EntityDetail? {
        let quotesPage = max(1, quotesPage)
        return try read { db in
            guard let e = try Row.fetchOne(db, sql: "SELECT id, type, name, local FROM entity WHERE id = ?", arguments: [id]) else { return nil }
            let names = try String.fetchAll(db, sql: "SELECT name FROM entity_name WHERE entity_id = ? ORDER BY name", arguments: [id])
            // Months (or days, for a span of less than two months).
            // From the per-day sums (entity_day): one row per day, whatever the number of documents.
            let first = try String.fetchOne(db, sql: "SELECT day FROM entity_day WHERE entity_id = ? ORDER BY day LIMIT 1", arguments: [id]) ?? ""
            let last = try String.fetchOne(db, sql: "SELECT day FROM entity_day WHERE entity_id = ? ORDER BY day DESC LIMIT 1", arguments: [id]) ?? ""
            let daily = first.prefix(7) == last.prefix(7) || Self.monthsBetween(first, last) < 2
            let width = daily ? 10 : 7
            let timeline = try Row.fetchAll(db, sql: """
                SELECT substr(day, 1, \(width)) AS p, sum(quotes), sum(mentions), sum(documents) FROM entity_day
                WHERE entity_id = ? GROUP BY p ORDER BY p
                """, arguments: [id]).map { TimelinePoint(period: $0[0], quotes: $0[1], mentions: $0[2], documents: $0[3]) }
            let totals = timeline.reduce((0, 0, 0)) { ($0.0 + $1.documents, $0.1 + $1.quotes, $0.2 + $1.mentions) }
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.quotationColumns) FROM quotation q JOIN document d ON d.id = q.document_id
                WHERE q.entity_id = ? AND q.kind != 'term' ORDER BY q.date DESC, q.id LIMIT ? OFFSET ?
                """, arguments: [id, quotesPageSize + 1, (quotesPage - 1) * quotesPageSize])
            // Quoted with: other speakers quoted in the same documents (the most recent 500 of them).
            let with = try Row.fetchAll(db, sql: """
                SELECT e.id, e.type, e.name, e.local, count(*) AS n FROM
                    (SELECT document_id FROM document_entity WHERE entity_id = ?1 AND quotes > 0 ORDER BY date DESC LIMIT 500) mine
                JOIN document_entity other ON other.document_id = mine.document_id AND other.entity_id != ?1 AND other.quotes > 0
                JOIN entity e ON e.id = other.entity_id
                GROUP BY e.id ORDER BY n DESC, e.name LIMIT 12
                """, arguments: [id]).map { EntityRef(id: $0[0], type: $0[1], name: $0[2], local: $0[3], count: $0[4]) }
            let recent = try Row.fetchAll(db, sql: """
                SELECT \(Self.summaryColumns) FROM document_entity de JOIN document d ON d.id = de.document_id
                WHERE de.entity_id = ? ORDER BY de.date DESC LIMIT 20
                """, arguments: [id]).map { Self.summary($0) }
            return EntityDetail(
                entity: EntityRef(id: e[0], type: e[1], name: e[2], local: e[3], count: totals.0), names: names,
                documents: totals.0, quotations: totals.1, mentions: totals.2, timeline: timeline,
                quotes: rows.prefix(quotesPageSize).map { Self.quotation($0) }, quotesPage: quotesPage,
                quotesHasMore: rows.count > quotesPageSize, quotedWith: with, recentDocuments: recent)
        }
    }

    static func monthsBetween(_ a: String, _ b: String) -> Int {
        func months(_ s: String) -> Int? {
            let parts = s.prefix(7).split(separator: "-")
            guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
            return y * 12 + m
        }
        guard let x = months(a), let y = months(b) else { return 0 }
        return y - x
    }

    /// One entity's id, type and name.
    public func entityRef(id: Int64) throws(CatalogueError) -> EntityRef? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, type, name, local FROM entity WHERE id = ?", arguments: [id])
                .map { EntityRef(id: $0[0], type: $0[1], name: $0[2], local: $0[3], count: 0) }
        }
    }

    /// Entities of a type: matching a name, or else the most recently quoted or mentioned.
    public func entities(type: String?, matching text: String = "", limit: Int = 100) throws(CatalogueError) -> [EntityRef] {
        try read { db in
            let key = NameForm(text).key
            if !key.isEmpty {
                return try Row.fetchAll(db, sql: """
                    SELECT e.id, e.type, e.name, e.local, (SELECT coalesce(sum(documents), 0) FROM entity_day WHERE entity_id = e.id) FROM entity e
                    WHERE e.id IN (SELECT entity_id FROM entity_name WHERE (?1 IS NULL OR type = ?1) AND (key LIKE ?2 OR key LIKE ?3))
                    ORDER BY e.local, 5 DESC, e.name LIMIT ?4
                    """, arguments: [type, key + "%", "% " + key + "%", limit])
                    .map { EntityRef(id: $0[0], type: $0[1], name: $0[2], local: $0[3], count: $0[4]) }
            }
            return try Row.fetchAll(db, sql: """
                SELECT e.id, e.type, e.name, e.local, count(*) AS n FROM
                    (SELECT entity_id FROM document_entity WHERE document_id IN (SELECT id FROM document ORDER BY date DESC LIMIT 500)) r
                JOIN entity e ON e.id = r.entity_id WHERE (?1 IS NULL OR e.type = ?1) AND e.local = 0
                GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?2
                """, arguments: [type, limit]).map { EntityRef(id: $0[0], type: $0[1], name: $0[2], local: $0[3], count: $0[4]) }
        }
    }

    /// Languages and outlets present, for the filters.
    public func facets() throws(CatalogueError) -> (languages: [String], outlets: [String]) {
        try read { db in
            let languages = try String.fetchAll(db, sql: "SELECT DISTINCT language FROM document WHERE language IS NOT NULL ORDER BY language")
            let outlets = try String.fetchAll(db, sql: "SELECT DISTINCT outlet FROM document WHERE outlet IS NOT NULL ORDER BY outlet LIMIT 200")
            return (languages, outlets)
        }
    }

    /// The highest document id and the number of documents: changes when a document arrives or goes.
    public func version() throws(CatalogueError) -> (latest: Int64, count: Int) {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT coalesce(max(id), 0), count(*) FROM document")!
            return (row[0], row[1])
        }
    }

    /// The stored paths the catalogue lists, in order: results (`failed: false`) or failure records.
    public func listedPaths(failed: Bool) throws(CatalogueError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT result_path FROM document WHERE failed = ? ORDER BY result_path", arguments: [failed])
        }
    }
}
