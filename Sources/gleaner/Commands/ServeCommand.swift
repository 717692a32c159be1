import ArgumentParser
import Foundation
import GleanerCatalogue
import GleanerConfig
import GleanerServe
import Logging

/// `gleaner serve`: the local web app over the catalogue (issue #15).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the catalogue as a read-only web app and JSON API (default http://127.0.0.1:8080/).",
        discussion: """
            Reads the catalogue ([catalogue] path) that `gleaner run` and `gleaner process` write; new documents \
            appear without a reload. Listening beyond loopback needs [serve] token. See docs/SERVE.md.
            """)

    @OptionGroup var options: ConfigOption

    @Option(help: "host:port to listen on (default: [serve] listen). Port 0 picks a free port.")
    var listen: String?

    @Flag(help: "Do not bring the catalogue in line with the results on disk at start-up.")
    var noRepair = false

    func run() async throws {
        let configuration = try loadConfiguration(options.config)
        let listen = self.listen ?? configuration.serve.listen
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            printError("gleaner: --listen must be host:port, not \(listen)")
            throw ExitCode(2)
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1"
        if !loopback, configuration.serve.token.count < 16 {
            printError("gleaner: listening on \(listen) (not loopback) needs [serve] token, at least 16 characters")
            throw ExitCode(2)
        }
        guard configuration.catalogue.enabled else {
            printError("gleaner: the catalogue is disabled ([catalogue] enabled = false): nothing to serve")
            throw ExitCode(2)
        }
        let catalogue = try openCatalogue(configuration)
        // Documents written before the catalogue existed (or while it was off) are read now.
        if !noRepair, let fixed = try? catalogue.repair(CatalogueHook.folders(configuration)), !fixed.isEmpty {
            printError("gleaner: catalogue repaired: \(fixed)")
        }
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .notice
            return h
        }
        let app = WebApp(catalogue: catalogue, folders: CatalogueHook.folders(configuration), archive: configuration.archive,
                         token: configuration.serve.token)
        let bindHost = host
        try await app.run(host: bindHost, port: port, logger: Logger(label: "gleaner-serve")) { bound in
            let shown = bindHost.contains(":") ? "[\(bindHost)]" : bindHost
            printError("gleaner: serving the catalogue on http://\(shown):\(bound)/")
        }
    }
}
