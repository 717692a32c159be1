import Foundation
import GleanerCatalogue
import Logging
import PostgresNIO

/// The catalogue's writes in PostgreSQL, with the meaning of GleanerCatalogue's SQLite writer: one row per
/// document, its mentions and quotations, and entities across documents resolved by the same
/// `IdentityResolver` (merge only on evidence). Runs inside the caller's transaction, so that a fleet node
/// commits a result's catalogue rows and its queue state together.
///
/// Identity across nodes: two nodes writing documents that name the same new person at once must not create
/// two entities. Each transaction first takes a transaction-scoped advisory lock per name key and base it will
/// look up (in sorted order, so two transactions cannot deadlock), reads every entity those names can resolve
/// to, resolves in memory, then writes.
struct PostgresCatalogueWriter {
    let connection: PostgresConnection
    let logger: Logger
    let resolver: IdentityResolver

    /// The entity names a set of (type, key|base) look-ups can see, read once per document.
    struct Index: IdentityIndex {
        struct Name { var entity: Int64; var type: String; var key: String; var base: String; var initials: String; var local: Bool }
        var names: [Name] = []
        func entities(type: String, key: String) -> [EntityCandidate] {
            let ids = Set(names.filter { $0.type == type && $0.key == key }.map(\.entity))
            return ids.sorted().map { EntityCandidate(id: $0, initials: initials($0)) }
        }
        func entities(type: String, base: String) -> [EntityCandidate] {
            let ids = Set(names.filter { $0.type == type && $0.base == base && !$0.local }.map(\.entity))
            return ids.sorted().map { EntityCandidate(id: $0, initials: initials($0)) }
        }
        func initials(_ id: Int64) -> Set<String> { Set(names.filter { $0.entity == id }.map(\.initials)) }
    }

