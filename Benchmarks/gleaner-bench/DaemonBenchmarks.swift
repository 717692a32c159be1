import Foundation

/// The daemon end to end, with the release `gleaner` binary beside this one:
/// latency from a file's close to its result in the outbox, for single drops;
/// throughput and peak memory for a burst of news-size documents.
let daemonSuite = BenchmarkSuite(name: "daemon") { report in
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gleaner").path
    guard FileManager.default.isExecutableFile(atPath: exe) else { throw BenchError("no gleaner binary at \(exe)") }
    let samples = BenchReport.samples()
    let burst = Int(ProcessInfo.processInfo.environment["GLEANER_BENCH_BURST"] ?? "") ?? 10_000
    let dir = NSTemporaryDirectory() + "gleaner-bench-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let inbox = dir + "/inbox", outbox = dir + "/outbox"
    try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    let config = dir + "/gleaner.toml"
    try """
        inbox = "\(inbox)"
        outbox = "\(outbox)"
        [daemon]
        settle = "50ms"
        [output]
        html = true
        [processors.language]
        [processors.entities]
        [processors.quotes]
        """.write(toFile: config, atomically: true, encoding: .utf8)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: exe)
    process.arguments = ["run", "--config", config]
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
    let clock = ContinuousClock()
    func waitFor(_ path: String, timeout: Duration = .seconds(600)) throws {
        let deadline = clock.now + timeout
        while !FileManager.default.fileExists(atPath: path) {
            guard clock.now < deadline else { throw BenchError("no result \(path)") }
            usleep(500)
        }
    }
    // Wait until the daemon is ready: a first document goes through.
    try samples[0].write(toFile: inbox + "/warmup.txt", atomically: false, encoding: .utf8)
    try waitFor(outbox + "/warmup.txt.json", timeout: .seconds(60))

    // Single drops, one at a time.
    var latencies: [Double] = []
    for i in 0..<40 {
        let name = "single-\(i).txt"
        let started = clock.now
        try samples[i % samples.count].write(toFile: inbox + "/" + name, atomically: false, encoding: .utf8)
        try waitFor(outbox + "/" + name + ".json")
        let d = clock.now - started
        latencies.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
    latencies.sort()
    report.add("single drop: close → result, p50 (settle 50ms)", latencies[latencies.count / 2], "ms")
    report.add("single drop: close → result, p99 (settle 50ms)", latencies[latencies.count * 99 / 100], "ms")

    // A burst: written as the daemon goes, as a producer would.
    let started = clock.now
    for i in 0..<burst {
        try samples[i % samples.count].write(toFile: inbox + "/burst-\(i).txt", atomically: false, encoding: .utf8)
    }
    try waitFor(outbox + "/burst-\(burst - 1).txt.json")
    for i in stride(from: 0, to: burst, by: 97) { try waitFor(outbox + "/burst-\(i).txt.json") }
    // Every result, not only the last one.
    while (try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasPrefix("burst-") && $0.hasSuffix(".json") }.count) < burst {
        usleep(10_000)
    }
    let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }(clock.now - started)
    report.add("burst of \(burst) news documents (3–9 KB): throughput", Double(burst) / seconds, "docs/s", detail: "\(ProcessInfo.processInfo.activeProcessorCount) workers")
    let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
    let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.flatMap { $0.split(separator: " ").compactMap { Double($0) }.first } ?? 0
    report.add("daemon peak resident memory after the burst", hwm / 1024, "MiB")
    process.terminate()
    process.waitUntilExit()
}
