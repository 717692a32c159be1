import Foundation
import GleanerCore
import GleanerPipeline
import Prometheus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's metrics, registered with their `# HELP` text in the exporter's Prometheus registry. Every series
/// the daemon knows in advance exists from the start at 0 (the configured processors' too, at start and on
/// reload), so a rate or an alert never waits for a first event. Names follow Prometheus's conventions
/// (`_total` counters, `_seconds` units, `_info` and `_timestamp_seconds` gauges); `promtool check metrics`
/// accepts the exposition (Tests/GleanerDaemonTests/MetricsTests.swift).
struct DaemonMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let received: Prometheus.Counter
    let processed: Prometheus.Counter
    let queueDepth: Prometheus.Gauge
    let inFlight: Prometheus.Gauge
    let lastSuccess: Prometheus.Gauge
    let outboxProblem: Prometheus.Gauge
    let degraded: Prometheus.Gauge
    let documentDuration: DurationHistogram

    /// Processor and document durations: from 1 ms up to past the longest default time limits
    /// (processors' 30 s, a document's 120 s), so that a run near its timeout still lands in a bucket of its own.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60), .seconds(120), .seconds(300),
    ]

    /// Why documents went to failed/: the daemon's own reasons and the extractors' common ones, present from the start.
    static let knownDocumentFailures = [
        "timeout", "crashed", "unstable", "empty", "binary", "too-large", "invalid-encoding", "unsupported-type", "malformed",
    ]

    static func d(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    static var failedHelp: MetricNameDescriptor { d("gleaner_documents_failed_total", "Documents moved to failed/, by reason.") }
    static var runsHelp: MetricNameDescriptor { d("gleaner_processor_runs_total", "Processor runs on documents, by processor and outcome (ok, failed, skipped).") }
    static var failuresHelp: MetricNameDescriptor { d("gleaner_processor_failures_total", "Failed processor runs, by processor and reason (timeout, crashed, error, unavailable…).") }
    static var timeoutsHelp: MetricNameDescriptor { d("gleaner_processor_timeouts_total", "Processor runs stopped at their time limit, by processor.") }
    static var restartsHelp: MetricNameDescriptor { d("gleaner_processor_worker_restarts_total", "External plugin workers started again after a crash, a timeout or recycling, by processor.") }
    static var durationHelp: MetricNameDescriptor { d("gleaner_processor_duration_seconds", "Time a processor took on one document (runs not skipped).") }
    static var availableHelp: MetricNameDescriptor { d("gleaner_processor_available", "1 when the processor runs, 0 when an optional processor (required = false) could not start.") }

    init(registry: PrometheusCollectorRegistry, version: String) {
        self.registry = registry
        registry.makeGauge(descriptor: Self.d("gleaner_build_info", "The running Gleaner's version (always 1)."), labels: [("version", version)]).set(to: 1.0)
        registry.makeGauge(descriptor: Self.d("gleaner_start_time_seconds", "When the daemon started, in seconds since the Unix epoch."))
            .set(to: Date().timeIntervalSince1970)
        received = registry.makeCounter(descriptor: Self.d("gleaner_documents_received_total", "Files taken from the inbox."))
        processed = registry.makeCounter(descriptor: Self.d("gleaner_documents_processed_total", "Documents whose result was written to the outbox (including those where a processor failed)."))
        queueDepth = registry.makeGauge(descriptor: Self.d("gleaner_queue_depth", "Files waiting: settling or queued for a worker."))
        inFlight = registry.makeGauge(descriptor: Self.d("gleaner_documents_in_flight", "Documents being processed now."))
        lastSuccess = registry.makeGauge(descriptor: Self.d("gleaner_last_success_timestamp_seconds", "When the last result was written, in seconds since the Unix epoch (0: none yet)."))
        outboxProblem = registry.makeGauge(descriptor: Self.d("gleaner_outbox_problem", "1 while results or archives cannot be written (disk full, read-only outbox), else 0."))
        degraded = registry.makeGauge(descriptor: Self.d("gleaner_degraded", "1 while the daemon is degraded (a processor failing or unavailable, an outbox problem), else 0."))
        documentDuration = registry.makeDurationHistogram(
            descriptor: Self.d("gleaner_document_duration_seconds", "Time from claim to result written, per input file."), buckets: Self.durationBuckets)
        for reason in Self.knownDocumentFailures { _ = registry.makeCounter(descriptor: Self.failedHelp, labels: [("reason", reason)]) }
    }

    func failed(reason: String) {
        registry.makeCounter(descriptor: Self.failedHelp, labels: [("reason", reason)]).increment()
    }

    /// Creates every series of these processors at 0 (at start and after a reload; existing ones keep their counts).
    func register(processors: [String]) {
        for p in processors {
            for outcome in ["ok", "failed", "skipped"] { _ = registry.makeCounter(descriptor: Self.runsHelp, labels: [("processor", p), ("outcome", outcome)]) }
            for code in ProcessorError.Code.known {
                _ = registry.makeCounter(descriptor: Self.failuresHelp, labels: [("processor", p), ("reason", code.rawValue)])
            }
            _ = registry.makeCounter(descriptor: Self.timeoutsHelp, labels: [("processor", p)])
            _ = registry.makeCounter(descriptor: Self.restartsHelp, labels: [("processor", p)])
            _ = registry.makeDurationHistogram(descriptor: Self.durationHelp, labels: [("processor", p)], buckets: Self.durationBuckets)
        }
    }

    /// One document's processor runs.
    func record(_ run: ProcessorRun) {
        registry.makeCounter(descriptor: Self.runsHelp, labels: [("processor", run.name), ("outcome", run.outcome.rawValue)]).increment()
        if run.outcome == .failed || run.reason == ProcessorError.Code.unavailable.rawValue {
            let reason = run.reason ?? ProcessorError.Code.error.rawValue
            registry.makeCounter(descriptor: Self.failuresHelp, labels: [("processor", run.name), ("reason", reason)]).increment()
            if reason == ProcessorError.Code.timeout.rawValue {
                registry.makeCounter(descriptor: Self.timeoutsHelp, labels: [("processor", run.name)]).increment()
            }
        }
        if run.outcome != .skipped {
            registry.makeDurationHistogram(descriptor: Self.durationHelp, labels: [("processor", run.name)], buckets: Self.durationBuckets)
                .recordNanoseconds(Int64(run.durationMs * 1_000_000))
        }
    }

    func workerRestarted(_ processor: String) {
        registry.makeCounter(descriptor: Self.restartsHelp, labels: [("processor", processor)]).increment()
    }

    func available(_ processor: String, _ up: Bool) {
        registry.makeGauge(descriptor: Self.availableHelp, labels: [("processor", processor)]).set(to: up ? 1.0 : 0.0)
    }
}

