import Foundation
import GleanerCore
import GleanerPipeline

/// The protocol's own cost: round trip per document through a Python worker
/// that does nothing (`Plugins/external/noop.py`), for small and large texts,
/// and with two workers answering at once.
let externalSuite = BenchmarkSuite(name: "external") { report in
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Plugins/external/noop.py").standardized.path
    func processor(workers: Int) async throws -> any Processor {
        var table = ConfigTable()
        table["kind"] = ConfigValue(.string("exec"))
        table["command"] = ConfigValue(.array([ConfigValue(.string("/usr/bin/python3")), ConfigValue(.string(script))]))
        table["workers"] = ConfigValue(.integer(workers))
        return try await ExternalProcessorFactory(name: "noop", defaultTimeout: .seconds(10))
            .makeProcessor(options: ProcessorOptions(processor: "noop", table: table))
    }
    /// Best of three rounds of `count` documents, in microseconds per document.
    func perDocument(_ count: Int, concurrency: Int = 1, _ p: any Processor, _ text: String) async throws -> Double {
        let document = Document(text: text)
        var best = Double.infinity
        for _ in 0..<3 {
            let clock = ContinuousClock()
            let started = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        var i = lane
                        while i < count {
                            var d = document
                            try await p.process(&d)
                            i += concurrency
                        }
                    }
                }
                try await group.waitForAll()
            }
            best = min(best, (clock.now - started).milliseconds * 1000 / Double(count))
        }
        return best
    }

    let short = "The council approved the tram line on Tuesday."
    let long = String(repeating: "The council approved the tram line on Tuesday, and the city rejoiced. ", count: 150)
    // Gleaner's side alone: encoding one request line.
    let longDocument = Document(text: long)
    let encode = BenchReport.time(minimumSeconds: 0.5) {
        for _ in 0..<100 { _ = PluginProtocol.request(id: "1", document: longDocument, requires: [], options: [:]) }
    }
    report.add("external: encode a 10 KB request line", encode / 100 * 1e6, "µs/doc")
    let clock = ContinuousClock()
    let t0 = clock.now
    let one = try await processor(workers: 1)
    report.add("external: start 1 worker + handshake (python3)", (clock.now - t0).milliseconds, "ms")
    report.add("external: no-op round trip, 46-char document", try await perDocument(2000, one, short), "µs/doc")
    report.add("external: no-op round trip, 10 KB document", try await perDocument(1000, one, long), "µs/doc",
               detail: "\(long.utf8.count) bytes")
    await one.shutdown()
    let two = try await processor(workers: 2)
    report.add("external: no-op, 2 workers, 2 documents at once", try await perDocument(2000, concurrency: 2, two, short),
               "µs/doc", detail: "wall time per document")
    await two.shutdown()
}
