import Foundation
import GleanerCatalogue
import GleanerFleet
import GleanerTestSupport
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The fleet (issue #18), against a throwaway PostgreSQL (initdb + pg_ctl on a Unix socket, as the tests do):
/// - the database path of one document (register + take + fenced commit with its catalogue rows), serial, against the
///   single node's SQLite catalogue commit of the same results: the per-document overhead of fleet mode;
/// - rows and WAL bytes per document (pg_current_wal_lsn before and after), and the database path's throughput with
///   4 concurrent workers: the basis of the projection in docs/FLEET.md;
/// - end to end with the release binary: a burst through one local node, one fleet node and two fleet nodes.
let fleetSuite = BenchmarkSuite(name: "fleet") { report in
    guard report.wants("fleet") else { return }
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gleaner").path
    guard FileManager.default.isExecutableFile(atPath: exe) else { throw BenchError("no gleaner binary at \(exe)") }
    guard PostgresServer.binaries != nil else { throw BenchError(PostgresServer.skipMessage) }
    let env = ProcessInfo.processInfo.environment
    let dir = NSTemporaryDirectory() + "gleaner-bench-fleet-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    let records = try realRecords(exe: exe, dir: dir)
    let n = Int(env["GLEANER_BENCH_FLEET_DOCS"] ?? "") ?? 1000

    // 1. SQLite catalogue commit per document (what a single node does in the same step).
    let sqlite = try Catalogue(path: dir + "/catalogue.sqlite")
    var t0 = clock.now
    for i in 0..<n {
        var r = records[i % records.count]
        r.sourceName = "s\(i)-" + r.sourceName
        try sqlite.commit(r, resultPath: r.sourceName + ".json", viewPath: nil, stamp: nil)
    }
    let sqlitePerDoc = seconds(clock.now - t0) / Double(n) * 1000

    // 2. The database path of fleet mode, serial.
    let server = try PostgresServer()
    defer { server.stop() }
    let database = FleetDatabase(url: try PostgresURL(parsing: server.url), logger: quiet)
    let runner = Task { await database.client.run() }
    defer { runner.cancel() }
    try await database.migrate(node: "bench")
    let store = FleetStore(database: database, node: "bench", logger: quiet)
    @Sendable func input(_ i: Int) -> (String, Data, ResultRecord) {
        var r = records[i % records.count]
        r.sourceName = "d\(i)-" + r.sourceName
        let content = Data(r.text.utf8)
        return (r.sourceName, content, r)
    }
    @Sendable func one(_ i: Int, _ s: FleetStore) async throws {
        let (name, content, r) = input(i)
        _ = try await s.register(name: name, sha256: FleetStore.sha256(content), content: content)
        guard let lease = try await s.take(lease: .seconds(30)) else { throw BenchError("nothing to take") }
        guard try await s.commit(lease, results: [.init(record: r, resultPath: lease.name + ".json", viewPath: lease.name + ".html")]) == .committed else {
            throw BenchError("fenced")
        }
    }
    for i in 0..<50 { try await one(1_000_000 + i, store) }  // warm-up
    func lsn() throws -> String { try server.psql("SELECT pg_current_wal_lsn()") }
    func rows() throws -> Int {
        Int(try server.psql("SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables")) ?? 0
    }
    let lsn0 = try lsn()
    sleep(1)
    let rows0 = try rows()
    t0 = clock.now
    for i in 0..<n { try await one(i, store) }
    let fleetPerDoc = seconds(clock.now - t0) / Double(n) * 1000
    let lsn1 = try lsn()
    sleep(2)  // the statistics are flushed at most once a second
    let rows1 = try rows()
    let wal = Double(try server.psql("SELECT pg_wal_lsn_diff('\(lsn1)', '\(lsn0)')")) ?? 0
    let walPerDoc = wal / Double(n)
    let rowsPerDoc = Double(rows1 - rows0) / Double(n)
    let rowDetail = try server.psql("""
        SELECT string_agg(relname || ' ' || round((n_tup_ins + n_tup_upd + n_tup_del)::numeric / \(n + 50), 1), ', ' ORDER BY relname)
        FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0
        """)
    report.add("catalogue commit per document, SQLite (single node)", sqlitePerDoc, "ms", detail: "\(n) real results, serial")
    report.add("fleet database path per document (register+take+commit)", fleetPerDoc, "ms", detail: "serial, Unix socket, fsync on")
    report.add("per-document overhead of fleet mode over local mode", fleetPerDoc - sqlitePerDoc, "ms",
               detail: "fleet database path minus the SQLite commit it replaces")
    report.add("rows written per document (insert+update+delete)", rowsPerDoc, "rows", detail: rowDetail)
    report.add("WAL per document", walPerDoc / 1024, "KiB", detail: "pg_current_wal_lsn delta over \(n) documents")

    // 3. The database path with 4 concurrent workers (two nodes of two workers): what one server carries here.
    let workers = 4
    let m = n
    t0 = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for w in 0..<workers {
            let s = FleetStore(database: database, node: "bench-\(w % 2)", logger: quiet)
            group.addTask {
                var i = 2_000_000 + w
                while i < 2_000_000 + m {
                    try await one(i, s)
                    i += workers
                }
            }
        }
        try await group.waitForAll()
    }
    let dbRate = Double(m) / seconds(clock.now - t0)
    report.add("fleet database path, 4 concurrent workers: throughput", dbRate, "docs/s",
               detail: "PostgreSQL and the clients share this machine's 2 cores")

    // 4. End to end with the release binary.
    let burst = Int(env["GLEANER_BENCH_FLEET_BURST"] ?? "") ?? 600
    let samples = records.map(\.text)
    func run(nodes count: Int, fleet: Bool) throws -> Double {
        let root = dir + "/e2e-\(count)-\(fleet)-\(UUID().uuidString.prefix(4))"
        var processes: [Process] = []
        defer { for p in processes where p.isRunning { p.terminate(); p.waitUntilExit() } }
        var inboxes: [String] = [], outboxes: [String] = []
        for k in 0..<count {
            let node = root + "/node\(k)"
            try FileManager.default.createDirectory(atPath: node + "/inbox", withIntermediateDirectories: true)
            inboxes.append(node + "/inbox")
            outboxes.append(node + "/outbox")
            try """
                inbox = "\(node)/inbox"
                outbox = "\(node)/outbox"
                [daemon]
                settle = "50ms"
                [output]
                html = true
                \(fleet ? "[fleet]\nenabled = true\nnode = \"n\(k)\"\nurl = \"\(server.url)\"\n" : "")
                [processors.language]
                [processors.entities]
                [processors.quotes]
                """.write(toFile: node + "/gleaner.toml", atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["run", "--config", node + "/gleaner.toml"]
            p.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            processes.append(p)
        }
        func results() -> Int {
            outboxes.reduce(0) { sum, o in
                sum + ((try? FileManager.default.contentsOfDirectory(atPath: o)) ?? []).filter { $0.hasPrefix("b-") && $0.hasSuffix(".json") }.count
            }
        }
        let tag = UUID().uuidString.prefix(6)
        // Warm-up: one document per node.
        for (k, inbox) in inboxes.enumerated() { try samples[k % samples.count].write(toFile: inbox + "/b-warm-\(tag)-\(k).txt", atomically: false, encoding: .utf8) }
        while results() < count { usleep(2000) }
        let started = clock.now
        for i in 0..<burst {
            let inbox = inboxes[i % count]
            try (samples[i % samples.count] + "\n\(tag) \(i)\n").write(toFile: inbox + "/b-\(tag)-\(i).txt", atomically: false, encoding: .utf8)
        }
        while results() < burst + count { usleep(10_000) }
        return Double(burst) / seconds(clock.now - started)
    }
    let local = try run(nodes: 1, fleet: false)
    let oneNode = try run(nodes: 1, fleet: true)
    let two = try run(nodes: 2, fleet: true)
    report.add("daemon burst of \(burst), one local node (SQLite catalogue): throughput", local, "docs/s")
    report.add("daemon burst of \(burst), one fleet node: throughput", oneNode, "docs/s")
    report.add("daemon burst of \(burst), two fleet nodes on this machine: throughput", two, "docs/s",
               detail: "both nodes share the same 2 cores")
    report.add("fleet mode cost per document end to end (1/fleet − 1/local, per core)", (1 / oneNode - 1 / local) * 1000 * 2, "ms",
               detail: "CPU-time view on 2 cores; noisy under other load")
}
