import Foundation
import GleanerCore
import GleanerTestSupport
import Testing

/// The real binary, as users and outside evaluation call it.
@Suite("gleaner command line")
struct CLITests {
    let gleaner = TestSupport.binary

    @Test("process --stdout prints a valid gleaner.document/1 whose offsets are consistent")
    func processStdout() throws {
        let sample = try TestSupport.samplePath("000_")
        let out = try TestSupport.run(gleaner, ["process", "--stdout", sample])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try JSONValue.parse(out.stdout)
        #expect(json["schema"] == "gleaner.document/1")
        for key in ["source", "text", "processors", "language", "entities", "quotes"] { #expect(json[key] != nil, "\(key)") }
        let text = DocumentText(json["text"]?.stringValue ?? "")
        var checked = 0
        for layer in ["entities", "quotes"] {
            for item in json[layer]?.arrayValue ?? [] {
                let s = item["start"]?.intValue ?? -1, e = item["end"]?.intValue ?? -1
                #expect(text[Span(start: s, end: e)] == item["text"]?.stringValue)
                if case .object = item["speaker"] ?? .null, let ss = item["speaker"]?["start"]?.intValue, let se = item["speaker"]?["end"]?.intValue {
                    #expect(text[Span(start: ss, end: se)] == item["speaker"]?["text"]?.stringValue)
                }
                checked += 1
            }
        }
        #expect(checked > 20)
        let names = Set((json["processors"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: ["language", "entities", "quotes"]))
    }

    @Test("process writes where the daemon would, and exits non-zero with the reason when a file fails")
    func processToOutbox() throws {
        let dir = try TestSupport.temporaryDirectory()
        try "inbox = \"in\"\noutbox = \"out\"\n[processors.language]\n".write(toFile: dir + "/g.toml", atomically: true, encoding: .utf8)
        try "A short English note about the weather today.".write(toFile: dir + "/note.txt", atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: dir + "/empty.txt", contents: Data())
        let out = try TestSupport.run(gleaner, ["process", "--config", dir + "/g.toml", dir + "/note.txt", dir + "/empty.txt"], cwd: dir)
        #expect(out.status == 1)
        #expect(out.stderr.contains("empty.txt: empty"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/note.txt.json"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/note.txt.html"))
    }

    @Test("check-config exits 0 on the default and non-zero with file:line on mistakes")
    func checkConfig() throws {
        #expect(try TestSupport.run(gleaner, ["check-config"]).status == 0)
        let dir = try TestSupport.temporaryDirectory()
        try "inbox = \"in\"\n[daemon]\nsettle = \"later\"\n[processors.quote]\n".write(toFile: dir + "/g.toml", atomically: true, encoding: .utf8)
        let out = try TestSupport.run(gleaner, ["check-config", "--config", dir + "/g.toml"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("g.toml:3: [daemon] settle must be a duration"), "\(out.stderr)")
        let parse = try TestSupport.run(gleaner, ["check-config", "--config", dir + "/missing.toml"])
        #expect(parse.status != 0 && parse.stderr.contains("cannot read the configuration file"))
    }

    @Test("plugins lists every configured processor with version, requirements and status")
    func plugins() throws {
        let out = try TestSupport.run(gleaner, ["plugins"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("entities\tbuiltin\t1.1.0\ttokens,sentences\tentities\tok"))
        #expect(out.stdout.contains("order: segmenter → language → entities → quotes"))
    }

    @Test("language --lines: one CODE<TAB>CONFIDENCE line per input line, in order")
    func language() throws {
        let input = "The meeting between the two leaders took place in Beijing.\nLa rencontre entre les deux dirigeants a eu lieu à Pékin.\n12345\nDas Treffen fand in Peking statt.\n"
        let out = try TestSupport.run(gleaner, ["language", "--lines", "--top", "2"], input: input)
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["en", "fr", "und", "de"])
    }

    @Test("entities --conll: IOB2 tags, blank lines and -DOCSTART- kept")
    func entities() throws {
        let input = "-DOCSTART- -X- O O\n\nVladimir NNP\nPutin NNP\nvisited VBD\nBeijing NNP\n. .\n\nHe\nleft\n"
        let out = try TestSupport.run(gleaner, ["entities", "--conll"], input: input)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "-DOCSTART- -X- O O\n\nVladimir\tB-PER\nPutin\tI-PER\nvisited\tO\nBeijing\tB-LOC\n.\tO\n\nHe\tO\nleft\tO\n")
    }

    @Test("entities --conll --lang fr: the French model; an unknown language is refused with the list of models")
    func entitiesLang() throws {
        let input = "-DOCSTART- -X- O O\n\nLe\nprésident\nEmmanuel\nMacron\na\nreçu\nOlaf\nScholz\nà\nMarseille\n.\n"
        let out = try TestSupport.run(gleaner, ["entities", "--conll", "--lang", "fr"], input: input)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Le\tO\nprésident\tO\nEmmanuel\tB-PER\nMacron\tI-PER\n"), "\(out.stdout)")
        #expect(out.stdout.contains("Marseille\tB-LOC\n"), "\(out.stdout)")
        let bad = try TestSupport.run(gleaner, ["entities", "--conll", "--lang", "fi"], input: input)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("no entity model for 'fi'") && bad.stderr.contains("fr"), "\(bad.stderr)")
    }

    @Test("quotes --jsonl: one result line per document, speakers resolved")
    func quotes() throws {
        let doc: JSONValue = ["doc_id": "d1", "text": "Vladimir Putin arrived. “We are not alone,” Putin said on Thursday."]
        let out = try TestSupport.run(gleaner, ["quotes", "--jsonl"], input: doc.serialized() + "\n")
        #expect(out.status == 0, "\(out.stderr)")
        let result = try JSONValue.parse(out.stdout.trimmingCharacters(in: .newlines))
        #expect(result["doc_id"] == "d1")
        let quote = result["quotes"]?.arrayValue?.first
        #expect(quote?["text"] == "We are not alone,")
        // The batch form is PolNeAR's, which the shared scorer reads: the speaker as written, and its name beside it.
        #expect(quote?["speaker"] == "Putin")
        #expect(quote?["name"] == "Vladimir Putin")
    }

    @Test func versionAndHelp() throws {
        #expect(try TestSupport.run(gleaner, ["--version"]).stdout.trimmingCharacters(in: .newlines) == GleanerVersion.current)
        let help = try TestSupport.run(gleaner, ["--help"]).stdout
        for command in ["run", "process", "check-config", "status", "plugins", "language", "entities", "quotes"] {
            #expect(help.contains(command))
        }
    }
}
