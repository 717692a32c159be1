import Foundation
import GleanerConfig
import GleanerExtract
import GleanerPipeline
import GleanerTestSupport
import Testing

/// The example external extractor (Plugins/external/subtitles.py), configured with
/// kind = "extractor" and run for real through `gleaner.plugin/1`.
@Suite struct ExternalExtractorTests {
    static let script = TestSupport.repository.appendingPathComponent("Plugins/external/subtitles.py").path

    func configuration(_ extra: String = "") throws -> GleanerConfiguration {
        let dir = try TestSupport.temporaryDirectory("gleaner-extractor")
        let text = """
            inbox = "\(dir)/inbox"
            outbox = "\(dir)/outbox"
            allow_no_processors = true
            [processors.subtitles]
            kind = "extractor"
            command = ["/usr/bin/python3", "\(Self.script)"]
            extensions = ["srt", "vtt"]
            media_types = ["application/x-subrip", "text/vtt"]
            timeout = "10s"
            \(extra)
            """
        return try ConfigurationLoader.load(files: [(dir + "/gleaner.toml", text)], workingDirectory: dir)
    }

    @Test func subtitlesBecomeADocument() async throws {
        let configuration = try configuration()
        #expect(configuration.enabledProcessors.isEmpty, "an extractor is not a processor")
        let section = try #require(configuration.enabledExtractors.first)
        let extractor = try await ExternalExtractor.make(section: section)
        defer { Task { await extractor.shutdown() } }
        var extraction = Extraction(limits: extractLimits(configuration), childBinary: nil)
        extraction.registry.prepend(extractor)
        let srt = """
            1
            00:00:01,000 --> 00:00:03,000
            Good evening.

            2
            00:00:03,500 --> 00:00:05,000
            The minister said <i>no</i>.

            3
            00:00:09,000 --> 00:00:10,000
            - Really?

            """
        let docs = try await extraction.extract(bytes: Array(srt.utf8), name: "interview.srt")
        let doc = try #require(docs.first)
        #expect(doc.text == "Good evening. The minister said no.\n\nReally?")
        #expect(doc.extractorName == "subtitles" && doc.extractorVersion == "1.0.0" && doc.format == "srt")
        #expect(doc.mediaType == "application/x-subrip")
        // Built-in formats still go to the built-in extractors.
        let text = try await extraction.extract(bytes: Array("Title here\n\nBody text.".utf8), name: "a.txt")
        #expect(text.first?.extractorName == "text")
        // The plugin's error with a code becomes the reason.
        do {
            _ = try await extraction.extract(bytes: Array("1\nno timing here\n".utf8), name: "bad.srt")
            Issue.record("not refused")
        } catch {
            #expect(error.code.rawValue == "empty", "\(error)")
        }
    }

    @Test func anExtractorMustNameWhatItReads() async throws {
        let dir = try TestSupport.temporaryDirectory("gleaner-extractor")
        let text = """
            inbox = "\(dir)/inbox"
            allow_no_processors = true
            [processors.ocr]
            kind = "extractor"
            command = ["/usr/bin/python3", "\(Self.script)"]
            """
        let configuration = try ConfigurationLoader.load(files: [(dir + "/gleaner.toml", text)], workingDirectory: dir)
        await #expect(throws: (any Error).self) { try await ExternalExtractor.make(section: configuration.enabledExtractors[0]) }
    }
}
