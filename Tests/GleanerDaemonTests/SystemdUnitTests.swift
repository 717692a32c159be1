import Foundation
import GleanerTestSupport
import Testing

/// The unit file as systemd 252 (Debian 12) reads it.
@Suite("systemd unit", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
struct SystemdUnitTests {
    /// The unit with its ExecStart pointing at the built binary, so `verify` can check the command.
    func unitCopy() throws -> String {
        let unit = try String(contentsOf: TestSupport.repository.appendingPathComponent("systemd/gleaner.service"), encoding: .utf8)
        let dir = try TestSupport.temporaryDirectory("unit")
        let path = dir + "/gleaner.service"
        try unit.replacingOccurrences(of: "/usr/local/bin/gleaner", with: TestSupport.binary).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("systemd-analyze verify finds nothing to say")
    func verify() throws {
        let out = try TestSupport.run("/usr/bin/systemd-analyze", ["verify", try unitCopy()])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("gleaner.service"), "\(out.stderr)")
    }

    @Test("systemd-analyze security rates it OK or better")
    func security() throws {
        let out = try TestSupport.run("/usr/bin/systemd-analyze", ["security", "--offline=yes", try unitCopy()])
        let overall = out.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }.map(String.init) ?? ""
        #expect(overall.contains(" OK") || overall.contains(" SAFE"), "\(overall)")
    }

    @Test("The unit has what the daemon relies on")
    func contents() throws {
        let unit = try String(contentsOf: TestSupport.repository.appendingPathComponent("systemd/gleaner.service"), encoding: .utf8)
        for line in ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "PrivateNetwork=yes", "NoNewPrivileges=yes",
                     "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service", "ProtectSystem=strict", "WatchdogSec=",
                     "Restart=on-failure", "MemoryMax=", "StateDirectory=gleaner", "LogsDirectory=gleaner", "ConfigurationDirectory=gleaner"] {
            #expect(unit.contains(line), "\(line)")
        }
    }
}
