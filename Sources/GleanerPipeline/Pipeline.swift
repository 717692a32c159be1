import Foundation
import GleanerConfig
import GleanerCore
import GleanerExtract
import GleanerText

/// The configured processors in an order that satisfies every requirement,
/// checked when the pipeline is built (as spaCy checks its components).
public struct Pipeline: Sendable {
    public let processors: [any Processor]
    /// How input files become documents: the extractors (built-in and external) and their limits.
    public var extraction = Extraction()

    /// Orders `processors` so each comes after the providers of what it requires.
    /// Adds the segmenter when a processor needs tokens, sentences or paragraphs
    /// and no configured processor provides them. Ties keep the given order.
    public init(ordering processors: [any Processor]) throws(ConfigurationErrors) {
        var all = processors
        let provided = Set(all.flatMap(\.descriptor.provides))
        let required = Set(all.flatMap(\.descriptor.requires))
        if !required.isDisjoint(with: SegmenterProcessor.descriptor.provides),
            provided.isDisjoint(with: SegmenterProcessor.descriptor.provides)
        {
            all.insert(SegmenterProcessor(), at: 0)
        }
        self.processors = try Self.order(all)
    }

    static func order(_ processors: [any Processor]) throws(ConfigurationErrors) -> [any Processor] {
        var errors: [ConfigurationError] = []
        var provider: [LayerName: Int] = [:]
        for (i, p) in processors.enumerated() {
            for layer in p.descriptor.provides where reservedLayerNames.contains(layer.rawValue) {
                errors.append(ConfigurationError(
                    .invalidValue,
                    "processor '\(p.descriptor.name)' provides the layer '\(layer)', a name the result's own keys use (\(reservedLayerNames.sorted().joined(separator: ", ")))",
                    hint: "rename the layer (in the plugin's handshake \"provides\", or the processor's name)"))
            }
            for layer in p.descriptor.provides {
                if let other = provider[layer] {
                    errors.append(ConfigurationError(
                        .duplicateProvider,
                        "layer '\(layer)' is provided by both '\(processors[other].descriptor.name)' and '\(p.descriptor.name)'",
                        hint: "disable one of them"))
                } else {
                    provider[layer] = i
                }
            }
        }
        for p in processors {
            for layer in p.descriptor.requires where provider[layer] == nil {
                errors.append(ConfigurationError(
                    .missingRequirement,
                    "processor '\(p.descriptor.name)' requires the layer '\(layer)', which no enabled processor provides",
                    hint: "enable the processor that provides '\(layer)' or disable '\(p.descriptor.name)'"))
            }
        }
        guard errors.isEmpty else { throw ConfigurationErrors(errors) }

        // Kahn's algorithm, always taking the earliest ready processor.
        var dependencies: [Set<Int>] = processors.map { p in
            Set(p.descriptor.requires.compactMap { provider[$0] })
        }
        var placed: [Int] = []
        var done = Set<Int>()
        while placed.count < processors.count {
            guard let next = (0..<processors.count).first(where: { !done.contains($0) && dependencies[$0].isSubset(of: done) })
            else {
                let stuck = (0..<processors.count).filter { !done.contains($0) }.map { processors[$0].descriptor.name }
                throw ConfigurationErrors([ConfigurationError(
                    .cycle, "processors \(stuck.joined(separator: ", ")) require each other's layers in a cycle")])
            }
            placed.append(next)
            done.insert(next)
            dependencies[next] = []
        }
        return placed.map { processors[$0] }
    }

    public var descriptors: [ProcessorDescriptor] { processors.map(\.descriptor) }

    /// Every layer the pipeline adds, in processing order.
    public var providedLayers: [LayerName] { processors.flatMap(\.descriptor.provides) }

    /// Runs every processor on `document`. A processor's error is recorded on
    /// the document; the processors that need its layers are skipped, the
    /// others still run. Layers with spans outside the text are rejected.
    public func run(_ document: Document) async -> Document {
        var document = document
        var failedLayers: [LayerName: String] = [:]
        let clock = ContinuousClock()
        for processor in processors {
            // A document abandoned after its time limit stops here rather than running every processor.
            if Task.isCancelled { break }
            let d = processor.descriptor
            if let missing = d.requires.first(where: { failedLayers[$0] != nil || !document.hasLayer($0) }) {
                let cause = failedLayers[missing].map { "'\($0)' failed" } ?? "it is missing"
                document.runs.append(ProcessorRun(
                    name: d.name, version: d.version, durationMs: 0, outcome: .skipped,
                    error: "skipped: requires the layer '\(missing)', and \(cause)", reason: "missing_layer"))
                for layer in d.provides { failedLayers[layer] = d.name }
                continue
            }
            let started = clock.now
            var working = document
            var failure: String?
            var details: JSONValue?
            var reason = ProcessorError.Code.error
            do {
                try await processor.process(&working)
                for layer in d.provides {
                    let bad = working.invalidSpans(in: layer)
                    if let first = bad.first {
                        failure = "layer '\(layer)' has \(bad.count) span(s) outside the text (\(document.text.count) characters), e.g. \(first)"
                        reason = .invalidOutput
                        break
                    }
                }
            } catch {
                failure = String(describing: error)
                if let e = error as? ProcessorError {
                    reason = e.code
                    details = e.details
                }
            }
            let ms = (clock.now - started).milliseconds
            if let failure {
                // Keep the document as it was before this processor: none of its output.
                for layer in d.provides { failedLayers[layer] = d.name }
                var run = ProcessorRun(name: d.name, version: d.version, durationMs: ms, outcome: .failed, error: failure, reason: reason.rawValue)
                run.errorDetails = details
                document.runs.append(run)
            } else {
                let warnings = working.pendingWarnings
                working.pendingWarnings = []
                document = working
                var run = ProcessorRun(name: d.name, version: d.version, durationMs: ms, outcome: .ok)
                run.warnings = warnings
                run.render = d.render
                document.runs.append(run)
            }
        }
        return document
    }

    /// Stops external workers.
    public func shutdown() async {
        for processor in processors { await processor.shutdown() }
        for extractor in extraction.registry.extractors {
            if let external = extractor as? ExternalExtractor { await external.shutdown() }
        }
    }
}

/// Keys of `gleaner.document/1` that no layer may take (docs/FORMAT.md).
public let reservedLayerNames: Set<String> = ["schema", "source", "generator", "text", "processors"]

extension Duration {
    /// Milliseconds as a double, for timings in results and logs.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
