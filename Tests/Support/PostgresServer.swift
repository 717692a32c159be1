import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for one test (issue #18): `initdb` into a temporary folder, `pg_ctl start`
/// listening only on a Unix socket in that folder, `stop()` removes it all. Nothing depends on a system-wide
/// server. `make test` installs Debian's `postgresql` when it is missing.
///
/// PostgreSQL refuses to run as root: when the tests run as root (CI), the server runs as the `postgres` user
/// that Debian's package creates (through `runuser`), in a folder owned by it.
public final class PostgresServer: @unchecked Sendable {
    /// The folder of the server's binaries (`initdb`, `pg_ctl`), or nil when PostgreSQL is not installed.
    public static let binaries: String? = {
        var candidates: [String] = []
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            // Newest first.
            for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) { candidates.append("/usr/lib/postgresql/\(v)/bin") }
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") { candidates.append(String(dir)) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
    }()

    /// True when the tests that need a server can run. Under CI (`CI=true`) they always run, so that a missing
    /// install fails them instead of skipping them silently.
    public static var enabled: Bool {
        binaries != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The message of a skipped test.
    public static let skipMessage = "PostgreSQL is not installed (initdb/pg_ctl not found): `make test` installs Debian's postgresql"

    /// The folder holding the data directory, the socket and the server's log.
    public let folder: String
    public let port: Int
    public let user = "postgres"
    public let database = "postgres"
    let bin: String
    let runAs: String?

    /// The Unix socket's folder (what `host=` names in a libpq connection string).
    public var socketFolder: String { folder }
    /// The socket itself, as postgres-nio's `unixSocketPath` wants it.
    public var socketPath: String { "\(folder)/.s.PGSQL.\(port)" }
    /// A `postgres://` URL for the socket (the form `[catalogue] url` and `[fleet] url` take).
    public var url: String {
        "postgres://\(user)@localhost/\(database)?host=\(folder.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_."))) ?? folder)&port=\(port)"
    }

    public init() throws {
        guard let bin = Self.binaries else { throw TestFailure(Self.skipMessage) }
        self.bin = bin
        let isRoot = getuid() == 0
        runAs = isRoot ? "postgres" : nil
        folder = NSTemporaryDirectory() + "gleaner-pg-\(UUID().uuidString.prefix(8))"
        port = Int.random(in: 20_000...60_000)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if isRoot {
            guard let pw = getpwnam("postgres") else { throw TestFailure("running as root, but there is no postgres user to run the server") }
            chown(folder, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        chmod(folder, 0o755)
        let initdb = try run(bin + "/initdb", ["-D", folder + "/data", "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        guard initdb.status == 0 else { throw TestFailure("initdb failed (\(initdb.status)): \(initdb.stderr)") }
        // Small, fast and local: no TCP, fsync on (the tests check durability), a short checkpoint interval.
        let conf = """

            listen_addresses = ''
            unix_socket_directories = '\(folder)'
            port = \(port)
            max_connections = 100
            shared_buffers = 64MB
            fsync = on
            synchronous_commit = on
            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/data/postgresql.conf"))
        handle.seekToEndOfFile()
        handle.write(Data(conf.utf8))
        try handle.close()
        try start()
    }

    /// Starts the server (again) and waits until it accepts connections.
    public func start() throws {
        let out = try run(bin + "/pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "start"])
        guard out.status == 0 else {
            let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
            throw TestFailure("pg_ctl start failed (\(out.status)): \(out.stderr)\n\(log.suffix(2000))")
        }
    }

    /// Stops the server (fast: running transactions are rolled back), keeping its data.
    public func stopServer() throws {
        let out = try run(bin + "/pg_ctl", ["-D", folder + "/data", "-m", "fast", "-w", "-t", "60", "stop"])
        guard out.status == 0 else { throw TestFailure("pg_ctl stop failed (\(out.status)): \(out.stderr)") }
    }

    /// Runs SQL through `psql` on the socket; returns its output (unaligned, tuples only).
    public func psql(_ sql: String) throws -> String {
        let psql = FileManager.default.isExecutableFile(atPath: bin + "/psql") ? bin + "/psql" : "/usr/bin/psql"
        let out = try TestSupport.run(psql, ["-h", folder, "-p", "\(port)", "-U", user, "-d", database, "-X", "-A", "-t", "-q",
                                             "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard out.status == 0 else { throw TestFailure("psql failed: \(out.stderr)") }
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server and removes its folder.
    public func stop() {
        _ = try? run(bin + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "-t", "30", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    deinit {}

    /// Runs a server program with its output in a file, by posix_spawn and waitpid: `pg_ctl start` leaves the
    /// server running with the descriptors it was given (a pipe would never end), and Foundation's Process did not
    /// notice its exit here.
    func run(_ program: String, _ arguments: [String]) throws -> TestSupport.Output {
        let argv = (runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", program] } ?? [program]) + arguments
        let outPath = NSTemporaryDirectory() + "gleaner-pgctl-\(UUID().uuidString.prefix(8))"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cargs, environ)
        guard rc == 0 else { throw TestFailure("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return TestSupport.Output(status: code, stdout: text, stderr: text)
    }
}
