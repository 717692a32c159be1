import Foundation
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Prometheus metrics, scraped over loopback HTTP and read from the textfile.
@Suite("metrics", .serialized)
struct MetricsTests {
    /// A plain HTTP GET over a TCP socket to 127.0.0.1.
    func scrape(port: UInt16, path: String = "/metrics") -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard r == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }

    func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("After some documents, the counts, the per-processor histogram and the gauges are right")
    func scrapeAfterProcessing() throws {
        let port = UInt16.random(in: 20000...60000)
        let d = try DaemonHarness(processors: "[processors.language]\n[metrics]\nlisten = \"127.0.0.1:\(port)\"\ntextfile = \"PROM\"\ninterval = \"200ms\"\n")
        let prom = d.root + "/gleaner.prom"
        try String(contentsOfFile: d.config, encoding: .utf8).replacingOccurrences(of: "PROM", with: prom)
            .write(toFile: d.config, atomically: true, encoding: .utf8)
        try d.start()
        defer { d.stop() }
        for i in 0..<3 { try "A short English note number \(i) about the weather.".write(toFile: "\(d.inbox)/n\(i).txt", atomically: false, encoding: .utf8) }
        FileManager.default.createFile(atPath: d.inbox + "/empty.txt", contents: Data())
        FileManager.default.createFile(atPath: d.inbox + "/bin.txt", contents: Data([0, 1, 2, 3]))
        var body = ""
        #expect(TestSupport.eventually {
            body = scrape(port: port) ?? ""
            return value(body, "gleaner_documents_processed_total") == 3 && value(body, "gleaner_documents_failed_total{reason=\"binary\"}") == 1
        }, "\(body)")
        #expect(body.hasPrefix("HTTP/1.1 200 OK"))
        #expect(value(body, "gleaner_documents_received_total") == 5)
        #expect(value(body, "gleaner_documents_failed_total{reason=\"empty\"}") == 1)
        #expect(value(body, "gleaner_processor_duration_seconds_count{processor=\"language\"}") == 3)
        #expect(body.contains("gleaner_processor_duration_seconds_bucket{processor=\"language\",le=\"0.005\"}"))
        #expect(body.contains("# TYPE gleaner_queue_depth gauge"))
        #expect(body.contains("gleaner_documents_in_flight"))
        #expect(scrape(port: port, path: "/other")?.hasPrefix("HTTP/1.1 404") == true)
        #expect(TestSupport.eventually {
            let text = (try? String(contentsOfFile: prom, encoding: .utf8)) ?? ""
            return value(text, "gleaner_documents_processed_total") == 3
        })
    }
}
