import Foundation
import Metrics
import Prometheus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's metrics, through swift-metrics: whatever backend is bootstrapped
/// records them; `MetricsExporter` serves Prometheus's text format.
struct DaemonMetrics: Sendable {
    let received = Counter(label: "gleaner_documents_received_total")
    let processed = Counter(label: "gleaner_documents_processed_total")
    let queueDepth = Gauge(label: "gleaner_queue_depth")
    let inFlight = Gauge(label: "gleaner_in_flight")

    func failed(reason: String) {
        Counter(label: "gleaner_documents_failed_total", dimensions: [("reason", reason)]).increment()
    }

    func processorDuration(_ processor: String, milliseconds: Double) {
        Timer(label: "gleaner_processor_duration_seconds", dimensions: [("processor", processor)])
            .recordNanoseconds(Int64(milliseconds * 1_000_000))
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
        guard fd >= 0 else { throw DaemonError(message: "metrics: cannot create a socket") }
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
