/// The PostgreSQL schema: the work queue and nodes of the fleet, and the catalogue with the same meaning as
/// the SQLite one (GleanerCatalogue): documents, entities across documents with every name they were found
/// under, mentions, quotations, and full-text search (tsvector + GIN instead of FTS5).
/// Versioned: each migration is applied once, by one node at a time (under an advisory lock).
enum Schema {
    /// The advisory lock key that serialises migrations ("gleaner" in ASCII).
    static let migrationLock: Int64 = 0x676C_6561_6E65_72

    /// Migration n (1-based) is `migrations[n - 1]`: its statements, applied in one transaction.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE fleet_node (
                name text PRIMARY KEY,
                host text NOT NULL DEFAULT '',
                pid integer NOT NULL DEFAULT 0,
                workers integer NOT NULL DEFAULT 0,
                started_at timestamptz NOT NULL DEFAULT now(),
                heartbeat_at timestamptz NOT NULL DEFAULT now(),
                status text NOT NULL DEFAULT ''
            )
            """,
            // One row per input registered by a node: the bytes, until a node has processed them.
            """
            CREATE TABLE fleet_document (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                sha256 text NOT NULL,
                bytes integer NOT NULL,
                content bytea,
                registered_by text NOT NULL,
                registered_at timestamptz NOT NULL DEFAULT now(),
                drops integer NOT NULL DEFAULT 1,
                state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'done', 'failed')),
                node text,
                generation bigint NOT NULL DEFAULT 0,
                lease_until timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                finished_at timestamptz,
                reason text,
                message text,
                UNIQUE (sha256, name)
            )
            """,
            "CREATE INDEX fleet_document_queued ON fleet_document (id) WHERE state = 'queued'",
            "CREATE INDEX fleet_document_leased ON fleet_document (lease_until) WHERE state = 'leased'",
            // The catalogue.
            """
            CREATE TABLE document (
                id bigserial PRIMARY KEY,
                node text NOT NULL DEFAULT '',
                fleet_document_id bigint REFERENCES fleet_document(id),
                result_path text NOT NULL,
                view_path text,
                source_name text NOT NULL,
                sha256 text NOT NULL DEFAULT '',
                bytes integer NOT NULL DEFAULT 0,
                media_type text NOT NULL DEFAULT '',
                headline text NOT NULL,
                headline_source text NOT NULL,
                published text,
                received_at text NOT NULL DEFAULT '',
                date text NOT NULL,
                outlet text,
                byline text,
                language text,
                entity_count integer NOT NULL DEFAULT 0,
                person_count integer NOT NULL DEFAULT 0,
                quote_count integer NOT NULL DEFAULT 0,
                problems text,
                failed boolean NOT NULL DEFAULT false,
                failure_reason text,
                failure_message text,
                body text NOT NULL DEFAULT '',
                search tsvector GENERATED ALWAYS AS (to_tsvector('simple', headline || ' ' || body)) STORED,
                UNIQUE (node, result_path)
            )
            """,
            "CREATE INDEX document_by_date ON document (date DESC, id DESC)",
            "CREATE INDEX document_by_language ON document (language, date DESC)",
            "CREATE INDEX document_by_outlet ON document (outlet, date DESC)",
            "CREATE INDEX document_failed ON document (failed, date DESC)",
            "CREATE INDEX document_by_fleet ON document (fleet_document_id)",
            "CREATE INDEX document_search ON document USING gin (search)",
            """
            CREATE TABLE entity (
                id bigserial PRIMARY KEY,
                type text NOT NULL,
                name text NOT NULL,
                local boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX entity_by_type ON entity (type, name)",
            """
            CREATE TABLE entity_name (
                entity_id bigint NOT NULL REFERENCES entity(id) ON DELETE CASCADE,
                type text NOT NULL,
                name text NOT NULL,
                key text NOT NULL,
                base text NOT NULL,
                initials text NOT NULL,
                local boolean NOT NULL DEFAULT false,
                PRIMARY KEY (entity_id, key)
            )
            """,
            "CREATE INDEX entity_name_by_key ON entity_name (type, key)",
            "CREATE INDEX entity_name_by_base ON entity_name (type, base, local)",
            """
            CREATE TABLE mention (
                id bigserial PRIMARY KEY,
                document_id bigint NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                entity_id bigint REFERENCES entity(id),
                start integer NOT NULL,
                "end" integer NOT NULL,
                text text NOT NULL,
                type text NOT NULL,
                cluster text
            )
            """,
            "CREATE INDEX mention_by_document ON mention (document_id, start)",
            "CREATE INDEX mention_by_entity ON mention (entity_id)",
            """
            CREATE TABLE document_entity (
                document_id bigint NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                entity_id bigint NOT NULL REFERENCES entity(id),
                date text NOT NULL,
                mentions integer NOT NULL DEFAULT 0,
                quotes integer NOT NULL DEFAULT 0,
                PRIMARY KEY (document_id, entity_id)
            )
            """,
            "CREATE INDEX document_entity_by_entity ON document_entity (entity_id, date DESC, quotes, mentions)",
            """
            CREATE TABLE quotation (
                id bigserial PRIMARY KEY,
                document_id bigint NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                entity_id bigint REFERENCES entity(id),
                start integer NOT NULL,
                "end" integer NOT NULL,
                text text NOT NULL,
                kind text NOT NULL,
                speaker_text text,
                speaker_name text,
                cue text,
                date text NOT NULL,
                search tsvector GENERATED ALWAYS AS (
                    CASE WHEN kind <> 'term' THEN to_tsvector('simple', text || ' ' || coalesce(speaker_name, speaker_text, '')) END) STORED
            )
            """,
            "CREATE INDEX quotation_by_document ON quotation (document_id, start)",
            "CREATE INDEX quotation_by_entity ON quotation (entity_id, date DESC)",
            "CREATE INDEX quotation_search ON quotation USING gin (search)",
        ],
    ]

    static var version: Int { migrations.count }
}
