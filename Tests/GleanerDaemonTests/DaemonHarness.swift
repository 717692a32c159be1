import Foundation
import GleanerTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The real `gleaner run` on temporary folders.
final class DaemonHarness: @unchecked Sendable {
    let root: String
    var inbox: String { root + "/inbox" }
    var outbox: String { root + "/outbox" }
    var config: String { root + "/gleaner.toml" }
    private(set) var process: Process?
    private let logPath: String

    init(extra: String = "", processors: String = "") throws {
        root = try TestSupport.temporaryDirectory("gleaner-daemon")
        logPath = root + "/daemon.log"
        try FileManager.default.createDirectory(atPath: root + "/inbox", withIntermediateDirectories: true)
        try writeConfig(extra: extra, processors: processors)
    }

    func writeConfig(extra: String = "", processors: String = "", html: Bool = false) throws {
        // The harness's defaults, unless `extra` sets the same key.
        let given = Set(extra.split(separator: "\n").compactMap { $0.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) })
        let defaults = [("workers", "2"), ("settle", "\"100ms\""), ("status_interval", "\"200ms\"")]
            .filter { !given.contains($0.0) }.map { "\($0.0) = \($0.1)" }.joined(separator: "\n")
        try """
            inbox = "\(inbox)"
            outbox = "\(outbox)"
            \(processors.contains("[processors.") ? "" : "allow_no_processors = true")
            [daemon]
            \(defaults)
            \(extra)
            [output]
            html = \(html)
            \(processors)
            """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    func start(environment: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.binary)
        p.arguments = ["run", "--config", config]
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = nil
        env["JOURNAL_STREAM"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        log?.seekToEndOfFile()
        p.standardError = log
        p.standardOutput = log
        try p.run()
        process = p
        guard TestSupport.eventually(timeout: 30, { log_.contains("watching ") || !p.isRunning }) else {
            throw TestFailure("the daemon did not start: \(log_)")
        }
    }

    var log_: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    var pid: Int32? { process?.processIdentifier }

    func signal(_ sig: Int32) { if let p = process { kill(p.processIdentifier, sig) } }

    /// Waits for the process to exit; returns its status.
    @discardableResult
    func waitForExit(timeout: Double = 30) -> Int32? {
        guard let p = process else { return nil }
        guard TestSupport.eventually(timeout: timeout, { !p.isRunning }) else { return nil }
        p.waitUntilExit()
        return p.terminationStatus
    }

    func stop() {
        guard let p = process, p.isRunning else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Result files (JSON) below the outbox, as relative paths, without logs/failed/archive.
    func results() -> [String] {
        files(below: outbox).filter { $0.hasSuffix(".json") && !$0.hasPrefix("failed/") && !$0.hasPrefix("archive/") && !$0.hasPrefix("logs/") }
    }

    func files(below dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let name = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDir), !isDir.boolValue { out.append(name) }
            else if (try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + name)) != nil { out.append(name) }
        }
        return out.sorted()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// A datagram socket standing in for systemd's NOTIFY_SOCKET.
final class FakeNotifySocket: @unchecked Sendable {
    let path: String
    let fd: Int32
    private(set) var messages: [String] = []

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard r == 0 else { throw TestFailure("bind \(path): \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads what has arrived.
    func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            messages.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
        return messages
    }

    deinit {
        close(fd)
        unlink(path)
    }
}
