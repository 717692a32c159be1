import Foundation
import Logging
import PostgresNIO

/// One PostgreSQL server as the fleet and the catalogue use it: a connection pool (a `Service` to run in the
/// daemon's `ServiceGroup`), and the schema, migrated under an advisory lock so that nodes starting together
/// apply each migration once.
public final class FleetDatabase: Sendable {
    public let url: PostgresURL
    public let client: PostgresClient
    let logger: Logger

    public init(url: PostgresURL, logger: Logger, maximumConnections: Int = 20) {
        self.url = url
        self.logger = logger
        var configuration: PostgresClient.Configuration
        if let socket = url.socketPath {
            configuration = PostgresClient.Configuration(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch url.sslMode {
            case "disable", "allow": tls = .disable
            case "require", "verify-full", "verify-ca": tls = .require(.makeClientConfiguration())
            default: tls = .prefer(.makeClientConfiguration())
            }
            configuration = PostgresClient.Configuration(
                host: url.host ?? "localhost", port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(10))
        client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "gleaner.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// Creates or upgrades the schema; returns the version it holds now. One node at a time: the others wait for
    /// the advisory lock, then find the migrations applied.
    @discardableResult
    public func migrate(node: String) async throws(FleetError) -> Int {
        do {
            return try await client.withTransaction(logger: logger) { c in
                try await c.drain("SELECT pg_advisory_xact_lock(\(Schema.migrationLock))", logger: logger)
                try await c.query("""
                    CREATE TABLE IF NOT EXISTS gleaner_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), node text NOT NULL)
                    """, logger: logger)
                var current = 0
                for try await v in try await c.query("SELECT coalesce(max(version), 0) FROM gleaner_schema", logger: logger).decode(Int.self) {
                    current = v
                }
                guard current <= Schema.version else {
                    throw FleetError(.schema, "the database holds schema version \(current); this gleaner knows up to \(Schema.version): upgrade it")
                }
                for version in (current + 1)...max(current + 1, Schema.version) where version <= Schema.version {
                    for statement in Schema.migrations[version - 1] {
                        try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await c.query("INSERT INTO gleaner_schema(version, node) VALUES (\(version), \(node))", logger: logger)
                    logger.notice("database \(url): schema migrated to version \(version) by \(node)")
                }
                return Schema.version
            }
        } catch let error as FleetError {
            throw error
        } catch let error as PostgresTransactionError {
            if let e = error.closureError as? FleetError { throw e }
            throw Self.wrap(error)
        } catch {
            throw Self.wrap(error)
        }
    }

    /// A database error as the fleet reports it: `unreachable` when the connection failed (retry), else `database`.
    public static func wrap(_ error: any Error) -> FleetError {
        if let e = error as? FleetError { return e }
        if let t = error as? PostgresTransactionError {
            if let e = t.closureError { return wrap(e) }
            if let e = t.beginError { return wrap(e) }
            if let e = t.commitError { return wrap(e) }
        }
        if let p = error as? PSQLError {
            switch p.code {
            case .server:
                let sqlState = p.serverInfo?[.sqlState] ?? ""
                let message = p.serverInfo?[.message] ?? "\(p)"
                // Class 57 (operator intervention: shutdown, admin_shutdown), 08 (connection), 53 (resources).
                if sqlState.hasPrefix("57") || sqlState.hasPrefix("08") || sqlState.hasPrefix("53") {
                    return FleetError(.unreachable, "\(message) (SQLSTATE \(sqlState))")
                }
                return FleetError(.database, "\(message) (SQLSTATE \(sqlState))")
            default:
                return FleetError(.unreachable, "\(p.code)")
            }
        }
        return FleetError(.unreachable, String(describing: error))
    }
}

extension PostgresConnection {
    /// Runs a statement whose rows are not wanted (`SELECT pg_advisory_xact_lock(…)`, `pg_notify`), reading them to
    /// the end so that the connection is free for the next statement.
    func drain(_ query: PostgresQuery, logger: Logger) async throws {
        let rows = try await self.query(query, logger: logger)
        for try await _ in rows {}
    }
}
