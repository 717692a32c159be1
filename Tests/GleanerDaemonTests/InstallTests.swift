import Foundation
import GleanerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `make install` staged into a temporary folder (DESTDIR), as a packager runs it (issue #16, item 4).
@Suite("staged install", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/make")))
struct InstallTests {
    @Test("make install DESTDIR=… PREFIX=/opt/gleaner installs the built binary without compiling, a unit for that prefix, runnable example plugins where their .toml point, sysusers.d and tmpfiles.d files that work")
    func stagedInstall() throws {
        let stage = try TestSupport.temporaryDirectory("stage")
        let binary = TestSupport.binary
        let out = try TestSupport.run("/usr/bin/make", [
            "-C", TestSupport.repository.path, "install", "DESTDIR=\(stage)", "PREFIX=/opt/gleaner", "SYSCONF=/etc/opt/gleaner",
            "RELEASE=\(binary)", "SWIFT=/bin/false",
        ])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(!out.stdout.contains("swift build"), "install must not compile")
        #expect(out.stdout.contains("staged in \(stage)"))

        func mode(_ path: String) -> mode_t? {
            var st = stat()
            return stat(stage + path, &st) == 0 ? st.st_mode & 0o7777 : nil
        }
        #expect(mode("/opt/gleaner/bin/gleaner") == 0o755)
        let unit = try String(contentsOfFile: stage + "/etc/systemd/system/gleaner.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/gleaner/bin/gleaner run --config /etc/opt/gleaner/gleaner.toml"), "\(unit)")
        #expect(!unit.contains("/usr/local"))
        #expect(mode("/etc/opt/gleaner/gleaner.toml") == 0o644)

        // Example plugins: runnable, and their .toml's command points at them.
        let plugins = "/opt/gleaner/lib/gleaner/plugins"
        #expect(mode(plugins + "/keywords.py") == 0o755)
        let keywords = try String(contentsOfFile: stage + plugins + "/keywords.toml", encoding: .utf8)
        #expect(keywords.contains("\"\(plugins)/keywords.py\""), "\(keywords)")
        #expect(mode("/opt/gleaner/share/gleaner/systemd/overrides/metrics-listener.conf") == 0o644)
        #expect(mode("/opt/gleaner/share/doc/gleaner/PLUGINS.md") == 0o644)

        // The declarative user and folders, applied to the staged root as the package manager would.
        #expect(mode("/usr/lib/sysusers.d/gleaner.conf") == 0o644 && mode("/usr/lib/tmpfiles.d/gleaner.conf") == 0o644)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-sysusers") else { return }
        try FileManager.default.createDirectory(atPath: stage + "/etc", withIntermediateDirectories: true)
        let sysusers = try TestSupport.run("/usr/bin/systemd-sysusers", ["--root=\(stage)", stage + "/usr/lib/sysusers.d/gleaner.conf"])
        #expect(sysusers.status == 0, "\(sysusers.stderr)")
        let passwd = try String(contentsOfFile: stage + "/etc/passwd", encoding: .utf8)
        #expect(passwd.contains("gleaner:x:") && passwd.contains(":/var/lib/gleaner:/usr/sbin/nologin"), "\(passwd)")
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-tmpfiles") {
            let tmpfiles = try TestSupport.run("/usr/bin/systemd-tmpfiles", ["--root=\(stage)", "--create", stage + "/usr/lib/tmpfiles.d/gleaner.conf"])
            #expect(tmpfiles.status == 0, "\(tmpfiles.stderr)")
            #expect(mode("/srv/gleaner/inbox") == 0o2770)
        }

        // Without a build, install refuses instead of compiling.
        let missing = try TestSupport.run("/usr/bin/make", [
            "-C", TestSupport.repository.path, "install", "DESTDIR=\(stage)", "RELEASE=\(stage)/no-such-binary",
        ])
        #expect(missing.status != 0)
        #expect(missing.stdout.contains("run 'make build' first"), "\(missing.stdout)")
    }
}
