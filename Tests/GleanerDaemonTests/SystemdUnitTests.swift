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

    /// The unit in a folder of its own, with `overrides` as drop-ins in gleaner.service.d/.
    func unitWithDropIns(_ overrides: [String]) throws -> (folder: String, unit: String) {
        let unit = try unitCopy()
        let folder = (unit as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder + "/gleaner.service.d", withIntermediateDirectories: true)
        for name in overrides {
            try FileManager.default.copyItem(
                atPath: TestSupport.repository.appendingPathComponent("systemd/overrides/\(name)").path, toPath: folder + "/gleaner.service.d/\(name)")
        }
        return (folder, unit)
    }

    func analyze(_ verb: [String], _ folder: String, _ unit: String) throws -> TestSupport.Output {
        var env = ProcessInfo.processInfo.environment
        env["SYSTEMD_UNIT_PATH"] = folder + ":"  // the folder, then the usual search path: drop-ins are read from there
        return try TestSupport.run("/usr/bin/systemd-analyze", verb + [unit], environment: env)
    }

    /// Effective settings as `systemd-analyze security` reports them: "✓ NAME" or "✗ NAME" lines.
    func securityLines(_ out: TestSupport.Output) -> [String] {
        out.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test("Drop-ins are read from gleaner.service.d/ (a wrong key is reported), and each shipped one verifies cleanly and changes what it says",
          arguments: [
            ("metrics-listener.conf", ["✗ PrivateNetwork=", "✗ RestrictAddressFamilies=~AF_(INET|INET6)", "✗ IPAddressDeny="]),
            ("jit-plugins.conf", ["✗ MemoryDenyWriteExecute="]),
            ("plugin-memory.conf", []),
          ])
    func overrides(name: String, lifted: [String]) throws {
        // The control: a drop-in is really read in this set-up.
        let control = try unitWithDropIns([])
        try "[Service]\nNoSuchSetting=1\n".write(toFile: control.folder + "/gleaner.service.d/bad.conf", atomically: true, encoding: .utf8)
        #expect(try analyze(["verify"], control.folder, control.unit).stderr.contains("NoSuchSetting"))

        let (folder, unit) = try unitWithDropIns([name])
        let verify = try analyze(["verify"], folder, unit)
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        let before = securityLines(try analyze(["security", "--offline=yes"], control.folder, try unitCopy()))
        let after = securityLines(try analyze(["security", "--offline=yes"], folder, unit))
        for line in lifted {
            #expect(after.contains { $0.hasPrefix(line) }, "\(name): \(line)")
            #expect(!before.contains { $0.hasPrefix(line) }, "\(name): \(line) already in the unit")
        }
        let overall = after.first { $0.contains("Overall exposure level") } ?? ""
        #expect(overall.contains(" OK") || overall.contains(" SAFE") || overall.contains(" MEDIUM"), "\(overall)")
        let text = try String(contentsOfFile: folder + "/gleaner.service.d/\(name)", encoding: .utf8)
        if name == "plugin-memory.conf" { #expect(text.contains("MemoryMax=8G")) }
    }

    @Test("Every shipped drop-in together still verifies")
    func allOverrides() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestSupport.repository.appendingPathComponent("systemd/overrides").path)
            .filter { $0.hasSuffix(".conf") }
        #expect(names.count >= 3)
        let (folder, unit) = try unitWithDropIns(names)
        let verify = try analyze(["verify"], folder, unit)
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
    }
}
