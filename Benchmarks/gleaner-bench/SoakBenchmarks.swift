import Foundation

/// The soak: the release daemon fed mixed real documents at a steady rate for `GLEANER_SOAK_SECONDS`
/// (120 by default; `make soak` runs 1,800), while it is killed with SIGKILL and restarted, reloaded with
/// SIGHUP, given bursts of new folders and files replaced under names still in flight. Every input carries a
/// unique token; at the end every token must be in exactly one result, with its final content, nothing may be
/// left in the inbox or the claim folder, and resident memory must stay flat. Fails (exit 1) otherwise.
let soakSuite = BenchmarkSuite(name: "soak") { report in
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gleaner").path
    guard FileManager.default.isExecutableFile(atPath: exe) else { throw BenchError("no gleaner binary at \(exe)") }
    let seconds = Double(ProcessInfo.processInfo.environment["GLEANER_SOAK_SECONDS"] ?? "") ?? 120
    let rate = Double(ProcessInfo.processInfo.environment["GLEANER_SOAK_RATE"] ?? "") ?? 20
    let texts = SoakCorpus.load()
    guard !texts.isEmpty else { throw BenchError("no documents in ../shared") }
    let dir = NSTemporaryDirectory() + "gleaner-soak-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let inbox = dir + "/inbox", outbox = dir + "/outbox"
    let fm = FileManager.default
    try fm.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    let config = dir + "/gleaner.toml"
    try """
        inbox = "\(inbox)"
        outbox = "\(outbox)"
        [daemon]
        workers = 2
        [output]
        html = true
        [processors.language]
        [processors.entities]
        [processors.quotes]
        """.write(toFile: config, atomically: true, encoding: .utf8)

    var daemon: Process?
    func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["run", "--config", config]
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        daemon = p
    }
    func residentMiB() -> Double {
        guard let pid = daemon?.processIdentifier,
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return (line.flatMap { $0.split(separator: " ").compactMap { Double($0) }.first } ?? 0) / 1024
    }
    try start()
    defer { if let p = daemon, p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }

    let clock = ContinuousClock()
    let begin = clock.now
    let end = begin + .milliseconds(Int64(seconds * 1000))
    var token = 0
    var written = 0
    var kills = 0, reloads = 0, bursts = 0, replaced = 0
    var rssAfterWarmup: [Double] = []
    var lastKill = clock.now, lastReload = clock.now, lastBurst = clock.now, lastReplace = clock.now, lastRSS = clock.now
    var pendingReplace: [String] = []

    func drop(_ relative: String, _ content: String) throws {
        let path = inbox + "/" + relative
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: path, atomically: false, encoding: .utf8)
        written += 1
    }
    func document(_ k: Int) -> (ext: String, text: String) {
        let body = texts[k % texts.count] + "\n\nsoak-token-\(k)-end\n"
        switch k % 3 {
        case 1: return ("md", "# Dispatch \(k)\n\n" + body)
        case 2: return ("html", "<html><head><title>Dispatch \(k)</title></head><body><p>" + body
            .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\n\n", with: "</p><p>") + "</p></body></html>")
        default: return ("txt", body)
        }
    }

    while clock.now < end {
        let tick = clock.now
        // The steady stream.
        token += 1
        let doc = document(token)
        try drop("stream/\(token % 50)/doc-\(token).\(doc.ext)", doc.text)
        // A file replaced under its name while the first version is in flight.
        if tick - lastReplace > .seconds(5) {
            lastReplace = tick
            token += 1
            let name = "replaced/same-\(replaced).txt"
            try drop(name, document(token).text)
            pendingReplace.append(name)
        }
        for name in pendingReplace where !fm.fileExists(atPath: inbox + "/" + name) {
            token += 1
            try drop(name, document(token).text)
            replaced += 1
            pendingReplace.removeAll { $0 == name }
            break
        }
        // A burst of new folders, files dropped into some of them at once.
        if tick - lastBurst > .seconds(15) {
            lastBurst = tick
            bursts += 1
            for f in 0..<300 {
                try fm.createDirectory(atPath: "\(inbox)/burst-\(bursts)/f\(f)", withIntermediateDirectories: true)
            }
            for f in stride(from: 0, to: 300, by: 30) {
                token += 1
                try drop("burst-\(bursts)/f\(f)/note-\(token).txt", document(token).text)
            }
        }
        if tick - lastReload > .seconds(7) {
            lastReload = tick
            if let p = daemon { kill(p.processIdentifier, SIGHUP) }
            reloads += 1
        }
        if tick - lastKill > .seconds(20) {
            lastKill = tick
            if let p = daemon {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
            }
            kills += 1
            try start()
        }
        if tick - lastRSS > .seconds(10), tick - lastKill > .seconds(8) {
            lastRSS = tick
            rssAfterWarmup.append(residentMiB())
        }
        try await Task.sleep(for: .milliseconds(Int64(1000 / rate)))
    }
    for name in pendingReplace where !fm.fileExists(atPath: inbox + "/" + name) {
        token += 1
        try drop(name, document(token).text)
    }

    // Drain: every token in exactly one result, nothing left behind.
    let drainDeadline = clock.now + .seconds(300)
    var counts: [Int: Int] = [:]
    var results = 0
    while true {
        counts = [:]
        results = 0
        if let e = fm.enumerator(atPath: outbox) {
            while let rel = e.nextObject() as? String {
                guard rel.hasSuffix(".json"), !rel.hasPrefix("failed/"), !rel.hasPrefix("logs/"), !rel.hasPrefix("archive/") else { continue }
                guard let data = fm.contents(atPath: outbox + "/" + rel),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let text = object["text"] as? String else { continue }
                results += 1
                for part in text.components(separatedBy: "soak-token-").dropFirst() {
                    if let k = Int(part.prefix { $0.isNumber }) { counts[k, default: 0] += 1 }
                }
            }
        }
        if counts.count >= written || clock.now > drainDeadline { break }
        try await Task.sleep(for: .seconds(1))
    }
    let missing = written - counts.count
    let duplicated = counts.values.filter { $0 > 1 }.count
    var stranded = 0
    if let e = fm.enumerator(atPath: inbox) {
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: inbox + "/" + rel, isDirectory: &isDir), !isDir.boolValue,
                !rel.hasPrefix(".gleaner/status") && !rel.hasPrefix(".gleaner/index") { stranded += 1 }
        }
    }
    let failed = (try? fm.contentsOfDirectory(atPath: outbox + "/failed").filter { $0.hasSuffix(".error.json") }.count) ?? 0
    report.add("soak: duration", seconds, "s", detail: "\(Int(rate)) documents/s, \(kills) kill -9, \(reloads) SIGHUP, \(bursts) folder bursts, \(replaced) replaced names")
    report.add("soak: inputs written", Double(written), "files")
    report.add("soak: inputs without a result", Double(missing), "files")
    report.add("soak: inputs with more than one result", Double(duplicated), "files")
    report.add("soak: files stranded in the inbox or claim folder", Double(stranded), "files")
    report.add("soak: inputs sent to failed/", Double(failed), "files")
    if let first = rssAfterWarmup.first, let last = rssAfterWarmup.last {
        report.add("soak: resident memory, first → last sample", last, "MiB", detail: "first \(Int(first)) MiB, highest \(Int(rssAfterWarmup.max() ?? 0)) MiB")
    }
    if missing != 0 || duplicated != 0 || stranded != 0 || failed != 0 {
        throw BenchError("soak failed: \(missing) missing, \(duplicated) duplicated, \(stranded) stranded, \(failed) failed")
    }
}

/// Real documents from ../shared: the samples, PolNeAR articles, French and Spanish news.
enum SoakCorpus {
    static func load() -> [String] {
        var texts = BenchReport.samples()
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared").standardized.path
        if let lines = try? String(contentsOfFile: shared + "/data/quotes/polnear/dev.jsonl", encoding: .utf8) {
            for line in lines.split(separator: "\n").prefix(60) {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let text = object["text"] as? String { texts.append(text) }
            }
        }
        for folder in ["/data/quotes/fr/wikinews", "/data/quotes/es/texts"] {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: shared + folder)) ?? []).sorted().prefix(20) {
                if let text = try? String(contentsOfFile: shared + folder + "/" + name, encoding: .utf8) { texts.append(text) }
            }
        }
        return texts.filter { !$0.isEmpty }
    }
}
