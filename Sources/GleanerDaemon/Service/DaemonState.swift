import Foundation
import GleanerConfig
import GleanerCore
import GleanerPipeline
import GleanerView

/// The outbox index's lists, saved in the state folder so `index.html` survives restarts.
struct SavedIndex: Codable, Sendable {
    var entries: [IndexEntry]
    var failed: [FailedEntry]
}

/// The daemon's mutable state: the current configuration and pipeline
/// (replaced on reload) and the counters behind `gleaner status`.
actor DaemonState {
    private(set) var configuration: GleanerConfiguration
    private(set) var pipeline: Pipeline
    private(set) var isShuttingDown = false
    private(set) var watchMode = "starting"
    private var counters = (received: 0, processed: 0, failed: 0, inFlight: 0, queued: 0, settling: 0)
    private var lastErrors: [(time: Date, name: String, reason: String)] = []
    private var outboxProblem: String?
    /// Per processor: failed runs since start, and the last error of those whose latest run failed.
    private var processorFailures: [String: Int] = [:]
    private var failing: [String: String] = [:]
    private let startedAt = Date()
    private var index = SavedIndex(entries: [], failed: [])
    private var indexChanged = true
    static let indexLimit = 500

    func restoreIndex(_ saved: SavedIndex) { index = saved; indexChanged = true }

    func indexed(_ entry: IndexEntry) {
        index.entries.removeAll { $0.jsonPath == entry.jsonPath }
        index.entries.insert(entry, at: 0)
        if index.entries.count > Self.indexLimit { index.entries.removeLast(index.entries.count - Self.indexLimit) }
        indexChanged = true
    }

    func indexedFailure(_ entry: FailedEntry) {
        index.failed.insert(entry, at: 0)
        if index.failed.count > Self.indexLimit { index.failed.removeLast(index.failed.count - Self.indexLimit) }
        indexChanged = true
    }

    /// The index when it changed since the last call: written with the status, not per document.
    func takeIndexIfChanged() -> SavedIndex? {
        guard indexChanged else { return nil }
        indexChanged = false
        return index
    }

    init(configuration: GleanerConfiguration, pipeline: Pipeline) {
        self.configuration = configuration
        self.pipeline = pipeline
    }

    // MARK: Pipeline generations

    /// Documents in flight per pipeline generation; a replaced generation is shut down when its last
    /// document is done, not after a fixed delay, so reloads never pile up plugin workers.
    private var generation = 0
    private var users: [Int: Int] = [:]
    private var retired: [Int: (pipeline: Pipeline, drained: [CheckedContinuation<Void, Never>])] = [:]

    /// The pipeline for one document; give it back with `release(generation:)`.
    func acquirePipeline() -> (pipeline: Pipeline, generation: Int) {
        users[generation, default: 0] += 1
        return (pipeline, generation)
    }

    func release(generation g: Int) {
        users[g, default: 1] -= 1
        if users[g] == 0 { users[g] = nil }
        shutDownIfDrained(g)
    }

    /// Replaces the pipeline; the old one is shut down once its documents are done. Returns when it is.
    func replaceAndDrain(configuration: GleanerConfiguration, pipeline: Pipeline, swapped: @Sendable () -> Void) async {
        let old = replace(configuration: configuration, pipeline: pipeline)
        swapped()
        let oldGeneration = generation
        generation += 1
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            retired[oldGeneration] = (old, [c])
            shutDownIfDrained(oldGeneration)
        }
    }

    private func shutDownIfDrained(_ g: Int) {
        guard users[g] == nil, let entry = retired.removeValue(forKey: g) else { return }
        Task {
            await entry.pipeline.shutdown()
            for c in entry.drained { c.resume() }
        }
    }

    /// Pipelines still draining after a reload (for status and tests).
    var drainingPipelines: Int { retired.count }

    func replace(configuration: GleanerConfiguration, pipeline: Pipeline) -> Pipeline {
        let old = self.pipeline
        var updated = configuration
        // Paths are fixed for the life of the process.
        updated.inbox = self.configuration.inbox
        updated.outbox = self.configuration.outbox
        updated.state = self.configuration.state
        updated.failed = self.configuration.failed
        updated.archive = self.configuration.archive
        updated.logs = self.configuration.logs
        self.configuration = updated
        self.pipeline = pipeline
        return old
    }

    func beginShutdown() { isShuttingDown = true }
    func setWatchMode(_ mode: String) { watchMode = mode }
    func setQueue(queued: Int, settling: Int) { counters.queued = queued; counters.settling = settling }
    func received() { counters.received += 1 }
    func started() { counters.inFlight += 1 }
    func finished() { counters.inFlight -= 1 }
    func processed() { counters.processed += 1; counters.inFlight -= 1 }
    func setOutboxProblem(_ problem: String?) { outboxProblem = problem }
    /// Fleet mode: the database does not answer (issue #18).
    private var databaseProblem: String?
    func setDatabaseProblem(_ problem: String?) { databaseProblem = problem }

    /// One document's processor runs: a processor whose latest run failed makes the daemon degraded until it
    /// succeeds again.
    func recordRuns(_ runs: [ProcessorRun]) {
        for run in runs {
            switch run.outcome {
            case .ok:
                failing[run.name] = nil
            case .failed:
                processorFailures[run.name, default: 0] += 1
                // An unavailable optional processor is reported from its own state (below), live.
                if run.reason != ProcessorError.Code.unavailable.rawValue { failing[run.name] = run.reason ?? "error" }
            case .skipped:
                break
            }
        }
    }

    func failed(name: String, reason: String) {
        counters.failed += 1
        if counters.inFlight > 0 { counters.inFlight -= 1 }
        noteError(name: name, reason: reason)
    }

    func noteError(name: String, reason: String) {
        lastErrors.append((Date(), name, reason))
        if lastErrors.count > 10 { lastErrors.removeFirst(lastErrors.count - 10) }
    }

    /// Optional processors (`required = false`) that are not running now.
    var unavailableProcessors: [StatusReport.UnavailableProcessor] {
        pipeline.processors.compactMap { p in
            guard let o = p as? OptionalProcessor, let u = o.unavailable else { return nil }
            return StatusReport.UnavailableProcessor(name: o.descriptor.name, reason: u.reason, since: u.since, attempts: u.attempts, nextAttempt: u.nextAttempt)
        }
    }

    func report() -> StatusReport {
        let unavailable = unavailableProcessors
        return StatusReport(
            pid: getpid(), startedAt: startedAt, watchMode: watchMode, queued: counters.queued, settling: counters.settling,
            inFlight: counters.inFlight, processed: counters.processed, failed: counters.failed, lastErrors: lastErrors,
            outboxProblem: outboxProblem, configuration: configuration.sources,
            processorFailures: processorFailures,
            degradedReasons: unavailable.map { "processor \($0.name) unavailable" }
                + failing.sorted { $0.key < $1.key }.map { "processor \($0.key) failing (\($0.value))" }
                + (outboxProblem == nil ? [] : ["outbox problem"])
                + (databaseProblem == nil ? [] : ["database problem"]),
            unavailable: unavailable, processors: pipeline.descriptors.map(\.name), databaseProblem: databaseProblem)
    }
}
