import Foundation
import GleanerCatalogue
import GleanerConfig
import GleanerCore
import GleanerFleet
import GleanerPipeline
import GleanerView
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Builds a pipeline from a configuration; the daemon calls it at start and on SIGHUP.
public typealias PipelineFactory = @Sendable (GleanerConfiguration) async throws(ConfigurationErrors) -> Pipeline

/// The long-running service: watches the inbox, claims each ready file,
/// runs it through the pipeline, writes the result durably, then archives
/// the original. Nothing is lost: a file leaves the inbox only by an atomic
/// rename into the claim folder, and leaves that only after its result (or
/// its failure record) is on disk.
public final class Daemon: Service, Sendable {
    let configPath: String?
    let logger: Logger
    let makePipeline: PipelineFactory
    let state: DaemonState
    let notifier = SystemdNotifier()
    let metrics: DaemonMetrics
    let exporter: MetricsExporter?
    let alive = Heartbeat()
    /// Fleet mode (issue #18, Fleet/FleetMode.swift), nil for a single node.
    let fleet: FleetRuntime?
    /// `[catalogue] backend = "postgres"` on a single node (issue #18), nil otherwise.
    let postgresCatalogue: PostgresCatalogueHook?

    public init(
        configuration: GleanerConfiguration, configPath: String?, pipeline: Pipeline, logger: Logger,
        makePipeline: @escaping PipelineFactory, metrics exporter: MetricsExporter? = nil, fleet: FleetRuntime? = nil,
        postgresCatalogue: PostgresCatalogueHook? = nil
    ) {
        self.fleet = fleet
        self.postgresCatalogue = postgresCatalogue
        self.exporter = exporter
        self.metrics = DaemonMetrics(registry: exporter?.registry ?? PrometheusCollectorRegistry(), version: GleanerVersion.current)
        self.configPath = configPath
        self.logger = logger
        self.makePipeline = makePipeline
        self.state = DaemonState(configuration: configuration, pipeline: pipeline)
    }

    // MARK: Run

