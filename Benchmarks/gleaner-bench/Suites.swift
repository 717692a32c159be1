/// A named group of benchmarks. Each processor adds its suite in its own file
/// (`<Name>Benchmarks.swift`) and one line here.
struct BenchmarkSuite: Sendable {
    var name: String
    var run: @Sendable (inout BenchReport) async throws -> Void
}

let benchmarkSuites: [BenchmarkSuite] = [
    textSuite,
    extractSuite,
    languageSuite,
    entitySuite,
    quoteSuite,
    externalSuite,
    daemonSuite,
    soakSuite,
    catalogueSuite,
    fleetSuite,
]
