import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerTestSupport
import Testing
@testable import GleanerPipeline

/// A processor for ordering tests: records its name in a layer of its own.
struct Recorder: Processor {
    let descriptor: ProcessorDescriptor
    var fails = false
    var badSpan = false

    init(_ name: String, requires: [LayerName] = [], provides: [LayerName], fails: Bool = false, badSpan: Bool = false) {
        descriptor = ProcessorDescriptor(name: name, version: "1", requires: requires, provides: provides)
        self.fails = fails
        self.badSpan = badSpan
    }

    func process(_ document: inout Document) async throws {
        if fails { throw ProcessorError("\(descriptor.name) broke") }
        for layer in descriptor.provides { document.add(layer: layer, json: .string(descriptor.name)) }
        if badSpan {
            document.add(EntitiesLayer([EntityMention(span: Span(start: 0, end: 10_000), type: .misc, entityID: "E1", canonical: "x")]))
        }
    }
}

@Suite("Pipeline")
struct PipelineTests {
    @Test("Processors are ordered by what they require and provide, ties kept in the given order")
    func ordering() throws {
        let pipeline = try Pipeline(ordering: [
            Recorder("c", requires: ["b"], provides: ["c"]),
            Recorder("a", provides: ["a"]),
            Recorder("b", requires: ["a", .tokens], provides: ["b"]),
            Recorder("d", provides: ["d"]),
        ])
        // The segmenter is added for `tokens`.
        #expect(pipeline.descriptors.map(\.name) == ["segmenter", "a", "b", "c", "d"])
    }

    @Test("A requirement no processor provides is refused, naming the layer")
    func missingRequirement() {
        let error = #expect(throws: ConfigurationErrors.self) {
            try Pipeline(ordering: [Recorder("quotes", requires: [.entities], provides: [.quotes])])
        }
        #expect(error?.errors.first?.code == .missingRequirement)
        #expect(error?.errors.first?.message == "processor 'quotes' requires the layer 'entities', which no enabled processor provides")
    }

    @Test("Cycles and duplicate providers are refused")
    func cyclesAndDuplicates() {
        #expect(throws: ConfigurationErrors.self) {
            try Pipeline(ordering: [Recorder("x", requires: ["y"], provides: ["x"]), Recorder("y", requires: ["x"], provides: ["y"])])
        }
        let error = #expect(throws: ConfigurationErrors.self) {
            try Pipeline(ordering: [Recorder("one", provides: ["x"]), Recorder("two", provides: ["x"])])
        }
        #expect(error?.errors.first?.code == .duplicateProvider)
    }

    @Test("One processor's error is recorded; its dependants are skipped; the others still run")
    func errorsAreIsolated() async throws {
        let pipeline = try Pipeline(ordering: [
            Recorder("a", provides: ["a"], fails: true),
            Recorder("b", requires: ["a"], provides: ["b"]),
            Recorder("c", provides: ["c"]),
        ])
        let result = await pipeline.run(Document(text: "text"))
        #expect(result.runs.map(\.outcome) == [.failed, .skipped, .ok])
        #expect(result.runs[0].error == "a broke")
        #expect(result.runs[1].error?.contains("'a' failed") == true)
        #expect(!result.hasLayer("a") && !result.hasLayer("b") && result.hasLayer("c"))
        let json = ResultDocument.json(for: result, gleanerVersion: "t", expectedLayers: pipeline.providedLayers)
        #expect(json["a"] == .null && json["c"] == "c")
    }

    @Test("A layer with spans outside the text is rejected and the processor marked failed")
    func spanCheck() async throws {
        let pipeline = try Pipeline(ordering: [Recorder("bad", provides: [.entities], badSpan: true)])
        let result = await pipeline.run(Document(text: "short"))
        #expect(result.runs.first?.outcome == .failed)
        #expect(result.runs.first?.error?.contains("outside the text") == true)
        #expect(!result.hasLayer(.entities))
    }

    @Test("The default pipeline on a sample gives a gleaner.document/1 whose offsets slice their text")
    func sampleResult() async throws {
        let config = try ConfigurationLoader.load(path: nil)
        let pipeline = try await PipelineBuilder.build(config, registry: BuiltinProcessors.registry)
        let document = try DocumentReader(maxBytes: 1 << 20).read(path: try TestSupport.samplePath("003_"), name: "003.txt")
        let result = await pipeline.run(document)
        #expect(result.runs.allSatisfy { $0.outcome == .ok })
        let json = ResultDocument.json(for: result, gleanerVersion: GleanerVersion.current, expectedLayers: pipeline.providedLayers)
        #expect(json["schema"] == "gleaner.document/1")
        #expect(json["source"]?["sha256"]?.stringValue?.count == 64)
        #expect(json["source"]?["media_type"] == "text/plain")
        let text = result.text
        for item in (json["entities"]?.arrayValue ?? []) + (json["quotes"]?.arrayValue ?? []) {
            guard let s = item["start"]?.intValue, let e = item["end"]?.intValue else { Issue.record("no offsets"); continue }
            #expect(text[Span(start: s, end: e)] == item["text"]?.stringValue)
        }
        #expect(json["language"]?["code"] == "en")
    }
}
