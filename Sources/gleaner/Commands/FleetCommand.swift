import ArgumentParser
import Foundation
import GleanerCatalogue
import GleanerConfig
import GleanerCore
import GleanerDaemon
import GleanerFleet
import Logging
import ServiceLifecycle

/// The fleet (issue #18): opening the database a configuration names, for `gleaner run` and `gleaner fleet`.
enum FleetSetup {
    /// The URL of `[fleet]` with its password resolved (from the URL, `password_file` or `password_env`).
    static func url(_ p: PostgresSettings) throws -> PostgresURL {
        do {
            var url = try PostgresURL(parsing: p.url)
            try url.resolvePassword(file: p.passwordFile, variable: p.passwordEnv)
            return url
        } catch {
            printError("gleaner: [fleet] url: \(error)")
            throw ExitCode(2)
        }
    }

    /// The services of a fleet node, to run in the daemon's ServiceGroup before the daemon (so they stop after it).
    static func runtime(_ configuration: GleanerConfiguration, logger: Logger) throws -> (FleetRuntime, [any Service]) {
        let url = try url(configuration.fleet.postgres)
        let aliases = (try? CatalogueHook.aliases(configuration)) ?? AliasTable()
        let database = FleetDatabase(url: url, logger: logger, maximumConnections: configuration.daemon.workers + 4)
        let store = FleetStore(database: database, node: configuration.fleet.node, aliases: aliases, logger: logger)
        let runtime = FleetRuntime(store: store, leases: LeaseRegistry(), doorbell: Doorbell(), health: FleetHealth(), settings: configuration.fleet)
        let listener = FleetListener(store: store, doorbell: runtime.doorbell, logger: logger)
        let heartbeat = FleetHeartbeat(
            store: store, leases: runtime.leases, health: runtime.health, interval: configuration.fleet.heartbeat,
            lease: configuration.fleet.lease, maxAttempts: configuration.daemon.maxAttempts, workers: configuration.daemon.workers, logger: logger)
        logger.info("fleet mode: node \(configuration.fleet.node), database \(url)")
        return (runtime, [database.client, listener, heartbeat])
    }
}

extension FleetSetup {
    /// `[catalogue] backend = "postgres"` on a single node.
    static func catalogue(_ configuration: GleanerConfiguration, logger: Logger) throws -> PostgresCatalogueHook {
        let url = try url(configuration.cataloguePostgres)
        let aliases = (try? CatalogueHook.aliases(configuration)) ?? AliasTable()
        let database = FleetDatabase(url: url, logger: logger, maximumConnections: configuration.daemon.workers + 2)
        logger.info("catalogue: postgres, \(url)")
        return PostgresCatalogueHook(database: database, node: configuration.fleet.node, folders: CatalogueHook.folders(configuration),
                                     aliases: aliases, logger: logger)
    }
}

/// `gleaner fleet status`: the nodes, their heartbeats, and the queue.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "The fleet of nodes over one PostgreSQL (docs/FLEET.md).",
        subcommands: [FleetStatusCommand.self])
}

struct FleetStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the fleet's nodes with their heartbeats, the queue depth, documents in flight and failed.",
        discussion: "Reads the database of [fleet] url. Exit 3 when the database cannot be reached.")

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        guard !configuration.fleet.postgres.url.isEmpty else {
            printError("gleaner fleet status: no [fleet] url (nor [catalogue] url) in the configuration")
            throw ExitCode(2)
        }
        let url = try FleetSetup.url(configuration.fleet.postgres)
        let logger = Logger(label: "gleaner.fleet", factory: { _ in SwiftLogNoOpLogHandler() })
        let database = FleetDatabase(url: url, logger: logger, maximumConnections: 2)
        let store = FleetStore(database: database, node: configuration.fleet.node, logger: logger)
        let runner = Task { await database.client.run() }
        defer { runner.cancel() }
        let status: FleetStatus
        do {
            status = try await withThrowingTaskGroup(of: FleetStatus?.self) { group in
                group.addTask { try await store.status() }
                group.addTask { try await Task.sleep(for: .seconds(10)); return nil }
                defer { group.cancelAll() }
                guard let s = try await group.next() ?? nil else { throw FleetError(.unreachable, "no answer within 10 s") }
                return s
            }
        } catch {
            printError("gleaner fleet status: \(url): \(error)")
            throw ExitCode(3)
        }
        if json {
            print(status.json.prettyPrinted(), terminator: "")
            return
        }
        print("database:    \(url) (schema \(status.schemaVersion))")
        print("queue:       \(status.queued) queued, \(status.inFlight) in flight, \(status.done) done, \(status.failed) failed, \(status.duplicates) duplicate drop(s)")
        print("nodes:")
        for n in status.nodes {
            let age = n.heartbeatAge < 60 ? String(format: "%.1f s ago", n.heartbeatAge) : String(format: "%.0f min ago", n.heartbeatAge / 60)
            print("  \(n.name)  \(n.host) pid \(n.pid)  heartbeat \(age)  \(n.workers) worker(s)  \(n.inFlight) in flight  \(n.processed) processed  \(n.status)")
        }
        if !status.lastFailures.isEmpty {
            print("last failures:")
            for f in status.lastFailures { print("  \(f.name)  \(f.reason): \(f.message)") }
        }
    }
}
