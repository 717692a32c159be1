import ArgumentParser
import Foundation
import GleanerCatalogue
import GleanerConfig

/// `gleaner catalogue rebuild|verify`: the catalogue against the results on disk (issue #15).
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Rebuild or verify the catalogue of results (SQLite, [catalogue] path).",
        subcommands: [Rebuild.self, Verify.self])

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recreate the catalogue from the results in the outbox, applying the alias file ([catalogue] aliases).")
        @OptionGroup var options: ConfigOption

        func run() throws {
            let configuration = try loadConfiguration(options.config)
            let catalogue = try openCatalogue(configuration)
            let clock = ContinuousClock()
            let started = clock.now
            let n: Int
            do { n = try catalogue.rebuild(fromOutbox: CatalogueHook.folders(configuration)) } catch {
                printError("gleaner: \(error)")
                throw ExitCode(1)
            }
            let counts = (try? catalogue.counts()) ?? [:]
            print("catalogue \(configuration.catalogue.path): \(n) files read in \(clock.now - started): "
                + "\((counts["document"] ?? 0) - (counts["failed"] ?? 0)) documents, \(counts["failed"] ?? 0) failed, "
                + "\(counts["entity"] ?? 0) entities, \(counts["quotation"] ?? 0) quotations")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the catalogue with the results on disk; exit 1 when they differ (with --repair: fix it).")
        @OptionGroup var options: ConfigOption
        @Flag(help: "Bring the catalogue in line with the results on disk.") var repair = false

        func run() throws {
            let configuration = try loadConfiguration(options.config)
            let catalogue = try openCatalogue(configuration)
            let folders = CatalogueHook.folders(configuration)
            do {
                let d = repair ? try catalogue.repair(folders) : try catalogue.verify(folders)
                for p in d.missing { print("missing\t\(p)") }
                for p in d.stale { print("stale\t\(p)") }
                for p in d.changed { print("changed\t\(p)") }
                printError("gleaner: catalogue \(configuration.catalogue.path): \(repair ? "repaired: " : "")\(d)")
                if !d.isEmpty, !repair { throw ExitCode(1) }
            } catch let error as CatalogueError {
                printError("gleaner: \(error)")
                throw ExitCode(1)
            }
        }
    }
}

func openCatalogue(_ configuration: GleanerConfiguration) throws -> Catalogue {
    do {
        let aliases = try CatalogueHook.aliases(configuration)
        for p in aliases.problems { printError("gleaner: \(p)") }
        return try Catalogue(path: configuration.catalogue.path, aliases: aliases)
    } catch {
        printError("gleaner: \(error)")
        throw ExitCode(1)
    }
}
