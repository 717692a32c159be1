import Foundation
import GleanerTestSupport
import Testing

/// systemd/gleaner-web.service as systemd 252 (Debian 12) reads it.
@Suite("systemd unit of the web app", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
struct WebUnitTests {
    func unitCopy() throws -> String {
        let unit = try String(contentsOf: TestSupport.repository.appendingPathComponent("systemd/gleaner-web.service"), encoding: .utf8)
        let dir = try TestSupport.temporaryDirectory("unit")
        let path = dir + "/gleaner-web.service"
        try unit.replacingOccurrences(of: "/usr/local/bin/gleaner", with: TestSupport.binary).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("systemd-analyze verify finds nothing to say")
    func verify() throws {
        let out = try TestSupport.run("/usr/bin/systemd-analyze", ["verify", try unitCopy()])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("gleaner-web.service"), "\(out.stderr)")
    }

    @Test("systemd-analyze security rates it OK or better")
    func security() throws {
        let out = try TestSupport.run("/usr/bin/systemd-analyze", ["security", "--offline=yes", try unitCopy()])
        let overall = out.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }.map(String.init) ?? ""
        #expect(overall.contains(" OK") || overall.contains(" SAFE"), "\(overall)")
    }

    @Test("Loopback only, read-only system, no privileges")
    func contents() throws {
        let unit = try String(contentsOf: TestSupport.repository.appendingPathComponent("systemd/gleaner-web.service"), encoding: .utf8)
        for line in ["ExecStart=/usr/local/bin/gleaner serve", "IPAddressDeny=any", "IPAddressAllow=localhost", "NoNewPrivileges=yes",
                     "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service", "ProtectSystem=strict", "Restart=on-failure", "MemoryMax="] {
            #expect(unit.contains(line), "\(line)")
        }
    }
}