    /// 64-bit FNV-1a: a stable advisory lock key for a (type, key) pair.
    static func lockKey(_ type: String, _ key: String) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in type.utf8 + [0x1F] + key.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return Int64(bitPattern: h)
    }

    /// The names one document will resolve, after aliases: what to lock and read.
    func lookups(_ r: ResultRecord, document: String) -> (keys: [(String, String)], bases: [(String, String)]) {
        var names: [(String, String)] = r.clusters.filter { Identity.types.contains($0.type) }.map { ($0.name, $0.type) }
        let clustered = Set(r.clusters.map(\.id))
        for q in r.quotations where q.speakerCluster.map({ !clustered.contains($0) }) ?? true {
            if let n = q.speakerName, !n.isEmpty { names.append((n, "PERSON")) }
        }
        var keys: [(String, String)] = []
        var bases: [(String, String)] = []
        for (raw, type) in names {
            var name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if let target = resolver.aliases.alias(for: name, type: type) { name = target }
            let form = NameForm(name)
            keys.append((type, form.key))
            keys.append((type, IdentityResolver.localKey(form, document: document)))
            bases.append((type, form.base))
            // Names recorded under an entity found by its alias.
            let rawForm = NameForm(raw)
            keys.append((type, rawForm.key))
            bases.append((type, rawForm.base))
        }
        return (keys, bases)
    }

    /// Adds one document (the caller removed any earlier row of the same node and path).
    @discardableResult
    func insert(_ r: ResultRecord, node: String, resultPath: String, viewPath: String?, fleetDocument: Int64?) async throws -> Int64 {
        let documentKey = node.isEmpty ? resultPath : node + ":" + resultPath
        let (keys, bases) = lookups(r, document: documentKey)
        let locks = Set(keys.map { Self.lockKey($0.0, $0.1) } + bases.map { Self.lockKey($0.0, "\u{1E}" + $0.1) }).sorted()
        if !locks.isEmpty {
            try await connection.drain("SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(\(locks)::bigint[]) AS k ORDER BY 1) s", logger: logger)
        }
        var index = Index()
        let keyList = Array(Set(keys.map(\.1))), baseList = Array(Set(bases.map(\.1)))
        if !keyList.isEmpty {
            let rows = try await connection.query("""
                SELECT n.entity_id, n.type, n.key, n.base, n.initials, e.local FROM entity_name n JOIN entity e ON e.id = n.entity_id
                WHERE n.entity_id IN (SELECT entity_id FROM entity_name WHERE key = ANY(\(keyList)::text[]) OR base = ANY(\(baseList)::text[]))
                """, logger: logger)
            for try await (id, type, key, base, initials, local) in rows.decode((Int64, String, String, String, String, Bool).self) {
                index.names.append(.init(entity: id, type: type, key: key, base: base, initials: initials, local: local))
            }
        }

        // Resolve in memory; new entities get provisional negative ids until the database gives real ones.
        struct NewEntity { var id: Int64; var type: String; var name: String; var local: Bool }
        struct NewName: Hashable { var entity: Int64; var type: String; var name: String; var key: String; var base: String; var initials: String; var local: Bool }
        var created: [NewEntity] = []
        var newNames: [NewName] = []
        var seenNames = Set<String>()
        func addName(_ n: NewName) {
            guard seenNames.insert("\(n.entity)\u{1F}\(n.key)").inserted else { return }
            if index.names.contains(where: { $0.entity == n.entity && $0.key == n.key }) { return }
            newNames.append(n)
            index.names.append(.init(entity: n.entity, type: n.type, key: n.key, base: n.base, initials: n.initials, local: n.local))
        }
        func entity(name: String, type: String) throws -> Int64 {
            let form = NameForm(name)
            switch try resolver.resolve(name: name, type: type, document: documentKey, in: index) {
            case .existing(let id):
                let local = index.names.first(where: { $0.entity == id })?.local ?? false
                if !local { addName(NewName(entity: id, type: type, name: name, key: form.key, base: form.base, initials: form.initials, local: false)) }
                return id
            case .new(let display, let key, let base, let initials, let local):
                let id = -Int64(created.count + 1)
                created.append(NewEntity(id: id, type: type, name: display, local: local != nil))
                addName(NewName(entity: id, type: type, name: display, key: key, base: base, initials: initials, local: local != nil))
                if display != name, local == nil {
                    addName(NewName(entity: id, type: type, name: name, key: form.key, base: form.base, initials: form.initials, local: false))
                }
                return id
            }
        }

        var byCluster: [String: Int64] = [:]
        var perEntity: [Int64: (mentions: Int, quotes: Int)] = [:]
        for c in r.clusters where Identity.types.contains(c.type) {
            let id = try entity(name: c.name, type: c.type)
            byCluster[c.id] = id
            perEntity[id, default: (0, 0)].mentions += c.mentions
        }
        var quoteEntities: [Int64?] = []
        for q in r.quotations {
            var entityID = q.speakerCluster.flatMap { byCluster[$0] }
            if entityID == nil, let name = q.speakerName, !name.isEmpty { entityID = try entity(name: name, type: "PERSON") }
            if let entityID, q.kind != "term" { perEntity[entityID, default: (0, 0)].quotes += 1 }
            quoteEntities.append(entityID)
        }

        // Real ids for the new entities.
        var real: [Int64: Int64] = [:]
        if !created.isEmpty {
            let rows = try await connection.query("""
                INSERT INTO entity(type, name, local) SELECT * FROM unnest(\(created.map(\.type))::text[], \(created.map(\.name))::text[], \(created.map(\.local))::boolean[])
                RETURNING id
                """, logger: logger)
            var ids: [Int64] = []
            for try await id in rows.decode(Int64.self) { ids.append(id) }
            // INSERT … SELECT FROM unnest keeps the order of the arrays in RETURNING.
            for (e, id) in zip(created, ids) { real[e.id] = id }
        }
        func realID(_ id: Int64) -> Int64 { id < 0 ? real[id]! : id }
        if !newNames.isEmpty {
            try await connection.query("""
                INSERT INTO entity_name(entity_id, type, name, key, base, initials, local)
                SELECT * FROM unnest(\(newNames.map { realID($0.entity) })::bigint[], \(newNames.map(\.type))::text[], \(newNames.map(\.name))::text[],
                    \(newNames.map(\.key))::text[], \(newNames.map(\.base))::text[], \(newNames.map(\.initials))::text[], \(newNames.map(\.local))::boolean[])
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }

        let persons = r.clusters.filter { $0.type == "PERSON" }.count
        let problems: String? = r.problems.isEmpty ? nil : r.problems.joined(separator: "\n")
        var docID: Int64 = 0
        let rows = try await connection.query("""
            INSERT INTO document(node, fleet_document_id, result_path, view_path, source_name, sha256, bytes, media_type, headline, headline_source,
                published, received_at, date, outlet, byline, language, entity_count, person_count, quote_count, problems, failed, body)
            VALUES (\(node), \(fleetDocument), \(resultPath), \(viewPath), \(r.sourceName), \(r.sha256), \(r.bytes), \(r.mediaType), \(r.headline),
                \(r.headlineSource), \(r.published), \(r.receivedAt), \(r.date), \(r.outlet), \(r.byline), \(r.language), \(r.clusters.count),
                \(persons), \(r.speechCount), \(problems), false, \(r.text))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { docID = id }

        if !r.mentions.isEmpty {
            let entityIDs: [Int64] = r.mentions.map { m in m.cluster.flatMap { byCluster[$0] }.map(realID) ?? 0 }
            try await connection.query("""
                INSERT INTO mention(document_id, entity_id, start, "end", text, type, cluster)
                SELECT \(docID), NULLIF(e, 0), s, t, x, y, NULLIF(c, '') FROM unnest(\(entityIDs)::bigint[], \(r.mentions.map(\.start))::bigint[],
                    \(r.mentions.map(\.end))::bigint[], \(r.mentions.map(\.text))::text[], \(r.mentions.map(\.type))::text[],
                    \(r.mentions.map { $0.cluster ?? "" })::text[]) AS m(e, s, t, x, y, c)
                """, logger: logger)
        }
        if !r.quotations.isEmpty {
            let q = r.quotations
            try await connection.query("""
                INSERT INTO quotation(document_id, entity_id, start, "end", text, kind, speaker_text, speaker_name, cue, date)
                SELECT \(docID), NULLIF(e, 0), s, t, x, k, NULLIF(st, E'\\u0001'), NULLIF(sn, E'\\u0001'), NULLIF(cu, E'\\u0001'), \(r.date)
                FROM unnest(\(quoteEntities.map { $0.map(realID) ?? 0 })::bigint[], \(q.map(\.start))::bigint[], \(q.map(\.end))::bigint[],
                    \(q.map(\.text))::text[], \(q.map(\.kind))::text[], \(q.map { $0.speakerText ?? "\u{1}" })::text[],
                    \(q.map { $0.speakerName ?? "\u{1}" })::text[], \(q.map { $0.cue ?? "\u{1}" })::text[]) AS q(e, s, t, x, k, st, sn, cu)
                """, logger: logger)
        }
        if !perEntity.isEmpty {
            let entries = perEntity.sorted { $0.key < $1.key }
            try await connection.query("""
                INSERT INTO document_entity(document_id, entity_id, date, mentions, quotes)
                SELECT \(docID), e, \(r.date), m, q FROM unnest(\(entries.map { realID($0.key) })::bigint[], \(entries.map { $0.value.mentions })::bigint[],
                    \(entries.map { $0.value.quotes })::bigint[]) AS d(e, m, q)
                """, logger: logger)
        }
        return docID
    }

    /// A failed document (a `failed/NAME.error.json` sidecar, or a fleet document that failed).
    func insertFailure(name: String, reason: String, message: String, time: String, node: String, path: String, fleetDocument: Int64?) async throws {
        try await connection.query("""
            INSERT INTO document(node, fleet_document_id, result_path, source_name, headline, headline_source, received_at, date, failed,
                failure_reason, failure_message)
            VALUES (\(node), \(fleetDocument), \(path), \(name), \(name), 'file-name', \(time), \(time), true, \(reason), \(message))
            ON CONFLICT (node, result_path) DO UPDATE SET failure_reason = EXCLUDED.failure_reason, failure_message = EXCLUDED.failure_message
            """, logger: logger)
    }

    /// Removes a document's rows; entities no document names any more go too.
    func remove(node: String, path: String) async throws {
        var id: Int64?
        for try await v in try await connection.query("SELECT id FROM document WHERE node = \(node) AND result_path = \(path)", logger: logger).decode(Int64.self) {
            id = v
        }
        guard let id else { return }
        var entities: [Int64] = []
        for try await e in try await connection.query("""
            SELECT entity_id FROM mention WHERE document_id = \(id) AND entity_id IS NOT NULL
            UNION SELECT entity_id FROM quotation WHERE document_id = \(id) AND entity_id IS NOT NULL
            """, logger: logger).decode(Int64.self) { entities.append(e) }
        try await connection.query("DELETE FROM document WHERE id = \(id)", logger: logger)
        guard !entities.isEmpty else { return }
        try await connection.query("""
            DELETE FROM entity e WHERE e.id = ANY(\(entities)::bigint[])
              AND NOT EXISTS (SELECT 1 FROM document_entity WHERE entity_id = e.id)
              AND NOT EXISTS (SELECT 1 FROM quotation WHERE entity_id = e.id) AND NOT EXISTS (SELECT 1 FROM mention WHERE entity_id = e.id)
            """, logger: logger)
    }
}
