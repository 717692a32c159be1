import ArgumentParser

/// `gleaner run`: the long-running service.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon: watch the inbox, process every document, write results to the outbox.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        printError("gleaner run: the daemon is not built yet")
        throw ExitCode(1)
    }
}

/// `gleaner status`: what the running daemon reports.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the daemon's queue depth, counts, last errors and uptime.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        printError("gleaner status: the daemon is not built yet")
        throw ExitCode(1)
    }
}
