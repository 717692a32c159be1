import GleanerConfig
import GleanerCore
import GleanerExtract
import Logging

/// Builds the pipeline a configuration describes: each enabled processor's
/// options validated by its factory, then ordered by requirements.
public enum PipelineBuilder {
    /// Every mistake found is reported, not just the first.
    public static func build(
        _ configuration: GleanerConfiguration, registry: ProcessorRegistry, retrySchedule: RetrySchedule = RetrySchedule()
    ) async throws(ConfigurationErrors) -> Pipeline {
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
            if !section.required {
                guard section.kind == "exec" else {
                    errors.append(ConfigurationError(
                        .invalidValue, "[processors.\(section.name)] required = false applies to external plugins (kind = \"exec\") only",
                        at: section.options.location("required"), hint: "a built-in processor always starts; remove the key"))
                    continue
                }
                // Mistakes in the section are still mistakes; only a plugin that does not start is tolerated.
                var schedule = retrySchedule
                do {
                    let spec = try ExternalProcessorFactory.spec(name: section.name, defaultTimeout: section.timeout, options: section.options)
                    schedule.initial = spec.retryInterval
                } catch {
                    errors.append(error)
                    continue
                }
                do {
                    processors.append(try await factory.makeProcessor(options: section.options))
                } catch {
                    var reader = section.options
                    let requires = ((try? reader.strings("requires")) ?? nil)?.map { LayerName($0) } ?? []
                    let provides = ((try? reader.strings("provides")) ?? nil)?.map { LayerName($0) } ?? [LayerName(section.name)]
                    let descriptor = ProcessorDescriptor(
                        name: section.name, version: "unavailable", requires: requires, provides: provides, summary: "external program (required = false)")
                    let options = section.options
                    processors.append(OptionalProcessor(
                        descriptor: descriptor, firstError: error.message, schedule: schedule,
                        logger: Logger(label: "gleaner.plugin.\(section.name)")
                    ) { () async throws -> any Processor in try await factory.makeProcessor(options: options) })
                }
                continue
            }
            switch await makeReportingAll(factory, section) {
            case .success(let processor):
                // External processors enforce their own timeout (and restart the worker); a built-in one is raced.
                if section.kind != "exec", let limit = section.timeout {
                    processors.append(TimeLimitedProcessor(processor, limit: limit))
                } else {
                    processors.append(processor)
                }
            case .failure(let found):
                errors += found.errors
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

extension PipelineBuilder {
    /// Makes a section's processor. A factory stops at the first mistake it meets; to report every mistake of
    /// the table at once, the key each mistake points at is set aside and the factory asked again (at most 8
    /// times). A mistake that points at no key (a missing one) ends the search, and so does a missing key that
    /// only setting one aside caused.
    static func makeReportingAll(_ factory: any ProcessorFactory, _ section: ProcessorSection) async -> Result<any Processor, ConfigurationErrors> {
        var table = section.table
        var errors: [ConfigurationError] = []
        var setAside: Set<String> = []
        for _ in 0..<8 {
            do throws(ConfigurationError) {
                let processor = try await factory.makeProcessor(options: ProcessorOptions(processor: section.name, table: table))
                if errors.isEmpty { return .success(processor) }
                await processor.shutdown()
                return .failure(ConfigurationErrors(errors))
            } catch {
                if error.code == .missingKey, !setAside.isEmpty { break }
                if !errors.contains(error) { errors.append(error) }
                guard let location = error.location, location != table.location,
                    let entry = table.entries.first(where: { $0.value.location == location && !ProcessorOptions.commonKeys.contains($0.key) })
                else { break }
                table[entry.key] = nil
                setAside.insert(entry.key)
            }
        }
        return .failure(ConfigurationErrors(errors))
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
