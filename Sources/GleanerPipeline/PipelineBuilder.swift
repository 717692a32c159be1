import GleanerConfig
import GleanerCore
import GleanerExtract

/// Builds the pipeline a configuration describes: each enabled processor's
/// options validated by its factory, then ordered by requirements.
public enum PipelineBuilder {
    /// Every mistake found is reported, not just the first.
    public static func build(_ configuration: GleanerConfiguration, registry: ProcessorRegistry) async throws(ConfigurationErrors)
        -> Pipeline
    {
        var errors: [ConfigurationError] = []
        var processors: [any Processor] = []
        for section in configuration.enabledProcessors {
            let factory: any ProcessorFactory
            if section.kind == "exec" {
                factory = ExternalProcessorFactory(name: section.name, defaultTimeout: section.timeout)
            } else if let builtin = registry.factory(named: section.name) {
                factory = builtin
            } else {
                errors.append(ConfigurationError(
                    .unknownProcessor, "unknown processor '\(section.name)'", at: section.location,
                    hint: closestMatch(to: section.name, in: registry.names).map { "did you mean '\($0)'?" }
                        ?? "built-in processors: \(registry.names.joined(separator: ", ")); an external one needs kind = \"exec\""))
                continue
            }
            do {
                let processor = try await factory.makeProcessor(options: section.options)
                // External processors enforce their own timeout (and restart the worker); a built-in one is raced.
                if section.kind != "exec", let limit = section.timeout {
                    processors.append(TimeLimitedProcessor(processor, limit: limit))
                } else {
                    processors.append(processor)
                }
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else {
            for p in processors { await p.shutdown() }
            throw ConfigurationErrors(errors)
        }
        var pipeline: Pipeline
        do {
            pipeline = try Pipeline(ordering: processors)
        } catch {
            for p in processors { await p.shutdown() }
            throw error
        }
        pipeline.extraction = Extraction(limits: extractLimits(configuration))
        // External extractors (kind = "extractor") go in front of the built-in ones.
        for section in configuration.enabledExtractors {
            do {
                pipeline.extraction.registry.prepend(try await ExternalExtractor.make(section: section))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else {
            await pipeline.shutdown()
            throw ConfigurationErrors(errors)
        }
        return pipeline
    }
}

/// The extraction limits of a configuration (`input.max_bytes` and `[extract]`).
public func extractLimits(_ configuration: GleanerConfiguration) -> ExtractLimits {
    let x = configuration.extract
    return ExtractLimits(
        maxBytes: configuration.input.maxBytes, maxExpandedBytes: x.maxExpandedBytes, maxExpansionRatio: x.maxExpansionRatio,
        maxParts: x.maxParts, maxAttachmentBytes: x.maxAttachmentBytes, maxMessages: x.maxMessages, timeLimit: x.timeLimit,
        memoryLimit: x.memoryLimit)
}
