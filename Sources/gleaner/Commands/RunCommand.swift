import ArgumentParser
import Foundation
import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerDaemon
import GleanerFleet
import GleanerPipeline
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `gleaner run`: the long-running service.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: watch the inbox, process every document, write results to the outbox.",
        discussion: """
            Signals: SIGTERM or SIGINT stop taking new files and finish those in flight (within \
            daemon.shutdown_timeout), then exit 0. SIGHUP reloads the configuration, keeping the old one if the new one \
            has errors. Under systemd (Type=notify) it reports READY, STATUS, WATCHDOG, RELOADING and STOPPING.
            """)

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        let level = Logger.Level(rawValue: configuration.logging.level) ?? .info
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, level: level) }
        let logger = Logger(label: "gleaner")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let pipeline = try await buildPipeline(configuration)
        logger.info("gleaner \(GleanerVersion.current): \(configuration.sources.joined(separator: ", ")); pipeline \(pipeline.descriptors.map(\.name).joined(separator: " → "))")
        // Fleet mode (issue #18): the database's connection pool, LISTEN and the heartbeat run beside the daemon.
        var fleet: FleetRuntime?
        var fleetServices: [any Service] = []
        if configuration.fleet.enabled {
            let r = try FleetSetup.runtime(configuration, logger: logger)
            fleet = r.0
            fleetServices = r.1
        }
        let postgresCatalogue = !configuration.fleet.enabled && configuration.catalogueBackend == .postgres
            ? try FleetSetup.catalogue(configuration, logger: logger) : nil
        if let postgresCatalogue { fleetServices.append(postgresCatalogue.database.client) }
        let daemon = Daemon(
            configuration: configuration, configPath: options.config, pipeline: pipeline, logger: logger,
            makePipeline: { (config: GleanerConfiguration) async throws(ConfigurationErrors) -> Pipeline in
                try await PipelineBuilder.build(config, registry: BuiltinProcessors.registry)
            },
            metrics: MetricsExporter(registry: registry), fleet: fleet,
            postgresCatalogue: postgresCatalogue)
        var groupConfiguration = ServiceGroupConfiguration(
            services: fleetServices.map { .init(service: $0) } + [.init(service: daemon)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.daemon.shutdownTimeout
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            logger.critical("gleaner stopped: \(error)")
            await pipeline.shutdown()
            throw ExitCode(1)
        }
        await pipeline.shutdown()
    }
}

/// `gleaner status`: what the running daemon reports.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the daemon's queue depth, counts, last errors and uptime.",
        discussion: "Reads <state>/status.json, which the daemon refreshes every daemon.status_interval. Exit 3 when no daemon is running.")

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print the status file's JSON as it is.")
    var json = false

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        let path = StatusReport.path(state: configuration.state)
        guard let data = FileManager.default.contents(atPath: path), let status = try? JSONValue.parse(bytes: Array(data)) else {
            printError("gleaner status: no status at \(path): the daemon has not run with this configuration")
            throw ExitCode(3)
        }
        let pid = status["pid"]?.intValue ?? 0
        let running = pid > 0 && kill(pid_t(pid), 0) == 0
        if json {
            print(status.prettyPrinted(), terminator: "")
            if !running { throw ExitCode(3) }
            return
        }
        func value(_ key: String) -> String {
            guard let v = status[key] else { return "-" }
            switch v {
            case .string(let s): return s
            case .null: return "-"
            default: return v.serialized()
            }
        }
        print("daemon:      \(running ? "running (pid \(pid))" : "not running (last pid \(pid))")")
        let reasons = (status["degraded_reasons"]?.arrayValue ?? []).compactMap(\.stringValue)
        print("state:       \(reasons.isEmpty ? "ok" : "DEGRADED: " + reasons.joined(separator: "; "))")
        print("uptime:      \(formatUptime(status["uptime_seconds"]?.intValue ?? 0)) (since \(value("started_at")))")
        print("watching:    \(configuration.inbox) (\(value("watch_mode")))")
        print("queue depth: \(value("queue_depth")), in flight: \(value("in_flight"))")
        print("processed:   \(value("processed")), failed: \(value("failed"))")
        for u in status["unavailable_processors"]?.arrayValue ?? [] {
            print("unavailable: \(u["name"]?.stringValue ?? "") (required = false): \(u["reason"]?.stringValue ?? ""); attempt \(u["attempts"]?.intValue ?? 0), next at \(u["next_attempt"]?.stringValue ?? "-")")
        }
        if let failures = status["processor_failures"]?.objectValue, !failures.isEmpty {
            print("processors:  " + failures.map { "\($0.0) \($0.1.intValue ?? 0) failed" }.joined(separator: ", "))
        }
        if case .string(let problem)? = status["outbox_problem"] { print("outbox:      PROBLEM: \(problem)") }
        if case .string(let problem)? = status["database_problem"] { print("database:    PROBLEM: \(problem) (fleet: inbox files are kept, retrying)") }
        print("updated:     \(value("updated_at"))")
        let errors = status["last_errors"]?.arrayValue ?? []
        if !errors.isEmpty {
            print("last errors:")
            for e in errors { print("  \(e["time"]?.stringValue ?? "")  \(e["name"]?.stringValue ?? "")  \(e["reason"]?.stringValue ?? "")") }
        }
        if !running { throw ExitCode(3) }
    }

    func formatUptime(_ s: Int) -> String {
        s >= 86400 ? "\(s / 86400)d \(s % 86400 / 3600)h" : s >= 3600 ? "\(s / 3600)h \(s % 3600 / 60)m" : "\(s / 60)m \(s % 60)s"
    }
}
