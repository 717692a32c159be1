import ArgumentParser
import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerPipeline

/// `gleaner plugins`: every configured processor, built-in or external.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the configured processors in pipeline order, with version, requirements and whether they start.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        var failures = 0
        var started: [any Processor] = []
        print("NAME\tKIND\tVERSION\tREQUIRES\tPROVIDES\tSTATUS")
        for section in configuration.processors {
            guard section.enabled else {
                print("\(section.name)\t\(section.kind)\t-\t-\t-\tdisabled")
                continue
            }
            if section.kind == "extractor" {
                // An external extractor: started and its handshake checked like a processor's.
                do {
                    let extractor = try await ExternalExtractor.make(section: section)
                    let reads = (extractor.extensions.map { "." + $0 } + extractor.mediaTypes).joined(separator: ",")
                    print("\(section.name)\textractor\t\(extractor.version)\t\(reads)\t(text)\tok")
                    await extractor.shutdown()
                } catch {
                    print("\(section.name)\textractor\t-\t-\t-\terror: \(error)")
                    failures += 1
                }
                continue
            }
            let factory: (any ProcessorFactory)? =
                section.kind == "exec"
                ? ExternalProcessorFactory(name: section.name, defaultTimeout: section.timeout)
                : BuiltinProcessors.registry.factory(named: section.name)
            guard let factory else {
                print("\(section.name)\t\(section.kind)\t-\t-\t-\terror: unknown processor")
                failures += 1
                continue
            }
            do {
                let processor = try await factory.makeProcessor(options: section.options)
                started.append(processor)
                let d = processor.descriptor
                var status = "ok"
                if let external = processor as? ExternalProcessor {
                    // The handshake succeeded: say which worker processes answered it.
                    let pids = await external.workerPIDs()
                    status = "ok: \(pids.count) worker\(pids.count == 1 ? "" : "s") started (pid \(pids.map(String.init).joined(separator: ", ")))"
                }
                print("\(d.name)\t\(section.kind)\t\(d.version)\t\(list(d.requires))\t\(list(d.provides))\t\(status)")
            } catch {
                print("\(section.name)\t\(section.kind)\t-\t-\t-\terror: \(error)")
                failures += 1
            }
        }
        if failures == 0 {
            do {
                let pipeline = try Pipeline(ordering: started)
                print("order: \(pipeline.descriptors.map(\.name).joined(separator: " → "))")
            } catch {
                for e in error.errors { print("error: \(e)") }
                failures += 1
            }
        }
        for p in started { await p.shutdown() }
        if failures > 0 { throw ExitCode(1) }
    }

    private func list(_ layers: [LayerName]) -> String { layers.isEmpty ? "-" : layers.map(\.rawValue).joined(separator: ",") }
}
