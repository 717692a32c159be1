import Foundation
import GleanerCore
import GleanerTestSupport
import Testing

/// Issue #16: protocol version 2, the options schema, `gleaner plugin test`, rendering hints — through the binary.
@Suite("plugin protocol 2")
struct PluginProtocolTests {
    let gleaner = TestSupport.binary
    static let workers = TestSupport.repository.appendingPathComponent("Tests/ExternalPluginTests/Workers").path
    static let examples = TestSupport.repository.appendingPathComponent("Plugins/external").path

    func config(_ dir: String, _ section: String) throws -> String {
        let path = dir + "/g.toml"
        try "inbox = \"in\"\noutbox = \"out\"\n\(section)".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("plugin test runs the example plugin through the supervisor: handshake, negotiated reply, request, log message, answer, timing, outcome")
    func pluginTest() throws {
        let dir = try TestSupport.temporaryDirectory()
        try "STOP the tram NOW, said the EU and the minister.".write(toFile: dir + "/note.txt", atomically: true, encoding: .utf8)
        let out = try TestSupport.run(gleaner, [
            "plugin", "test", "/usr/bin/python3 \(Self.examples)/shouting.py", dir + "/note.txt", "--options", #"{"ignore": ["EU"]}"#,
        ])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("← [pid ") && $0.contains(#""protocol": "gleaner.plugin/2""#) }, "\(out.stdout)")
        #expect(lines.contains { $0.hasPrefix("→ [pid ") && $0.contains(#""capabilities":["cancel","log","warnings"]"#) }, "\(out.stdout)")
        #expect(lines.contains { $0.hasPrefix("→ [pid ") && $0.contains(#""options":{"ignore":["EU"]}"#) }, "\(out.stdout)")
        #expect(lines.contains { $0.hasPrefix("← [pid ") && $0.contains(#""text": "STOP""#) && $0.contains(" ms]") }, "\(out.stdout)")
        #expect(lines.contains { $0.hasPrefix("← [pid ") && $0.contains(#""log": {"level": "debug""#) }, "\(out.stdout)")
        #expect(lines.contains { $0.hasPrefix("✓ shouting ok in ") }, "\(out.stdout)")
        #expect(out.stdout.contains("summary: 1 ok, 0 failed"))
    }

    @Test("plugin test shows a validation error and exits 1; a v1 plugin still passes; a plugin that needs tokens gets the segmenter")
    func pluginTestErrors() throws {
        let dir = try TestSupport.temporaryDirectory()
        try "Some text that the plugin gets wrong.".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        let bad = try TestSupport.run(gleaner, ["plugin", "test", "/usr/bin/python3 \(Self.workers)/out_of_range.py", dir + "/a.txt"])
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("✗ out_of_range failed (invalid_output)"), "\(bad.stdout)")
        #expect(bad.stdout.contains("outside the text"), "\(bad.stdout)")

        let v1 = try TestSupport.run(gleaner, ["plugin", "test", "/usr/bin/python3 \(Self.examples)/readability.py", dir + "/a.txt"])
        #expect(v1.status == 0, "\(v1.stdout)\(v1.stderr)")
        #expect(v1.stdout.contains(#""protocol": "gleaner.plugin/1""#), "\(v1.stdout)")
        #expect(v1.stdout.contains("pipeline: segmenter → readability"), "\(v1.stdout)")
        #expect(!v1.stdout.contains(#""gleaner":""#), "no reply to a v1 worker")
    }

    @Test("The options schema a plugin announces: every mistake at once, with a suggestion, in plugin test and check-config")
    func optionsSchema() throws {
        let dir = try TestSupport.temporaryDirectory()
        try "Some text.".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        let out = try TestSupport.run(gleaner, [
            "plugin", "test", "/usr/bin/python3 \(Self.examples)/shouting.py", dir + "/a.txt",
            "--options", #"{"min_lenght": 3, "ignore": "EU"}"#,
        ])
        #expect(out.status == 2, "\(out.stdout)\(out.stderr)")
        #expect(out.stderr.contains("options.min_lenght is not an option of this plugin (did you mean 'min_length'?)"), "\(out.stderr)")
        #expect(out.stderr.contains("options.ignore must be array, not string"), "\(out.stderr)")

        let path = try config(dir, """
            [processors.v2]
            kind = "exec"
            command = ["/usr/bin/python3", "\(Self.workers)/v2.py"]
            options = { mode = "medium", level = 0 }
            """)
        let check = try TestSupport.run(gleaner, ["check-config", "--config", path], cwd: dir)
        #expect(check.status == 2)
        #expect(check.stderr.contains("g.toml:6"), "\(check.stderr)")
        #expect(check.stderr.contains(#"options.mode is "medium"; expected one of "fast", "slow""#), "\(check.stderr)")
        #expect(check.stderr.contains("options.level = 0 is below the minimum 1"), "\(check.stderr)")
        _ = try config(dir, """
            [processors.v2]
            kind = "exec"
            command = ["/usr/bin/python3", "\(Self.workers)/v2.py"]
            options = { mode = "fast", level = 2 }
            """)
        #expect(try TestSupport.run(gleaner, ["check-config", "--config", path], cwd: dir).status == 0)
    }

    @Test("Structured errors, warnings and render hints reach the result, the HTML view and the outbox index")
    func resultsViewIndex() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = try config(dir, """
            [processors.v2]
            kind = "exec"
            command = ["/usr/bin/python3", "\(Self.workers)/v2.py"]
            """)
        try "Please FAIL here.".write(toFile: dir + "/fail.txt", atomically: true, encoding: .utf8)
        try "A SHORT note with a MARK in it.".write(toFile: dir + "/mark.txt", atomically: true, encoding: .utf8)
        let fail = try TestSupport.run(gleaner, ["process", "--stdout", "--config", path, dir + "/fail.txt"], cwd: dir)
        let failed = try JSONValue.parse(fail.stdout)
        let run = failed["processors"]?.arrayValue?.first { $0["name"] == "v2" }
        #expect(run?["status"] == "failed")
        #expect(run?["error"]?.stringValue == "the plugin reported: bad-input: this document is not for me", "\(String(describing: run))")
        #expect(run?["error_details"]?["code"] == "bad-input")
        #expect(run?["error_details"]?["data"]?["at"]?.intValue == 7)

        let ok = try TestSupport.run(gleaner, ["process", "--config", path, dir + "/mark.txt"], cwd: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        let result = try JSONValue.parse(String(contentsOfFile: dir + "/out/mark.txt.json", encoding: .utf8))
        let okRun = result["processors"]?.arrayValue?.first { $0["name"] == "v2" }
        #expect(okRun?["warnings"]?.arrayValue == ["a short document"])
        #expect(okRun?["render"]?["v2"]?["label"] == "v2 marks")
        let html = try String(contentsOfFile: dir + "/out/mark.txt.html", encoding: .utf8)
        #expect(html.contains(#"data-plugin="v2""#) && html.contains(#"title="v2 marks: a mark">MARK</span>"#), "\(html)")
        #expect(html.contains(#">v2 marks</span> <span class="muted small">1</span>"#), "the legend")
        #expect(html.contains("<dt>v2.pid</dt>"))
        let index = try String(contentsOfFile: dir + "/out/index.html", encoding: .utf8)
        #expect(index.contains(#"<th scope="col" class="fact-col">v2.pid</th>"#), "\(index)")
    }

    @Test("A relative --config with a command relative to it, run from its folder and from elsewhere")
    func relativeCommand() throws {
        let dir = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/conf/plugins", withIntermediateDirectories: true)
        for f in ["echo.py", "common.py"] {
            try FileManager.default.copyItem(atPath: Self.workers + "/" + f, toPath: dir + "/conf/plugins/" + f)
        }
        try """
            inbox = "in"
            outbox = "out"
            [processors.echo]
            kind = "exec"
            command = ["/usr/bin/python3", "plugins/echo.py"]
            """.write(toFile: dir + "/conf/g.toml", atomically: true, encoding: .utf8)
        let fromDir = try TestSupport.run(gleaner, ["check-config", "--config", "conf/g.toml"], cwd: dir)
        #expect(fromDir.status == 0, "\(fromDir.stderr)")
        let fromConf = try TestSupport.run(gleaner, ["check-config", "--config", "g.toml"], cwd: dir + "/conf")
        #expect(fromConf.status == 0, "\(fromConf.stderr)")
    }

    @Test("A plugin may not provide a layer named like a key of the result")
    func reservedNames() throws {
        let dir = try TestSupport.temporaryDirectory()
        try """
            #!/bin/sh
            echo '{"protocol":"gleaner.plugin/1","name":"text","provides":["text"]}'
            cat >/dev/null
            """.write(toFile: dir + "/text.sh", atomically: true, encoding: .utf8)
        chmod(dir + "/text.sh", 0o755)
        let path = try config(dir, "[processors.text]\nkind = \"exec\"\ncommand = [\"./text.sh\"]\n")
        let out = try TestSupport.run(gleaner, ["check-config", "--config", path], cwd: dir)
        #expect(out.status == 2)
        #expect(out.stderr.contains("provides the layer 'text', a name the result's own keys use"), "\(out.stderr)")
    }
}

/// Issue #16: check-config reports every mistake of a processor table at once.
@Suite("check-config, all mistakes")
struct CheckConfigAllMistakesTests {
    @Test("Three mistakes in one built-in table and two in an exec table: all five, each with its line")
    func allAtOnce() throws {
        let dir = try TestSupport.temporaryDirectory()
        try """
            inbox = "in"
            outbox = "out"
            [processors.language]
            segments = "yes"
            min_segment_chars = 0
            colour = "blue"
            [processors.ext]
            kind = "exec"
            command = ["/usr/bin/python3", "x.py"]
            workers = 0
            max_documents = -1
            """.write(toFile: dir + "/g.toml", atomically: true, encoding: .utf8)
        let out = try TestSupport.run(TestSupport.binary, ["check-config", "--config", dir + "/g.toml"], cwd: dir)
        #expect(out.status == 2)
        let lines = out.stderr.split(separator: "\n").map(String.init)
        for line in [4, 5, 6, 10, 11] {
            #expect(lines.contains { $0.contains("g.toml:\(line):") }, "line \(line): \(out.stderr)")
        }
        #expect(!out.stderr.contains("no command"), "no mistake made up by setting a key aside: \(out.stderr)")
    }
}
