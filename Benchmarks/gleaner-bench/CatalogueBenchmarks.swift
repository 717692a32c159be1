import Foundation
import GleanerCatalogue

#if canImport(Glibc)
import Glibc
#endif

/// The catalogue and `gleaner serve` (issue #15), with the release `gleaner` binary beside this one:
/// - the daemon's throughput on a burst with the catalogue on and off (runs interleaved);
/// - a catalogue of GLEANER_BENCH_CATALOGUE_DOCS documents (default 100,000) generated from the real results of
///   the PolNeAR dev articles (dates spread over three years, each result a new document), kept at
///   GLEANER_BENCH_CATALOGUE_DB (default /tmp/gleaner-bench-catalogue.sqlite) and reused when it already holds them;
/// - p95 latency of the documents list, a full-text search and a person page, by wrk (Debian's `wrk`) against
///   `gleaner serve` on loopback.
let catalogueSuite = BenchmarkSuite(name: "catalogue") { report in
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gleaner").path
    guard FileManager.default.isExecutableFile(atPath: exe) else { throw BenchError("no gleaner binary at \(exe)") }
    let env = ProcessInfo.processInfo.environment
    let dir = NSTemporaryDirectory() + "gleaner-bench-catalogue-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    // 1. Daemon throughput with and without the catalogue.
    if report.wants("catalogue") && env["GLEANER_BENCH_SKIP_DAEMON"] == nil {
        let burst = Int(env["GLEANER_BENCH_CATALOGUE_BURST"] ?? "") ?? 1500
        let samples = BenchReport.samples()
        let rounds = Int(env["GLEANER_BENCH_CATALOGUE_ROUNDS"] ?? "") ?? 5
        var rates: [Bool: [Double]] = [true: [], false: []]
        // CPU seconds of the daemon per document (user + system, from /proc): steadier than throughput on a shared
        // machine, and what the catalogue costs when the cores are the limit.
        var cpu: [Bool: [Double]] = [true: [], false: []]
        func cpuSeconds(_ pid: Int32) -> Double {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return 0 }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // Fields 14 and 15 of stat(5) (utime, stime) are the 12th and 13th after the command name.
            guard fields.count > 12, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
            return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
        for round in 0..<rounds {
            for enabled in [false, true] {
                let root = dir + "/daemon-\(round)-\(enabled)"
                let inbox = root + "/inbox", outbox = root + "/outbox"
                try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
                try """
                    inbox = "\(inbox)"
                    outbox = "\(outbox)"
                    [daemon]
                    settle = "50ms"
                    [output]
                    html = true
                    [catalogue]
                    enabled = \(enabled)
                    [processors.language]
                    [processors.entities]
                    [processors.quotes]
                    """.write(toFile: root + "/gleaner.toml", atomically: true, encoding: .utf8)
                let p = Process()
                p.executableURL = URL(fileURLWithPath: exe)
                p.arguments = ["run", "--config", root + "/gleaner.toml"]
                p.standardError = FileHandle(forWritingAtPath: "/dev/null")
                try p.run()
                defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }
                try samples[0].write(toFile: inbox + "/warmup.txt", atomically: false, encoding: .utf8)
                while !FileManager.default.fileExists(atPath: outbox + "/warmup.txt.json") { usleep(1000) }
                let started = clock.now
                let cpuBefore = cpuSeconds(p.processIdentifier)
                for i in 0..<burst {
                    try samples[i % samples.count].write(toFile: inbox + "/burst-\(i).txt", atomically: false, encoding: .utf8)
                }
                while (try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasPrefix("burst-") && $0.hasSuffix(".json") }.count) < burst {
                    usleep(10_000)
                }
                rates[enabled]!.append(Double(burst) / seconds(clock.now - started))
                cpu[enabled]!.append((cpuSeconds(p.processIdentifier) - cpuBefore) / Double(burst) * 1000)
                p.terminate()
                p.waitUntilExit()
                if enabled {
                    let c = try Catalogue(path: outbox + "/.gleaner/catalogue.sqlite")
                    let n = try c.listedPaths(failed: false).count
                    guard n == burst + 1 else { throw BenchError("the catalogue lists \(n) documents, not \(burst + 1)") }
                }
                try? FileManager.default.removeItem(atPath: root)
            }
        }
        // On a shared machine one round can run a third faster than the next for both settings alike: the cost is
        // given from the medians (interleaved rounds), the best rounds beside it.
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let off = median(rates[false]!), on = median(rates[true]!)
        let bestOff = rates[false]!.max()!, bestOn = rates[true]!.max()!
        report.add("daemon burst of \(burst), catalogue off: throughput (median of \(rounds))", off, "docs/s", detail: "best \(Int(bestOff))")
        report.add("daemon burst of \(burst), catalogue on: throughput (median of \(rounds))", on, "docs/s", detail: "best \(Int(bestOn))")
        report.add("catalogue cost in daemon throughput (medians)", (off - on) / off * 100, "%",
                   detail: "best rounds: \(String(format: "%.1f", (bestOff - bestOn) / bestOff * 100)) %; runs: off \(rates[false]!.map { Int($0) }), on \(rates[true]!.map { Int($0) }); target ≤ 10")
        let cpuOff = median(cpu[false]!), cpuOn = median(cpu[true]!)
        report.add("daemon CPU per document, catalogue off (median of \(rounds))", cpuOff, "ms", detail: "runs: \(cpu[false]!.map { String(format: "%.1f", $0) })")
        report.add("daemon CPU per document, catalogue on (median of \(rounds))", cpuOn, "ms", detail: "runs: \(cpu[true]!.map { String(format: "%.1f", $0) })")
        report.add("catalogue share of the daemon's CPU (medians)", (cpuOn - cpuOff) / cpuOn * 100, "%")
    }

    // 2. A large catalogue from real results.
    let target = Int(env["GLEANER_BENCH_CATALOGUE_DOCS"] ?? "") ?? 100_000
    let dbPath = env["GLEANER_BENCH_CATALOGUE_DB"] ?? "/tmp/gleaner-bench-catalogue.sqlite"
    var catalogue = try Catalogue(path: dbPath)
    if try catalogue.listedPaths(failed: false).count != target {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        catalogue = try Catalogue(path: dbPath)
        let records = try realRecords(exe: exe, dir: dir)
        let started = clock.now
        let start = ISO8601DateFormatter().date(from: "2022-01-01T00:00:00Z")!
        let span = 3 * 365 * 86400.0
        var batch: [(record: ResultRecord, resultPath: String, viewPath: String?)] = []
        for i in 0..<target {
            var r = records[i % records.count]
            let date = start.addingTimeInterval(span * Double(i) / Double(target))
            r.date = ISO8601DateFormatter().string(from: date)
            r.receivedAt = r.date
            r.sourceName = "gen/\(i / 1000)/\(i)-\(r.sourceName)"
            batch.append((r, r.sourceName + ".json", r.sourceName + ".html"))
            if batch.count == 1000 {
                try catalogue.commit(batch: batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try catalogue.commit(batch: batch) }
        let s = seconds(clock.now - started)
        report.add("generate a catalogue of \(target) documents from \(records.count) real results", s, "s",
                   detail: "\(Int(Double(target) / s)) docs/s in batches of 1,000")
    }
    let size = ((try? FileManager.default.attributesOfItem(atPath: dbPath)[.size] as? Int) ?? 0) ?? 0
    report.add("catalogue file size with \(target) documents", Double(size) / 1_048_576, "MiB")

    // 3. Latency under load, by wrk, against the real server.
    guard let wrk = ["/usr/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        print("  wrk not installed (apt-get install wrk): no latency figures")
        return
    }
    let person = try catalogue.entities(type: "PERSON", matching: "Donald Trump").first { !$0.local }
        ?? catalogue.entities(type: "PERSON").first!
    let root = dir + "/serve"
    try FileManager.default.createDirectory(atPath: root + "/outbox", withIntermediateDirectories: true)
    // `gleaner serve` reads the catalogue only: no processor is needed.
    try """
        inbox = "\(root)/inbox"
        outbox = "\(root)/outbox"
        allow_no_processors = true
        [catalogue]
        path = "\(dbPath)"
        """.write(toFile: root + "/gleaner.toml", atomically: true, encoding: .utf8)
    // A catalogue of generated rows has no result files: serve must not "repair" them away.
    let server = Process()
    server.executableURL = URL(fileURLWithPath: exe)
    server.arguments = ["serve", "--config", root + "/gleaner.toml", "--listen", "127.0.0.1:18931", "--no-repair"]
    let serverLog = root + "/serve.log"
    _ = FileManager.default.createFile(atPath: serverLog, contents: nil)
    server.standardError = FileHandle(forWritingAtPath: serverLog)
    try server.run()
    defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
    var up = false
    for _ in 0..<200 where !up {
        usleep(100_000)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sf", "http://127.0.0.1:18931/healthz"]
        curl.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try? curl.run()
        curl.waitUntilExit()
        up = curl.terminationStatus == 0
    }
    guard up else {
        throw BenchError("gleaner serve did not start: \((try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? "")")
    }
    let script = dir + "/p95.lua"
    try """
        done = function(summary, latency, requests)
          io.write(string.format("P95 %f P50 %f REQ %d ERR %d\\n", latency:percentile(95) / 1000, latency:percentile(50) / 1000,
            summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
        end
        """.write(toFile: script, atomically: true, encoding: .utf8)
    let duration = env["GLEANER_BENCH_WRK_SECONDS"] ?? "15"
    for (label, path, limit) in [
        ("documents list (page 1, newest first)", "/", 50.0),
        ("full-text search \"election campaign\"", "/?q=election+campaign", 50.0),
        ("full-text search \"said\" (a word in most documents)", "/?q=said", 50.0),
        ("person page: \(person.name), \(person.count) documents", "/entity/\(person.id)", 100.0),
    ] {
        let out = Pipe()
        let w = Process()
        w.executableURL = URL(fileURLWithPath: wrk)
        w.arguments = ["-t1", "-c2", "-d\(duration)s", "-s", script, "http://127.0.0.1:18931" + path]
        w.standardOutput = out
        try w.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        w.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("P95 ") }) else { throw BenchError("wrk: \(text)") }
        let f = line.split(separator: " ")
        let p95 = Double(f[1]) ?? 0, p50 = Double(f[3]) ?? 0
        report.add("\(label): p95 (wrk, 2 connections)", p95, "ms", detail: "p50 \(String(format: "%.1f", p50)) ms, \(f[5]) requests, \(f[7]) errors, target ≤ \(Int(limit))")
    }
}

/// The real results of the PolNeAR dev articles (or of the samples when the data set is absent), by `gleaner process --stdout`.
func realRecords(exe: String, dir: String) throws -> [ResultRecord] {
    let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/quotes/polnear/dev.jsonl").standardized.path
    var files: [String] = []
    try FileManager.default.createDirectory(atPath: dir + "/articles", withIntermediateDirectories: true)
    if let text = try? String(contentsOfFile: data, encoding: .utf8) {
        for (i, line) in text.split(separator: "\n").enumerated() {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let body = obj["text"] as? String else { continue }
            let path = dir + "/articles/polnear-\(i).txt"
            try body.write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
    } else {
        for (i, s) in BenchReport.samples().enumerated() {
            let path = dir + "/articles/sample-\(i).txt"
            try s.write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = ["process", "--stdout", "--jsonl"] + files
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    let bytes = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return try String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { try ResultRecord(json: Array($0.utf8)) }
}
