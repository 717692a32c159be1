import ArgumentParser
import GleanerCore

@main
struct Gleaner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gleaner",
        abstract: "Watches an inbox of documents and annotates them: language, entities, quotations.",
        discussion: """
            Drop news articles, interviews and transcripts (.txt, .md, .html, .pdf, .docx, .odt, .epub, .eml, .mbox) into the inbox; \
            `gleaner run` writes a JSON result (gleaner.document/1) and an HTML view per document into the outbox.
            """,
        version: GleanerVersion.current,
        subcommands: [
            RunCommand.self, ProcessCommand.self, ExtractCommand.self, CheckConfigCommand.self, StatusCommand.self, PluginsCommand.self,
            PluginCommand.self,
            LanguageCLI.self, EntitiesCLI.self, QuotesCLI.self, CatalogueCommand.self, ServeCommand.self,
            FleetCommand.self,
        ])
}

/// `--config PATH`, shared by the commands that read the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The main configuration file (its processors.d/ is read too). Default: the embedded default config.")
    var config: String?
}
