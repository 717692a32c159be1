import Foundation

// `make bench` (release build): prints each figure; docs/BENCHMARKS.md keeps them.
// Usage: gleaner-bench [FILTER...]   e.g. gleaner-bench tokenizer language
// The report is a local of a function: a top-level variable is main-actor state
// and cannot be passed inout to the suites' async closures.
func runBenchmarks() async {
    var report = BenchReport(filters: Array(CommandLine.arguments.dropFirst()))
    print("gleaner-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, filters: \(report.filters)")
    for suite in benchmarkSuites where report.wants(suite.name) || suite.alwaysRun(report.filters) {
        print("## \(suite.name)")
        do {
            try await suite.run(&report)
        } catch {
            print("  \(suite.name) failed: \(error)")
            exit(1)
        }
    }
}
await runBenchmarks()
