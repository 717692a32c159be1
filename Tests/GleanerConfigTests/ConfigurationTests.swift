import Foundation
import GleanerBuiltins
import GleanerCore
import GleanerPipeline
import GleanerTestSupport
import Testing
@testable import GleanerConfig

@Suite("TOML")
struct TOMLTests {
    @Test func parsesTheSubsetGleanerUsesWithLines() throws {
        let table = try TOML.parse("""
            # comment
            inbox = "./in"   # trailing comment
            count = 1_000
            ratio = 0.5
            on = true
            list = ["a", 'b', \"\"\"c\"\"\"]
            inline = { en = 2.0, "fr" = 1 }
            when = 2026-11-23T09:00:00Z
            [processors.language]
            languages = [
              "en",
              "fr",
            ]
            [[items]]
            name = "one"
            [[items]]
            name = "two"
            """, file: "g.toml")
        #expect(table["inbox"]?.string == "./in")
        #expect(table["inbox"]?.location?.line == 2)
        #expect(table["count"]?.integer == 1000)
        #expect(table["ratio"]?.number == 0.5)
        #expect(table["on"]?.boolean == true)
        #expect(table["list"]?.array?.compactMap(\.string) == ["a", "b", "c"])
        #expect(table["inline"]?.table?["en"]?.number == 2.0)
        #expect(table["when"]?.typeName == "date-time")
        let language = table["processors"]?.table?["language"]?.table
        #expect(language?["languages"]?.array?.count == 2)
        #expect(language?["languages"]?.location?.line == 10)
        #expect(table["items"]?.array?.compactMap { $0.table?["name"]?.string } == ["one", "two"])
    }

