import ArgumentParser
import GleanerConfig
import GleanerPipeline

/// `gleaner check-config`: validates the configuration and every processor's options.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration files and processor options; exit non-zero on any mistake.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        let pipeline = try await buildPipeline(configuration)
        print("configuration OK: \(configuration.sources.joined(separator: ", "))")
        print("inbox:  \(configuration.inbox)")
        print("outbox: \(configuration.outbox)")
        print("pipeline: \(pipeline.descriptors.map(\.name).joined(separator: " → "))")
        for case let optional as OptionalProcessor in pipeline.processors {
            if let u = optional.unavailable {
                print("warning: processor \(optional.descriptor.name) (required = false) does not start: \(u.reason); the daemon starts without it and retries")
            }
        }
        await pipeline.shutdown()
    }
}
