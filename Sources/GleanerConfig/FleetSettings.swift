import Foundation
import GleanerCore

/// How to reach PostgreSQL (issue #18): a `postgres://` URL, and the password from a file or an environment
/// variable (never written in the configuration, never logged).
public struct PostgresSettings: Sendable, Hashable {
    /// `postgres://user@host:port/database`, or `postgres://user@/database?host=/run/postgresql` for a socket.
    public var url: String = ""
    /// A file whose first line is the password (readable by the service only), or empty.
    public var passwordFile: String = ""
    /// An environment variable holding the password, or empty.
    public var passwordEnv: String = ""
    public init() {}
}

/// `[fleet]` (issue #18): several nodes over one PostgreSQL, every document exactly once.
public struct FleetSettings: Sendable, Hashable {
    public var enabled = false
    /// This node's name, unique in the fleet (default: the host name).
    public var node = ""
    /// The database (default: the `[catalogue]` URL when its backend is postgres).
    public var postgres = PostgresSettings()
    /// How long a document stays leased without a heartbeat before another node may take it.
    public var lease: Duration = .seconds(30)
    /// How often this node renews its leases and returns expired ones to the queue.
    public var heartbeat: Duration = .seconds(5)
    /// Workers wait at most this long for a notification before looking at the queue again.
    public var poll: Duration = .seconds(2)
    public init() {}
}

/// `[catalogue] backend`: where the catalogue lives.
public enum CatalogueBackend: String, Sendable, Hashable {
    case sqlite
    case postgres
}

extension ConfigurationLoader {
    /// Reads `backend`, `url`, `password_file`, `password_env` of `[catalogue]` (before its `finish()`).
    static func parseCatalogueBackend(_ c: inout ProcessorOptions, workingDirectory: String, errors: inout [ConfigurationError])
        -> (CatalogueBackend, PostgresSettings)
    {
        var settings = PostgresSettings()
        var backend = CatalogueBackend.sqlite
        do throws(ConfigurationError) {
            backend = CatalogueBackend(rawValue: try c.string("backend", default: "sqlite", oneOf: ["sqlite", "postgres"])) ?? .sqlite
            settings = try postgres(&c, workingDirectory: workingDirectory)
            if backend == .postgres, settings.url.isEmpty {
                throw ConfigurationError(.invalidValue, "[catalogue] backend = \"postgres\" needs url = \"postgres://…\"", at: c.location("backend"))
            }
        } catch {
            errors.append(error)
        }
        return (backend, settings)
    }

    /// Reads `[fleet]`.
    static func parseFleet(_ f: inout ProcessorOptions, catalogue: PostgresSettings, workingDirectory: String, errors: inout [ConfigurationError])
        -> FleetSettings
    {
        var s = FleetSettings()
        do throws(ConfigurationError) {
            s.enabled = try f.bool("enabled", default: false)
            s.node = try f.string("node") ?? ProcessInfo.processInfo.hostName
            s.postgres = try postgres(&f, workingDirectory: workingDirectory)
            if s.postgres.url.isEmpty { s.postgres = catalogue }
            s.lease = try f.duration("lease", default: .seconds(30), positive: true)
            s.heartbeat = try f.duration("heartbeat", default: .seconds(5), positive: true)
            s.poll = try f.duration("poll", default: .seconds(2), positive: true)
            try f.finish()
            if s.enabled, s.postgres.url.isEmpty {
                throw ConfigurationError(.invalidValue, "[fleet] enabled = true needs url = \"postgres://…\" (in [fleet] or [catalogue])",
                                         at: f.location("enabled"))
            }
            if s.enabled, s.node.isEmpty || s.node.count > 100 {
                throw ConfigurationError(.invalidValue, "[fleet] node must be a name of 1 to 100 characters", at: f.location("node"))
            }
            if s.heartbeat * 2 > s.lease {
                throw ConfigurationError(.invalidValue, "[fleet] heartbeat must be at most half the lease, so a live node never loses its leases",
                                         at: f.location("heartbeat"))
            }
        } catch {
            errors.append(error)
        }
        return s
    }

    static func postgres(_ o: inout ProcessorOptions, workingDirectory: String) throws(ConfigurationError) -> PostgresSettings {
        var p = PostgresSettings()
        p.url = try o.string("url") ?? ""
        if !p.url.isEmpty, !(p.url.hasPrefix("postgres://") || p.url.hasPrefix("postgresql://")) {
            throw ConfigurationError(.invalidValue, "url must start with postgres://", at: o.location("url"))
        }
        p.passwordFile = try o.string("password_file").map { absolute($0, workingDirectory) } ?? ""
        p.passwordEnv = try o.string("password_env") ?? ""
        return p
    }
}
