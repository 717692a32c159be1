import Foundation

/// One measured figure, printed as a Markdown table row by `make bench`.
struct BenchFigure: Sendable {
    var name: String
    var value: Double
    var unit: String
    var detail: String = ""
}

/// Collects figures and times blocks of work with a monotonic clock.
struct BenchReport {
    var figures: [BenchFigure] = []
    /// Benchmarks whose name contains one of these run; empty means all.
    var filters: [String] = []

    func wants(_ name: String) -> Bool { filters.isEmpty || filters.contains { name.localizedCaseInsensitiveContains($0) } }

    mutating func add(_ name: String, _ value: Double, _ unit: String, detail: String = "") {
        figures.append(BenchFigure(name: name, value: value, unit: unit, detail: detail))
        print(String(format: "  %-58@ %14.1f %@ %@", name as NSString, value, unit as NSString, detail as NSString))
    }

    /// Runs `body` until at least `minimumSeconds` have passed (after one warm-up run)
    /// and returns the best seconds per run: the least disturbed by the other core's load.
    static func time(minimumSeconds: Double = 1.0, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var best = Double.infinity
        let clock = ContinuousClock()
        let started = clock.now
        var runs = 0
        while runs < 3 || (clock.now - started) < .milliseconds(Int64(minimumSeconds * 1000)) {
            let t0 = clock.now
            try body()
            let d = clock.now - t0
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
            runs += 1
        }
        return best
    }

    /// The process's peak resident memory in MiB (VmHWM from /proc/self/status).
    static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }

    /// The project's sample documents (../shared/samples), read once.
    static func samples() -> [String] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/samples").standardized
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.sorted() ?? []
        return files.filter { $0.hasSuffix(".txt") }.compactMap {
            try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)
        }
    }
}
