import Foundation
import GleanerConfig
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

    func failed(name: String, reason: String) {
        counters.failed += 1
        if counters.inFlight > 0 { counters.inFlight -= 1 }
        noteError(name: name, reason: reason)
    }

    func noteError(name: String, reason: String) {
        lastErrors.append((Date(), name, reason))
        if lastErrors.count > 10 { lastErrors.removeFirst(lastErrors.count - 10) }
    }

    func report() -> StatusReport {
        StatusReport(
            pid: getpid(), startedAt: startedAt, watchMode: watchMode, queued: counters.queued, settling: counters.settling,
            inFlight: counters.inFlight, processed: counters.processed, failed: counters.failed, lastErrors: lastErrors,
            outboxProblem: outboxProblem, configuration: configuration.sources)
    }
}
