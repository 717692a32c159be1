import Foundation
import GleanerCore
import GleanerTestSupport
import Testing

/// PDF, Word and e-mail dropped into the real daemon: each becomes results
/// (an e-mail's attached PDF a result of its own), a ZIP bomb goes to failed/
/// with its reason, and the daemon keeps working.
@Suite struct ExtractDaemonTests {
    static let fixtures = TestSupport.repository.appendingPathComponent("Tests/GleanerExtractTests/Fixtures").path

    @Test func documentsAsPeopleReceiveThem() throws {
        let d = try DaemonHarness()
        try d.start()
        defer { d.stop() }
        let fm = FileManager.default
        for name in ["fr-45037.pdf", "fr-45364.docx", "fr-45037.eml"] {
            try fm.copyItem(atPath: Self.fixtures + "/" + name, toPath: d.inbox + "/" + name)
        }
        // A ZIP bomb named as a Word file: 64 MiB of zeros, deflated.
        let bomb = try ZipBomb.make()
        fm.createFile(atPath: d.inbox + "/bomb.docx", contents: Data(bomb))
        let expected = ["fr-45037.pdf.json", "fr-45364.docx.json", "fr-45037.eml.json", "fr-45037.eml#2-attachment-communiqué.pdf.json"]
        #expect(TestSupport.eventually(timeout: 60) {
            expected.allSatisfy { fm.fileExists(atPath: d.outbox + "/" + $0) } && fm.fileExists(atPath: d.outbox + "/failed/bomb.docx.error.json")
        }, "\(d.files(below: d.outbox))\n\(d.log_)")

        let pdf = try JSONValue.parse(String(contentsOfFile: d.outbox + "/fr-45037.pdf.json", encoding: .utf8))
        #expect(pdf["source"]?["format"] == "pdf")
        #expect(pdf["source"]?["title"] == "Fukushima fait muter les papillons")
        #expect(pdf["source"]?["extractor"]?["name"] == "pdf")
        #expect(pdf["source"]?["parts"]?.arrayValue?.count == 2)
        let docx = try JSONValue.parse(String(contentsOfFile: d.outbox + "/fr-45364.docx.json", encoding: .utf8))
        #expect(docx["source"]?["format"] == "docx")
        #expect(docx["text"]?.stringValue?.contains("Soyouz") == true)
        let mail = try JSONValue.parse(String(contentsOfFile: d.outbox + "/fr-45037.eml.json", encoding: .utf8))
        #expect(mail["source"]?["authors"] == ["Rédaction Wikinews"])
        #expect(mail["source"]?["published"] == "2012-11-20T09:15:00Z")
        let attachment = try JSONValue.parse(String(contentsOfFile: d.outbox + "/fr-45037.eml#2-attachment-communiqué.pdf.json", encoding: .utf8))
        #expect(attachment["source"]?["name"] == "fr-45037.eml#2-attachment-communiqué.pdf")
        #expect(attachment["source"]?["format"] == "pdf")

        let sidecar = try JSONValue.parse(String(contentsOfFile: d.outbox + "/failed/bomb.docx.error.json", encoding: .utf8))
        #expect(sidecar["reason"] == "zip-bomb")
        // The inputs left the inbox, and the daemon is still there and still working.
        #expect(TestSupport.eventually { (try? fm.contentsOfDirectory(atPath: d.inbox).filter { !$0.hasPrefix(".") }) == [] })
        try "After the bomb.\n\nStill here.".write(toFile: d.inbox + "/after.txt", atomically: true, encoding: .utf8)
        #expect(TestSupport.eventually(timeout: 30) { fm.fileExists(atPath: d.outbox + "/after.txt.json") })
        #expect(d.process?.isRunning == true)
    }
}

/// A Word-named ZIP whose document part is 64 MiB of zeros, deflated to about 64 KiB
/// (made by Python's zipfile: this test target does not link ZIPFoundation).
enum ZipBomb {
    static func make() throws -> [UInt8] {
        let script = """
            import zipfile, io, sys
            b = io.BytesIO()
            with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("[Content_Types].xml", "<Types/>")
                z.writestr("word/document.xml", b"\\0" * (64 << 20))
            sys.stdout.buffer.write(b.getvalue())
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }
}