/// Makes the Prometheus text of a registry available: written periodically to a
/// `.prom` file for node_exporter's textfile collector, and/or served on a loopback
/// address at `/metrics`. Off unless `[metrics]` asks for it.
public final class MetricsExporter: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let server = Mutex<Int32>(-1)
    private let stopping = Atomic<Bool>(false)

    public init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// The exposition text.
    public func render() -> String { registry.emitToString() }

    /// Writes the text file atomically (node_exporter must never read half a file).
    func writeTextfile(_ path: String) {
        try? RawFS.writeAtomically(Array(render().utf8), to: RawPath(path))
    }

    /// Listens on `host:port` (loopback only, validated by the configuration) on its own thread.
    func serve(_ address: String) throws(DaemonError) {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw DaemonError(message: "metrics.listen \(address) is not host:port")
        }
        let host = address[..<colon]
        let v6 = host.hasPrefix("[")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            let e = errno
            let hint = UnitHints.socketRefused(errno: e).map { "; \($0)" } ?? ""
            throw DaemonError(message: "metrics: cannot create a socket for \(address): \(String(cString: strerror(e)))\(hint)")
        }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var result: Int32
        if v6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = port.bigEndian
            a.sin6_addr = in6addr_loopback
            result = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            a.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : String(host))
            result = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard result == 0, listen(fd, 16) == 0 else {
            let e = String(cString: strerror(errno))
            close(fd)
            throw DaemonError(message: "metrics: cannot listen on \(address): \(e)")
        }
        server.withLock { $0 = fd }
        let thread = Thread { [self] in self.acceptLoop(fd) }
        thread.name = "gleaner-metrics"
        thread.start()
    }

    private func acceptLoop(_ fd: Int32) {
        defer { close(fd) }
        while !stopping.load(ordering: .acquiring) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 250) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            respond(client)
            close(client)
        }
    }

    private func respond(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return }
        let request = String(decoding: buffer[0..<n], as: UTF8.self)
        let ok = request.hasPrefix("GET /metrics ") || request.hasPrefix("GET / ")
        let body = ok ? render() : "not found: try /metrics\n"
        let head = ok ? "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            : "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
        let response = Array((head + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
        var sent = 0
        while sent < response.count {
            let k = response.withUnsafeBytes { send(client, $0.baseAddress! + sent, response.count - sent, Int32(MSG_NOSIGNAL)) }
            if k <= 0 { break }
            sent += k
        }
    }

    public func stop() { stopping.store(true, ordering: .releasing) }
}
