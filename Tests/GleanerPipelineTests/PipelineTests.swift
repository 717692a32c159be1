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

/// A processor that takes its time: politely (sleeping, which observes cancellation)
/// or not at all (spinning on the CPU, as a runaway model would).
struct Slow: Processor {
    let descriptor = ProcessorDescriptor(name: "slow", version: "1", requires: [], provides: [LayerName("slow")])
    let seconds: Double
    let spin: Bool

    func process(_ document: inout Document) async throws {
        if spin {
            let clock = ContinuousClock(), end = clock.now + .seconds(seconds)
            var x = 0
            while clock.now < end { x &+= 1 }
            if x == -1 { print(x) }
        } else {
            try await Task.sleep(for: .seconds(seconds))
        }
        document.add(layer: descriptor.provides[0], json: .string("done"))
    }
}

@Suite("Built-in processor time limit")
struct TimeLimitTests {
    @Test("A processor over its limit is recorded as failed and the document goes on without it", arguments: [false, true])
    func overTheLimit(spin: Bool) async throws {
        // Sleeping costs nothing, so it can be long; spinning burns a core, so it is shorter.
        let work: Double = spin ? 3 : 10
        let pipeline = try Pipeline(ordering: [
            TimeLimitedProcessor(Slow(seconds: work, spin: spin), limit: .milliseconds(100)),
            Recorder("after", provides: [LayerName("after")]),
        ])
        // No wall-clock check (other tests share the machine and the cooperative pool): that the timer
        // won the race is the evidence, since the work takes 30 to 100 times the limit.
        let result = await pipeline.run(Document(text: "text"))
        let run = try #require(result.runs.first { $0.name == "slow" })
        #expect(run.outcome == .failed)
        #expect(run.error?.contains("took longer than") == true)
        #expect(run.error?.contains("processors.slow.timeout") == true)
        #expect(!result.hasLayer(LayerName("slow")))
        #expect(result.hasLayer(LayerName("after")), "processors that do not need the late one still run")
    }

    @Test("Under its limit a processor's layers are kept")
    func underTheLimit() async throws {
        let pipeline = try Pipeline(ordering: [TimeLimitedProcessor(Slow(seconds: 0.01, spin: false), limit: .seconds(5))])
        let result = await pipeline.run(Document(text: "text"))
        #expect(result.runs.first?.outcome == .ok)
        #expect(result.hasLayer(LayerName("slow")))
    }

    @Test("A built-in section's timeout wraps the processor; the real pipeline still runs")
    func builderWrapsBuiltins() async throws {
        let config = try ConfigurationLoader.load(
            files: [("gleaner.toml", "[processors.language]\ntimeout = \"30s\"\n")], workingDirectory: "/tmp")
        let pipeline = try await PipelineBuilder.build(config, registry: BuiltinProcessors.registry)
        let result = await pipeline.run(Document(text: "Le président a parlé aux journalistes ce matin à Paris."))
        #expect(result.runs.allSatisfy { $0.outcome == .ok })
        #expect(result.hasLayer(.language))
    }
}
