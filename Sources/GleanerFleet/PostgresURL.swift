import Foundation

/// Where a PostgreSQL server is, from a `postgres://user[:password]@host[:port]/database[?host=/socket/dir&sslmode=…]`
/// URL (libpq's form: a `host` query parameter that is a folder means the Unix socket in that folder).
/// The password comes from the URL, a file or an environment variable, and is never part of `description`.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String?
    /// A TCP host, or nil when `socketFolder` is set.
    public var host: String?
    public var port: Int
    /// The folder of the server's Unix socket (`.s.PGSQL.<port>` in it).
    public var socketFolder: String?
    public var database: String
    /// `disable`, `prefer` (default: TLS when the server offers it) or `require`.
    public var sslMode: String

    public var socketPath: String? { socketFolder.map { "\($0)/.s.PGSQL.\(port)" } }

    /// The URL without its password: safe to log.
    public var description: String {
        let target = socketFolder.map { "socket \($0)/.s.PGSQL.\(port)" } ?? "\(host ?? "localhost"):\(port)"
        return "postgres://\(user)@\(target)/\(database)"
    }

    public init(parsing text: String) throws(FleetError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw FleetError(.configuration, "not a postgres:// URL (expected postgres://user@host:port/database)")
        }
        user = components.user.flatMap { $0.removingPercentEncoding ?? $0 } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        port = components.port ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        sslMode = "prefer"
        host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        socketFolder = nil
        for item in components.queryItems ?? [] {
            switch item.name {
            case "host":
                if let v = item.value, v.hasPrefix("/") { socketFolder = v; host = nil } else { host = item.value }
            case "port":
                guard let v = item.value, let p = Int(v), (1...65535).contains(p) else {
                    throw FleetError(.configuration, "the URL's port must be a number from 1 to 65535")
                }
                port = p
            case "sslmode":
                guard let v = item.value, ["disable", "prefer", "require", "allow", "verify-full", "verify-ca"].contains(v) else {
                    throw FleetError(.configuration, "sslmode must be disable, prefer or require")
                }
                sslMode = v
            case "user":
                user = item.value ?? user
            case "dbname":
                database = item.value ?? database
            default:
                throw FleetError(.configuration, "unknown URL parameter '\(item.name)' (known: host, port, sslmode, user, dbname)")
            }
        }
        if host == nil, socketFolder == nil { host = "localhost" }
    }

    /// The password from a file (first line, trailing newline removed) or an environment variable, in that order,
    /// when the URL has none.
    public mutating func resolvePassword(file: String, variable: String,
                                         environment: [String: String] = ProcessInfo.processInfo.environment) throws(FleetError) {
        if !file.isEmpty {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw FleetError(.configuration, "cannot read the password file \(file)")
            }
            password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            return
        }
        if !variable.isEmpty {
            guard let value = environment[variable] else {
                throw FleetError(.configuration, "the environment variable \(variable) (password_env) is not set")
            }
            password = value
        }
    }
}