    public func run() async throws {
        let configuration = await state.configuration
        // Results, failures and logs are readable by the owner and its group only, unless configured.
        umask(mode_t(configuration.output.umask))
        ProcessingExecutor.shared.resize(to: configuration.daemon.workers)
        metrics.register(processors: (await state.pipeline).descriptors.map(\.name))
        PluginEvents.onWorkerRestart { [metrics] in metrics.workerRestarted($0) }
        for u in await state.unavailableProcessors {
            logger.warning("processor \(u.name) (required = false) is not running: \(u.reason); documents are processed without it; retrying with back-off")
        }
        let inbox = RawPath(configuration.inbox)
        let claims = ClaimStore(state: configuration.state)
        let outbox = Outbox(
            outbox: RawPath(configuration.outbox), failed: RawPath(configuration.failed), archive: RawPath(configuration.archive))
        do {
            try RawFS.makeDirectories(inbox)
            try claims.prepare()
            try outbox.prepare()
            try RawFS.makeDirectories(RawPath(configuration.logs))
        } catch {
            logger.critical("cannot prepare the folders: \(error)")
            throw error
        }
        if let a = RawFS.lstat(inbox), let b = RawFS.lstat(claims.folder), a.st_dev != b.st_dev {
            let message = "the state folder \(configuration.state) must be on the inbox's file system, so that claiming a file is an atomic rename"
            logger.critical("\(message)")
            throw DaemonError(message: message)
        }
        let events = EventLog(folder: configuration.logs, maxBytes: configuration.logging.fileMaxBytes, kept: configuration.logging.filesKept)
        let largeBytes = Int64(configuration.daemon.largeDocumentBytes)
        let queue = WorkQueue<WorkItem>(capacity: configuration.daemon.queueCapacity) { item in
            let path: RawPath
            switch item {
            case .inbox(let p): path = p
            case .claimed(let claim): path = claims.dataPath(claim)
            }
            return (RawFS.lstat(path).map { Int64($0.st_size) } ?? 0) >= largeBytes
        }
        let tracker = ReadinessTracker(settle: configuration.daemon.settle)
        let ignore = IgnoreRules(patterns: configuration.daemon.ignore)
        let excluded = [RawPath(configuration.state), RawPath(configuration.outbox)]
        let scanner = InboxScanner(ignore: ignore, excluded: excluded)
        // >>> catalogue hook (issue #15): open the catalogue and repair it against the results on disk.
        // In fleet mode the catalogue is the fleet's, in PostgreSQL (issue #18).
        let catalogue = fleet != nil || postgresCatalogue != nil ? nil : CatalogueHook.open(configuration, repair: true) { [logger] in logger.notice("\($0)") }
        // <<< catalogue hook
        let context = Context(
            inbox: inbox, claims: claims, outbox: outbox, events: events, queue: queue, tracker: tracker, ignore: ignore,
            catalogue: catalogue, postgres: postgresCatalogue)
        if let postgresCatalogue { repairInBackground(postgresCatalogue) }

        if let saved = try? RawFS.readAll(RawPath(configuration.state).appending("index.json")),
            let index = try? JSONDecoder().decode(SavedIndex.self, from: Data(saved))
        {
            await state.restoreIndex(index)
        }

        // Half-written results of a crash: their documents are still claimed or in the inbox.
        let interrupted = outbox.removeInterruptedWrites()
        if interrupted > 0 { logger.notice("removed \(interrupted) temporary file(s) of writes interrupted by an earlier stop") }

        // Claims a crash left behind go first.
        let leftovers = claims.leftovers()
        var recovered: [Claim] = []
        for var claim in leftovers {
            if claim.attempts >= configuration.daemon.maxAttempts {
                let message = "processing was interrupted \(claim.attempts) times (the daemon crashed or was killed): moved aside so it cannot crash it again"
                logger.error("\(claim.relative.display.debugDescription): \(message)")
                _ = try? outbox.fail(claims.dataPath(claim), relative: claim.relative, reason: "crashed", message: message, processor: nil)
                claims.release(claim)
                await state.failed(name: claim.relative.display, reason: "crashed")
                await events.record("failed", [("name", .string(claim.relative.display)), ("claim", .string(claim.id)), ("reason", "crashed"), ("message", .string(message))])
                continue
            }
            claim.attempts += 1
            try? claims.writeSidecar(claim)
            recovered.append(claim)
        }
        if !recovered.isEmpty { logger.notice("resuming \(recovered.count) document(s) claimed before a stop") }

        // Watches first, then the scan: a file dropped in between is seen by one or the other.
        var watcher: InotifyWatcher?
        if let fs = FileSystemKind.withoutInotify(inbox) {
            logger.warning("the inbox is on \(fs), where inotify sees no changes made elsewhere: polling every \(configuration.daemon.pollInterval)")
            await state.setWatchMode("polling (\(fs))")
        } else {
            do {
                watcher = try await InotifyWatcher(root: inbox, excluding: excluded)
                await state.setWatchMode("inotify")
            } catch {
                logger.warning("inotify is not available (\(error)): polling every \(configuration.daemon.pollInterval)")
                await state.setWatchMode("polling")
            }
        }
        var initial = 0
        await scanner.scan(inbox) { path in
            await tracker.sighted(path)
            initial += 1
        }
        let mode = await state.watchMode
        // SIGHUP is trapped before the daemon says it is up: a reload asked right after the start must not
        // meet the signal's default action (which ends the process).
        let reloadSignals = await UnixSignalsSequence(trapping: .sighup)
        await events.record("started", [
            ("version", .string(GleanerVersion.current)), ("pid", .int(Int(getpid()))),
            ("configuration", .array(configuration.sources.map(JSONValue.string))),
            ("pipeline", .array((await state.pipeline).descriptors.map { .string($0.name) })),
            ("workers", .int(configuration.daemon.workers)), ("watch_mode", .string(mode)), ("waiting", .int(initial)),
        ])
        logger.info("watching \(configuration.inbox) (\(mode)); \(initial) file(s) waiting, \(configuration.daemon.workers) worker(s)")
        if let exporter, !configuration.metrics.listen.isEmpty {
            do {
                try exporter.serve(configuration.metrics.listen)
                logger.info("metrics on http://\(configuration.metrics.listen)/metrics")
            } catch {
                logger.error("\(error); metrics are not served")
            }
        }
        notifier.notify("READY=1\nSTATUS=watching \(configuration.inbox)")

        let activeWatcher = watcher
        let resumed = recovered
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for claim in resumed { await queue.push(.claimed(claim)) }
                }
                // With two workers or more, one of them takes no large document, so that large ones
                // cannot hold every worker (daemon.large_document_bytes).
                let workers = configuration.daemon.workers
                if let fleet = self.fleet {
                    // Fleet mode (issue #18): claimed files are registered in PostgreSQL; workers take from its queue.
                    group.addTask { await self.prepareFleet(fleet, context, workers: workers) }
                    group.addTask { await self.fleetRegistrar(fleet, context) }
                    for _ in 0..<workers { group.addTask { await self.fleetWorker(fleet, context) } }
                } else {
                    for k in 0..<workers {
                        group.addTask { await self.work(context, takesLarge: workers == 1 || k > 0) }
                    }
                }
                // The producers and housekeeping stop when shutdown closes the queue.
                let housekeeping = Task {
                    await withTaskGroup(of: Void.self) { inner in
                        if let activeWatcher {
                            inner.addTask { await self.consume(activeWatcher, scanner: scanner, context: context) }
                        }
                        inner.addTask { await self.feed(context) }
                        inner.addTask { await self.rescan(scanner: scanner, context: context, watcher: activeWatcher) }
                        inner.addTask { await self.reportStatus(context) }
                        inner.addTask { await self.keepWatchdog() }
                        inner.addTask { await self.handleReloads(context.events, signals: reloadSignals) }
                        inner.addTask { await self.exportMetrics() }
                    }
                }
                await group.waitForAll()
                housekeeping.cancel()
                await housekeeping.value
            }
        } onGracefulShutdown: {
            self.notifier.notify("STOPPING=1\nSTATUS=stopping: finishing documents in flight")
            self.logger.notice("stopping: no new documents; finishing those in flight")
            activeWatcher?.stop()
            Task {
                _ = await queue.close()
                await self.state.beginShutdown()
                self.fleet?.doorbell.ring()
            }
        }
        activeWatcher?.stop()
        exporter?.stop()
        // Catalogue rows handed to a batch still being written (grouped commits) are in before we stop.
        if let catalogue { await onIOThreads { catalogue.drain() } }
        await writeStatus(context)
        let final = await state.report()
        await events.record("stopped", [
            ("processed", .int(final.processed)), ("failed", .int(final.failed)), ("in_flight", .int(final.inFlight)),
            ("uptime_seconds", .int(Int(Date().timeIntervalSince(final.startedAt)))),
        ])
        await events.close()
        logger.notice("stopped: \(final.summary)")
    }

    struct Context: Sendable {
        let inbox: RawPath
        let claims: ClaimStore
        let outbox: Outbox
        let events: EventLog
        let queue: WorkQueue<WorkItem>
        let tracker: ReadinessTracker
        let ignore: IgnoreRules
        /// The catalogue (issue #15), nil when disabled.
        let catalogue: CatalogueHook?
        /// The catalogue in PostgreSQL (`[catalogue] backend = "postgres"`, issue #18), nil otherwise.
        var postgres: PostgresCatalogueHook? = nil
    }

    enum WorkItem: Sendable {
        /// A ready file still in the inbox.
        case inbox(RawPath)
        /// A file claimed before a stop.
        case claimed(Claim)
    }

    // MARK: Producers

    /// Turns watcher events into readiness updates.
    func consume(_ watcher: InotifyWatcher, scanner: InboxScanner, context: Context) async {
        for await event in watcher.events {
            if await state.isShuttingDown { return }
            switch event {
            case .written(let path):
                if !isIgnored(path, context) { await context.tracker.touch(path) }
            case .modified(let path):
                await context.tracker.modified(path)
            case .created(let path):
                if let st = RawFS.lstat(path), st.st_mode & S_IFMT != S_IFREG || st.st_nlink > 1, !isIgnored(path, context) {
                    await context.tracker.touch(path)
                }
            case .directoryAppeared(let path):
                if !isIgnored(path, context) {
                    await scanner.scan(path) { await context.tracker.sighted($0) }
                }
            case .rescan(let reason, let folders):
                let found = await reconcile(scanner: scanner, context: context)
                if found > 0 {
                    logger.notice("\(reason): \(found) file(s) were waiting unseen; now handled (\(folders) folder(s) watched)")
                    await context.events.record("reconciled", [
                        ("reason", .string(reason)), ("folders", .int(folders)), ("found", .int(found)),
                    ])
                } else if !reason.hasPrefix("periodic") {
                    logger.warning("\(reason): rescanned the inbox")
                }
            case .inboxRecreated:
                logger.warning("the inbox \(context.inbox.display) was created again: watching it again")
                do {
                    try context.claims.prepare()
                    try context.outbox.prepare()
                } catch {
                    logger.error("cannot recreate the daemon's folders: \(error)")
                }
                _ = await reconcile(scanner: scanner, context: context)
            case .warning(let message):
                logger.warning("\(message)")
            case .failed(let message):
                logger.error("watching stopped: \(message); falling back to polling")
                await state.setWatchMode("polling (after: \(message))")
                return
            }
        }
    }

    /// A full scan of the inbox; returns how many files it found that the daemon did not know of.
    func reconcile(scanner: InboxScanner, context: Context) async -> Int {
        var found = 0
        await scanner.scan(context.inbox) { path in
            if await context.tracker.sighted(path) { found += 1 }
        }
        return found
    }

    /// Hands settled files to the workers, waiting when the queue is full.
    func feed(_ context: Context) async {
        while !Task.isCancelled, !(await state.isShuttingDown) {
            alive.beat()
            for path in await context.tracker.due() {
                guard await context.queue.push(.inbox(path)) else { return }
            }
            let settle = await state.configuration.daemon.settle
            try? await Task.sleep(for: min(max(settle / 4, .milliseconds(10)), .milliseconds(100)))
        }
    }

    /// Periodic full scans: in polling mode every `poll_interval`; with inotify every `rescan_interval`,
    /// as a reconciliation that also watches any folder a race left unwatched.
    func rescan(scanner: InboxScanner, context: Context, watcher: InotifyWatcher?) async {
        while !Task.isCancelled {
            let d = await state.configuration.daemon
            let mode = await state.watchMode
            let polling = watcher == nil || mode.hasPrefix("polling")
            let interval = polling ? d.pollInterval : d.rescanInterval
            guard interval > .zero else {
                do { try await Task.sleep(for: .seconds(1)) } catch { return }
                continue
            }
            do { try await Task.sleep(for: interval) } catch { return }
            if await state.isShuttingDown { return }
            if let watcher, !polling {
                watcher.reconcile()  // the watcher thread re-walks the tree, then asks for the scan
            } else {
                let found = await reconcile(scanner: scanner, context: context)
                if found > 0 { logger.info("polling found \(found) new file(s)") }
            }
        }
    }

    func isIgnored(_ path: RawPath, _ context: Context) -> Bool {
        guard let relative = relativePath(path, inbox: context.inbox) else { return true }
        return context.ignore.ignores(relative: relative)
    }

    func relativePath(_ path: RawPath, inbox: RawPath) -> RawPath? {
        var prefix = inbox.bytes
        if prefix.last != UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
        guard path.bytes.starts(with: prefix) else { return nil }
        return RawPath(bytes: Array(path.bytes.dropFirst(prefix.count)))
    }

    // MARK: Workers

    func work(_ context: Context, takesLarge: Bool) async {
        while let item = await context.queue.pop(large: takesLarge) {
            switch item {
            case .inbox(let path):
                await claimAndProcess(path, context)
            case .claimed(let claim):
                await process(claim, context)
            }
        }
    }

    func claimAndProcess(_ path: RawPath, _ context: Context) async {
        defer { Task { await context.tracker.done(path) } }
        guard let relative = relativePath(path, inbox: context.inbox) else { return }
        // One correlation id for every event and log line of this document: the claim's id, chosen now.
        let id = ClaimStore.newID()
        guard let st = RawFS.lstat(path) else {
            logger.info("\(relative.display.debugDescription) vanished before it could be claimed")
            await context.events.record("vanished", [("name", .string(relative.display)), ("claim", .string(id))])
            return
        }
        if st.st_mode & S_IFMT == S_IFDIR { return }
        await context.events.record("received", [("name", .string(relative.display)), ("claim", .string(id)), ("bytes", .int(Int(st.st_size)))])
        metrics.received.increment()
        await state.received()
        let claim: Claim
        do {
            claim = try context.claims.claim(path, relative: relative, id: id)
        } catch {
            switch error {
            case .vanished:
                logger.info("\(relative.display.debugDescription) vanished before it could be claimed")
                await context.events.record("vanished", [("name", .string(relative.display)), ("claim", .string(id))])
            case .failed(let failure):
                logger.error("cannot claim \(relative.display.debugDescription): \(failure); it stays in the inbox")
                await state.noteError(name: relative.display, reason: "claim failed: \(failure)")
            }
            return
        }
        await context.events.record("claimed", [("name", .string(relative.display)), ("claim", .string(claim.id))])
        await process(claim, context)
    }

    func process(_ claim: Claim, _ context: Context) async {
        // The pipeline generation is held until the document is done (a late run included), so a reload
        // shuts the old pipeline down exactly when nothing uses it any more.
        let (pipeline, generation) = await state.acquirePipeline()
        await process(claim, context, pipeline: pipeline)
        await state.release(generation: generation)
    }

    func process(_ claim: Claim, _ context: Context, pipeline: Pipeline) async {
        // Every log line of this document carries its correlation id, as its events do.
        var logger = self.logger
        logger[metadataKey: "claim"] = "\(claim.id)"
        await state.started()
        let name = claim.relative.display
        let file = context.claims.dataPath(claim)
        let configuration = await state.configuration
        let clock = ContinuousClock()
        let started = clock.now
        let job = DocumentJob(
            file: file, name: name, pipeline: pipeline, html: configuration.output.html, pretty: configuration.output.pretty)

        // Everything that grows with the input (reading, extraction, processors, the JSON, the views) runs on
        // the processing threads, inside the document's time limit. One input may give several documents
        // (an e-mail's attachments, an mbox's messages).
        var prepared: [DocumentJob.Prepared]?
        for attempt in 1...3 {
            var abandoned: LateWork?
            let outcome = await withTimeLimit(configuration.daemon.documentTimeout, late: { abandoned = $0 }) { await job.prepare() }
            guard let outcome else {
                if Task.isCancelled {
                    // Shutdown ran out of time (daemon.shutdown_timeout): the document stays claimed and is
                    // resumed at the next start. A stop is no crash: it does not count as an attempt.
                    var kept = claim
                    kept.attempts -= 1
                    try? context.claims.writeSidecar(kept)
                    logger.warning("\(name.debugDescription) was still processing at shutdown; it is resumed at the next start")
                    await state.finished()
                    return
                }
                let message = "processing took longer than \(configuration.daemon.documentTimeout) (daemon.document_timeout)"
                await fail(claim, context, reason: "timeout", message: message, processor: nil)
                // The late run cannot be stopped; this worker takes no new document until it ended, so CPU
                // work stays within the configured workers.
                if let abandoned { await waitUnlessShuttingDown(abandoned) }
                return
            }
            switch outcome {
            case .failure(let error):
                await fail(claim, context, reason: error.code, message: error.message, processor: nil)
                return
            case .success(let (results, input)):
                // A writer that was still appending (it kept the file open past the claim) changed it: the
                // result would be truncated. Process the final content instead.
                if let now = RawFS.lstat(file), !input.matches(now) {
                    logger.notice("\(name.debugDescription) changed while it was processed (attempt \(attempt)); processing it again")
                    await context.events.record("changed", [("name", .string(name)), ("claim", .string(claim.id))])
                    try? await Task.sleep(for: configuration.daemon.settle)
                    continue
                }
                prepared = results
            }
            if prepared != nil { break }
        }
        guard let prepared else {
            await fail(claim, context, reason: "unstable", message: "the file kept changing while it was processed (3 attempts)", processor: nil)
            return
        }

        // Every result must be on disk before the input may leave: retry what an operator can fix.
        var committed: [(prepared: DocumentJob.Prepared, paths: (json: RawPath, html: RawPath, number: Int))] = []
        defer { for c in committed { context.outbox.release(c.paths) } }
        for item in prepared {
            let result = item.document
            let suffix = Array(result.metadata.sourceName.utf8.dropFirst(name.utf8.count))
            let relative = suffix.isEmpty ? claim.relative : RawPath(bytes: claim.relative.bytes + suffix)
            let paths = context.outbox.resultPaths(relative: relative, sha256: result.metadata.sha256)
            committed.append((item, paths))
            var delay = Duration.milliseconds(500)
            while true {
                let written = await onIOThreads { () -> Result<Void, RawFS.Failure> in
                    do throws(RawFS.Failure) {
                        try context.outbox.writeResult(json: item.json, html: item.html, to: paths)
                        // The result is on disk: record it in the catalogue (issue #15) in the same step.
                        context.catalogue?.committed(result: item.value, jsonPath: paths.json.display, htmlPath: item.html == nil ? nil : paths.html.display)
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
                switch written {
                case .success:
                    await state.setOutboxProblem(nil)
                    await context.postgres?.committed(result: item.value, jsonPath: paths.json.display, htmlPath: item.html == nil ? nil : paths.html.display)
                case .failure(let error):
                    await state.setOutboxProblem(error.message)
                    if await state.isShuttingDown || !error.isRetryable {
                        logger.error("cannot write the result of \(name.debugDescription): \(error); the input stays claimed and is retried at the next start")
                        await state.finished()
                        return
                    }
                    logger.warning("cannot write the result of \(name.debugDescription): \(error); retrying in \(delay)")
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(60))
                    continue
                }
                break
            }
        }
        // The claim (with its sidecar, which names the file) is released only once the original has left
        // the claim folder: a full or read-only archive is retried, and at worst the claim is resumed at
        // the next start, which finds the same results and archives again.
        var delay = Duration.milliseconds(500)
        while true {
            do {
                if configuration.daemon.afterSuccess == .delete {
                    try RawFS.unlink(file)
                } else {
                    try context.outbox.archive(file, relative: claim.relative, number: committed.first?.paths.number ?? 1)
                }
                await state.setOutboxProblem(nil)
                break
            } catch {
                await state.setOutboxProblem("cannot \(configuration.daemon.afterSuccess.rawValue) inputs: \(error.message)")
                if await state.isShuttingDown || !error.isRetryable {
                    logger.error("result written, but cannot \(configuration.daemon.afterSuccess.rawValue) the input \(name.debugDescription): \(error); it stays claimed and is finished at the next start")
                    await state.finished()
                    return
                }
                logger.warning("result written, but cannot \(configuration.daemon.afterSuccess.rawValue) the input \(name.debugDescription): \(error); retrying in \(delay)")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(60))
            }
        }
        context.claims.release(claim)
        let outboxPrefix = context.outbox.outbox.display + "/"
        func relativeToOutbox(_ p: RawPath) -> String {
            p.display.hasPrefix(outboxPrefix) ? String(p.display.dropFirst(outboxPrefix.count)) : p.display
        }
        for (item, paths) in committed {
            let result = item.document
            let ms = (clock.now - started).milliseconds
            let failedRuns = result.runs.filter { $0.outcome != .ok }
            await context.events.record("processed", [
                ("name", .string(result.metadata.sourceName)), ("claim", .string(claim.id)), ("result", .string(paths.json.display)), ("duration_ms", .double(rounded(ms, places: 10))),
                ("processors", .object(result.runs.map { ($0.name, .double(rounded($0.durationMs, places: 10))) })),
                ("errors", .array(failedRuns.map { ["processor": .string($0.name), "error": .optional($0.error)] })),
            ])
            for run in failedRuns {
                logger.warning("\(name.debugDescription): processor \(run.name) \(run.outcome.rawValue): \(run.error ?? "")")
                await state.noteError(name: name, reason: "\(run.name): \(run.error ?? run.outcome.rawValue)")
            }
            logger.info("processed \(result.metadata.sourceName.debugDescription) in \(Int(ms)) ms → \(paths.json.display)")
            metrics.processed.increment()
            for run in result.runs { metrics.record(run) }
            await state.recordRuns(result.runs)
            await state.indexed(OutboxIndex.entry(
                for: result, htmlPath: item.html == nil ? nil : relativeToOutbox(paths.html), jsonPath: relativeToOutbox(paths.json)))
        }
        await context.events.record(
            configuration.daemon.afterSuccess == .delete ? "deleted" : "archived", [("name", .string(name)), ("claim", .string(claim.id))])
        metrics.lastSuccess.set(to: Date().timeIntervalSince1970)
        metrics.documentDuration.record(clock.now - started)
        await state.processed()
    }

    /// Waits for abandoned work to end, but not past the start of a shutdown.
    func waitUnlessShuttingDown(_ work: LateWork) async {
        let ended = Race<Void>()
        let waiter = Task { await work.wait(); ended.finish(()) }
        let watcher = Task {
            while !(await self.state.isShuttingDown) {
                do { try await Task.sleep(for: .milliseconds(100)) } catch { return }
            }
            ended.finish(())
        }
        await ended.value()
        waiter.cancel()
        watcher.cancel()
    }

    func fail(_ claim: Claim, _ context: Context, reason: String, message: String, processor: String?) async {
        var logger = self.logger
        logger[metadataKey: "claim"] = "\(claim.id)"
        let name = claim.relative.display
        logger.error("failed \(name.debugDescription): \(reason): \(message)")
        do {
            let target = try context.outbox.fail(
                context.claims.dataPath(claim), relative: claim.relative, reason: reason, message: message, processor: processor)
            // >>> catalogue hook (issue #15): the failure record is on disk; record it in the catalogue.
            context.catalogue?.failed(sidecarPath: target.display + ".error.json")
            await context.postgres?.failed(sidecarPath: target.display + ".error.json")
            // <<< catalogue hook
            context.claims.release(claim)
            await context.events.record("failed", [
                ("name", .string(name)), ("claim", .string(claim.id)), ("reason", .string(reason)), ("message", .string(message)),
                ("processor", .optional(processor)), ("moved_to", .string(target.display)),
            ])
        } catch {
            logger.error("cannot move \(name.debugDescription) to failed/: \(error); it stays claimed and is retried at the next start")
        }
        await state.failed(name: name, reason: reason)
        metrics.failed(reason: reason)
        await state.indexedFailure(FailedEntry(name: name, reason: "\(reason): \(message)", time: Date()))
    }

    /// Blocking work (file writes with their fsyncs, the catalogue) on the I/O threads: off the threads that
    /// run the daemon's own loops, and off the CPU pool, so writes overlap processing.
    func onIOThreads<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withTaskExecutorPreference(ProcessingExecutor.io) { body() }
    }

    // MARK: Housekeeping

    func reportStatus(_ context: Context) async {
        while !Task.isCancelled {
            await writeStatus(context)
            let interval = await state.configuration.daemon.statusInterval
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    func writeStatus(_ context: Context) async {
        alive.beat()
        await state.setQueue(queued: await context.queue.count, settling: await context.tracker.pendingCount)
        if let fleet { await state.setDatabaseProblem(fleet.health.problem) }
        let report = await state.report()
        metrics.queueDepth.set(to: Double(report.queued + report.settling))
        metrics.inFlight.set(to: Double(report.inFlight))
        metrics.outboxProblem.set(to: report.outboxProblem == nil ? 0.0 : 1.0)
        metrics.degraded.set(to: report.degradedReasons.isEmpty ? 0.0 : 1.0)
        let down = Set(report.unavailable.map(\.name))
        for name in report.processors { metrics.available(name, !down.contains(name)) }
        let configuration = await state.configuration
        let path = StatusReport.path(state: configuration.state)
        try? RawFS.writeAtomically(Array(report.json().prettyPrinted().utf8), to: RawPath(path))
        if let index = await state.takeIndexIfChanged() {
            let html = OutboxIndex.render(entries: index.entries, failed: index.failed, generatedAt: Date())
            try? RawFS.writeAtomically(Array(html.utf8), to: context.outbox.outbox.appending("index.html"))
            if let saved = try? JSONEncoder().encode(index) {
                try? RawFS.writeAtomically(Array(saved), to: RawPath(configuration.state).appending("index.json"))
            }
        }
        notifier.notify("STATUS=\(report.summary)")
    }

    /// The `.prom` text file, every `metrics.interval`, when configured.
    func exportMetrics() async {
        guard let exporter else { return }
        while !Task.isCancelled {
            let m = await state.configuration.metrics
            if !m.textfile.isEmpty { exporter.writeTextfile(m.textfile) }
            do { try await Task.sleep(for: m.textfile.isEmpty ? .seconds(1) : m.interval) } catch { break }
        }
        let m = await state.configuration.metrics
        if !m.textfile.isEmpty { exporter.writeTextfile(m.textfile) }
    }

    /// Pings systemd's watchdog only while the daemon's loops are alive: the feed loop, which goes through
    /// the readiness tracker and the state every few milliseconds, must have beaten since the last ping.
    /// A daemon whose loops are stuck stops pinging, and systemd restarts it.
    func keepWatchdog() async {
        guard let interval = notifier.watchdogInterval else { return }
        var last = Int64.min
        while !Task.isCancelled {
            let beat = alive.last
            if beat != last {
                notifier.notify("WATCHDOG=1")
                last = beat
            } else {
                logger.warning("the daemon's loops have not run for \(interval): not pinging the watchdog")
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// SIGHUP: reload and validate the configuration; on any error keep the old one. Reloads are
    /// coalesced: signals that arrive while one runs make one more reload after it, not one each.
    func handleReloads(_ events: EventLog? = nil, signals trapped: UnixSignalsSequence? = nil) async {
        let signals: UnixSignalsSequence
        if let trapped { signals = trapped } else { signals = await UnixSignalsSequence(trapping: .sighup) }
        let requests = ReloadRequests()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in signals {
                    if Task.isCancelled { break }
                    requests.request()
                }
                requests.close()
            }
            group.addTask {
                while await requests.next() {
                    if Task.isCancelled { return }
                    await self.reload(events)
                }
            }
        }
    }

    func reload(_ events: EventLog? = nil) async {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())\nSTATUS=reloading the configuration")
        var ready = false
        defer { if !ready { notifier.notify("READY=1\nSTATUS=configuration unchanged (reload refused)") } }
        logger.notice("SIGHUP: reloading the configuration")
        let new: GleanerConfiguration
        do {
            new = try ConfigurationLoader.load(path: configPath)
        } catch {
            logger.error("the new configuration has errors; keeping the old one:\n\(error)")
            await events?.record("reload_refused", [("errors", .array(error.errors.map { .string($0.description) }))])
            await state.noteError(name: configPath ?? "(embedded default)", reason: "reload refused: \(error.errors.first?.description ?? "")")
            return
        }
        let pipeline: Pipeline
        do {
            pipeline = try await makePipeline(new)
        } catch {
            logger.error("the new configuration's processors have errors; keeping the old one:\n\(error)")
            await events?.record("reload_refused", [("errors", .array(error.errors.map { .string($0.description) }))])
            await state.noteError(name: configPath ?? "(embedded default)", reason: "reload refused: \(error.errors.first?.description ?? "")")
            return
        }
        let old = await state.configuration
        for (key, a, b) in [("inbox", old.inbox, new.inbox), ("outbox", old.outbox, new.outbox), ("state", old.state, new.state)] where a != b {
            logger.warning("\(key) changed from \(a) to \(b): that takes effect at the next restart")
        }
        logger.notice("configuration reloaded: \(pipeline.descriptors.map(\.name).joined(separator: " → "))")
        metrics.register(processors: pipeline.descriptors.map(\.name))
        await events?.record("reloaded", [
            ("configuration", .array(new.sources.map(JSONValue.string))), ("pipeline", .array(pipeline.descriptors.map { .string($0.name) })),
        ])
        // Documents already running keep the old pipeline; it is shut down when the last of them is done,
        // and the next reload waits for that, so at most two pipelines ever exist.
        ready = true
        let notifier = self.notifier
        await state.replaceAndDrain(configuration: new, pipeline: pipeline) {
            notifier.notify("READY=1\nSTATUS=configuration reloaded")
        }
    }
}

public struct DaemonError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A counter the daemon's loops advance as they run; the watchdog reads it.
final class Heartbeat: Sendable {
    private let count = Atomic<Int64>(0)
    func beat() { count.add(1, ordering: .relaxed) }
    var last: Int64 { count.load(ordering: .relaxed) }
}

/// Pending reload requests, coalesced: any number of requests while a reload runs make one more.
final class ReloadRequests: Sendable {
    private let state = Mutex<(pending: Bool, closed: Bool, waiter: CheckedContinuation<Bool, Never>?)>((false, false, nil))

    func request() {
        let waiter = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            if let w = s.waiter { s.waiter = nil; return w }
            s.pending = true
            return nil
        }
        waiter?.resume(returning: true)
    }

    func close() {
        let waiter = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: false)
    }

    /// True when a reload is due (waiting for one), false once closed.
    func next() async -> Bool {
        await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let now = state.withLock { s -> Bool? in
                if s.pending { s.pending = false; return true }
                if s.closed { return false }
                s.waiter = c
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }
}