    @Test("Syntax errors carry their line")
    func syntaxErrors() {
        let cases: [(String, Int)] = [
            ("a = 1\nb = \n", 2), ("a = \"open\n", 1), ("[x]\na = 1\n[x]\n", 3), ("a = 1\na = 2\n", 2),
            ("a = bareword\n", 1), ("a = [1, 2\n", 1), ("a = 1 b = 2\n", 1),
        ]
        for (text, line) in cases {
            let error = #expect(throws: ConfigurationError.self) { try TOML.parse(text, file: "bad.toml") }
            #expect(error?.code == .syntax, "\(text)")
            #expect(error?.location?.line == line, "\(text): \(error?.description ?? "")")
        }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    func load(_ main: String, dropIns: [String] = []) throws(ConfigurationErrors) -> GleanerConfiguration {
        try ConfigurationLoader.load(
            files: [("/etc/gleaner/gleaner.toml", main)] + dropIns.enumerated().map { ("/etc/gleaner/processors.d/\($0.offset).toml", $0.element) },
            workingDirectory: "/srv/work")
    }

    func errors(_ main: String, dropIns: [String] = []) -> [ConfigurationError] {
        do {
            _ = try load(main, dropIns: dropIns)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("The embedded default is Config/gleaner.toml, with ./var/inbox → ./var/outbox and the three processors")
    func embeddedDefault() throws {
        let file = try String(contentsOf: TestSupport.repository.appendingPathComponent("Config/gleaner.toml"), encoding: .utf8)
        #expect(file == EmbeddedDefault.text)
        #expect(file.contains("inbox = \"./var/inbox\"") && file.contains("outbox = \"./var/outbox\""))
        let config = try ConfigurationLoader.load(path: nil, workingDirectory: "/srv/work")
        #expect(config.inbox == "/srv/work/var/inbox")
        #expect(config.outbox == "/srv/work/var/outbox")
        #expect(config.state == "/srv/work/var/inbox/.gleaner")
        #expect(config.enabledProcessors.map(\.name) == ["language", "entities", "quotes"])
        #expect(config.daemon.afterSuccess == .archive)
    }

    @Test("Drop-ins are read in name order and override the main file key by key")
    func dropIns() throws {
        let config = try load(
            "[processors.language]\nenabled = true\nlanguages = [\"en\"]\n",
            dropIns: ["[processors.language]\nlanguages = [\"fr\"]\n", "[processors.quotes]\nenabled = false\n"])
        #expect(config.processors.map(\.name) == ["language", "quotes"])
        #expect(config.processors[0].table["languages"]?.array?.first?.string == "fr")
        #expect(config.processors[1].enabled == false)
    }

    @Test("Unknown keys, with a suggestion")
    func unknownKey() {
        let e = errors("inbox = \"/a\"\noutbx = \"/b\"\n")
        #expect(e.count == 1)
        #expect(e.first?.code == .unknownKey)
        #expect(e.first?.description == "/etc/gleaner/gleaner.toml:2: unknown key 'outbx' at the top level (did you mean 'outbox'?)")
        let d = errors("[daemon]\nworkrs = 2\n")
        #expect(d.first?.code == .unknownKey && d.first?.location?.line == 2 && d.first?.hint == "did you mean 'workers'?")
    }

    @Test("Wrong types and invalid values say what would be right")
    func wrongTypes() {
        let e = errors("[daemon]\nworkers = \"four\"\nsettle = \"soon\"\nafter_success = \"archiv\"\n")
        #expect(e.map(\.code) == [.wrongType, .invalidValue, .invalidValue])
        #expect(e.map { $0.location?.line } == [2, 3, 4])
        #expect(e[2].hint == "did you mean \"archive\"?")
        #expect(errors("daemon = 3\n").first?.code == .wrongType)
        #expect(errors("[metrics]\nlisten = \"0.0.0.0:9464\"\n").first?.code == .invalidValue)
    }

    @Test("Bad paths: inbox inside outbox, empty, a file where a folder should be")
    func badPaths() throws {
        #expect(errors("inbox = \"/srv/in\"\noutbox = \"/srv/in/out\"\n").first?.code == .badPath)
        #expect(errors("inbox = \"\"\n").first?.code == .badPath)
        let dir = try TestSupport.temporaryDirectory()
        FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        let e = errors("inbox = \"\(dir)/file\"\noutbox = \"\(dir)/out\"\n")
        #expect(e.first?.code == .badPath && e.first?.message.contains("not a folder") == true)
    }

    @Test("A drop-in may only configure processors")
    func dropInScope() {
        let e = errors("", dropIns: ["inbox = \"/x\"\n"])
        #expect(e.first?.code == .unknownKey && e.first?.location?.file == "/etc/gleaner/processors.d/0.toml")
    }

    @Test("Unknown processors and bad processor options are found when the pipeline is built")
    func processorErrors() async throws {
        let unknown = try load("[processors.langauge]\n")
        await #expect(throws: ConfigurationErrors.self) {
            _ = try await PipelineBuilder.build(unknown, registry: BuiltinProcessors.registry)
        }
        do {
            _ = try await PipelineBuilder.build(unknown, registry: BuiltinProcessors.registry)
        } catch {
            #expect(error.errors.first?.code == .unknownProcessor)
            #expect(error.errors.first?.hint == "did you mean 'language'?")
        }
        let badOption = try load("[processors.language]\nlanguages = [\"en\", \"xx\"]\n[processors.quotes]\nmin_speech_words = \"many\"\n")
        do {
            _ = try await PipelineBuilder.build(badOption, registry: BuiltinProcessors.registry)
            Issue.record("bad options were accepted")
        } catch {
            #expect(error.errors.count == 2, "\(error)")
            #expect(error.errors.contains { $0.description.contains("'xx'") && $0.location?.line == 2 })
            #expect(error.errors.contains { $0.code == .wrongType && $0.location?.line == 4 })
        }
        // With valid options, the missing provider is named.
        let missing = try load("[processors.quotes]\n")
        do {
            _ = try await PipelineBuilder.build(missing, registry: BuiltinProcessors.registry)
            Issue.record("quotes without entities was accepted")
        } catch {
            #expect(error.errors.contains { $0.code == .missingRequirement && $0.message.contains("'entities'") })
        }
    }

    @Test func globs() {
        #expect(globMatch("*.part", "report.txt.part"))
        #expect(globMatch(".*", ".hidden"))
        #expect(globMatch("*~", "notes.txt~"))
        #expect(!globMatch("*.tmp", "report.txt"))
        #expect(globMatch("draft-[0-9]?.md", "draft-1a.md"))
    }
}
