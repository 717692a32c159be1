import Foundation
import GleanerConfig
import GleanerCore
import GleanerPipeline
import GleanerView
import Logging
import ServiceLifecycle
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
    let metrics = DaemonMetrics()
    let exporter: MetricsExporter?

    public init(
        configuration: GleanerConfiguration, configPath: String?, pipeline: Pipeline, logger: Logger,
        makePipeline: @escaping PipelineFactory, metrics exporter: MetricsExporter? = nil
    ) {
        self.exporter = exporter
        self.configPath = configPath
        self.logger = logger
        self.makePipeline = makePipeline
        self.state = DaemonState(configuration: configuration, pipeline: pipeline)
    }

    // MARK: Run

    public func run() async throws {
        let configuration = await state.configuration
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
        let queue = WorkQueue<WorkItem>(capacity: configuration.daemon.queueCapacity)
        let tracker = ReadinessTracker(settle: configuration.daemon.settle)
        let ignore = IgnoreRules(patterns: configuration.daemon.ignore)
        let excluded = [RawPath(configuration.state), RawPath(configuration.outbox)]
        let scanner = InboxScanner(ignore: ignore, excluded: excluded)
        let context = Context(
            inbox: inbox, claims: claims, outbox: outbox, events: events, queue: queue, tracker: tracker, ignore: ignore)

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
                await events.record("failed", [("name", .string(claim.relative.display)), ("reason", "crashed"), ("message", .string(message))])
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

        let polling = watcher == nil
        let activeWatcher = watcher
        let resumed = recovered
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for claim in resumed { await queue.push(.claimed(claim)) }
                }
                for _ in 0..<configuration.daemon.workers {
                    group.addTask { await self.work(context) }
                }
                // The producers and housekeeping stop when shutdown closes the queue.
                let housekeeping = Task {
                    await withTaskGroup(of: Void.self) { inner in
                        if let activeWatcher {
                            inner.addTask { await self.consume(activeWatcher, scanner: scanner, context: context) }
                        }
                        inner.addTask { await self.feed(context) }
                        inner.addTask { await self.rescan(scanner: scanner, context: context, polling: polling) }
                        inner.addTask { await self.reportStatus(context) }
                        inner.addTask { await self.keepWatchdog() }
                        inner.addTask { await self.handleReloads() }
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
            }
        }
        activeWatcher?.stop()
        exporter?.stop()
        await writeStatus(context)
        await events.close()
        let final = await state.report()
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
            case .overflow:
                logger.warning("the inotify queue overflowed: rescanning the inbox")
                await scanner.scan(context.inbox) { await context.tracker.sighted($0) }
            case .failed(let message):
                logger.error("watching stopped: \(message); falling back to polling")
                await state.setWatchMode("polling (after: \(message))")
                return
            }
        }
    }

    /// Hands settled files to the workers, waiting when the queue is full.
    func feed(_ context: Context) async {
        while !Task.isCancelled, !(await state.isShuttingDown) {
            for path in await context.tracker.due() {
                guard await context.queue.push(.inbox(path)) else { return }
            }
            let settle = await state.configuration.daemon.settle
            try? await Task.sleep(for: min(max(settle / 4, .milliseconds(10)), .milliseconds(100)))
        }
    }

    /// Periodic full scans: in polling mode, or every `rescan_interval`.
    func rescan(scanner: InboxScanner, context: Context, polling: Bool) async {
        while !Task.isCancelled {
            let d = await state.configuration.daemon
            let mode = await state.watchMode
            let interval = polling || mode.hasPrefix("polling") ? d.pollInterval : d.rescanInterval
            guard interval > .zero else {
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            do { try await Task.sleep(for: interval) } catch { return }
            if await state.isShuttingDown { return }
            await scanner.scan(context.inbox) { await context.tracker.sighted($0) }
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

    func work(_ context: Context) async {
        while let item = await context.queue.pop() {
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
        guard let st = RawFS.lstat(path) else {
            logger.info("\(relative.display.debugDescription) vanished before it could be claimed")
            await context.events.record("vanished", [("name", .string(relative.display))])
            return
        }
        if st.st_mode & S_IFMT == S_IFDIR { return }
        await context.events.record("received", [("name", .string(relative.display)), ("bytes", .int(Int(st.st_size)))])
        metrics.received.increment()
        await state.received()
        let claim: Claim
        do {
            claim = try context.claims.claim(path, relative: relative)
        } catch {
            switch error {
            case .vanished:
                logger.info("\(relative.display.debugDescription) vanished before it could be claimed")
                await context.events.record("vanished", [("name", .string(relative.display))])
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
        await state.started()
        let name = claim.relative.display
        let file = context.claims.dataPath(claim)
        let configuration = await state.configuration
        let pipeline = await state.pipeline
        let clock = ContinuousClock()
        let started = clock.now

        // One input gives one document or several (an e-mail's attachments, an mbox's messages).
        let documents: [Document]
        do {
            documents = try await DocumentReader.documents(path: file.display, name: name, extraction: pipeline.extraction)
        } catch {
            await fail(claim, context, reason: error.code, message: error.message, processor: nil)
            return
        }
        var committed: [(result: Document, paths: (json: RawPath, html: RawPath), html: String?)] = []
        for document in documents {
            guard let result = await runWithTimeout(pipeline, document, timeout: configuration.daemon.documentTimeout) else {
                if Task.isCancelled {
                    // Shutdown ran out of time: the document stays claimed and is resumed at the next start.
                    logger.warning("\(name.debugDescription) was still processing at shutdown; it is resumed at the next start")
                    await state.finished()
                    return
                }
                let message = "processing took longer than \(configuration.daemon.documentTimeout) (daemon.document_timeout)"
                await fail(claim, context, reason: "timeout", message: message, processor: nil)
                return
            }
            let json = ResultDocument.json(for: result, gleanerVersion: GleanerVersion.current, expectedLayers: pipeline.providedLayers)
            let html = configuration.output.html ? HTMLView.render(result) : nil
            let suffix = Array(result.metadata.sourceName.utf8.dropFirst(name.utf8.count))
            let relative = suffix.isEmpty ? claim.relative : RawPath(bytes: claim.relative.bytes + suffix)
            let paths = context.outbox.resultPaths(relative: relative, sha256: result.metadata.sha256)
            let text = configuration.output.pretty ? json.prettyPrinted() : json.serialized() + "\n"

            // The result must be on disk before the input may leave: retry what an operator can fix.
            var delay = Duration.milliseconds(500)
            while true {
                do {
                    try context.outbox.writeResult(json: text, html: html, to: paths)
                    await state.setOutboxProblem(nil)
                    break
                } catch {
                    await state.setOutboxProblem(error.message)
                    if await state.isShuttingDown || !error.isRetryable {
                        logger.error("cannot write the result of \(name.debugDescription): \(error); the input stays claimed and is retried at the next start")
                        await state.finished()
                        return
                    }
                    logger.warning("cannot write the result of \(name.debugDescription): \(error); retrying in \(delay)")
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(60))
                }
            }
            committed.append((result, paths, html))
        }
        do {
            if configuration.daemon.afterSuccess == .delete {
                try RawFS.unlink(file)
            } else {
                try context.outbox.archive(file, relative: claim.relative)
            }
        } catch {
            logger.error("result written, but cannot \(configuration.daemon.afterSuccess.rawValue) the input \(name.debugDescription): \(error)")
        }
        context.claims.release(claim)
        for (result, paths, html) in committed {
            let ms = (clock.now - started).milliseconds
            let failedRuns = result.runs.filter { $0.outcome != .ok }
            await context.events.record("processed", [
                ("name", .string(result.metadata.sourceName)), ("result", .string(paths.json.display)), ("duration_ms", .double(rounded(ms, places: 10))),
                ("processors", .object(result.runs.map { ($0.name, .double(rounded($0.durationMs, places: 10))) })),
                ("errors", .array(failedRuns.map { ["processor": .string($0.name), "error": .optional($0.error)] })),
            ])
            for run in failedRuns {
                logger.warning("\(name.debugDescription): processor \(run.name) \(run.outcome.rawValue): \(run.error ?? "")")
                await state.noteError(name: name, reason: "\(run.name): \(run.error ?? run.outcome.rawValue)")
            }
            logger.info("processed \(result.metadata.sourceName.debugDescription) in \(Int(ms)) ms → \(paths.json.display)")
            metrics.processed.increment()
            for run in result.runs where run.outcome != .skipped { metrics.processorDuration(run.name, milliseconds: run.durationMs) }
            let outboxPrefix = context.outbox.outbox.display + "/"
            func relativeToOutbox(_ p: RawPath) -> String {
                p.display.hasPrefix(outboxPrefix) ? String(p.display.dropFirst(outboxPrefix.count)) : p.display
            }
            await state.indexed(OutboxIndex.entry(
                for: result, htmlPath: html == nil ? nil : relativeToOutbox(paths.html), jsonPath: relativeToOutbox(paths.json)))
        }
        await context.events.record(
            configuration.daemon.afterSuccess == .delete ? "deleted" : "archived", [("name", .string(name))])
        await state.processed()
    }

    func fail(_ claim: Claim, _ context: Context, reason: String, message: String, processor: String?) async {
        let name = claim.relative.display
        logger.error("failed \(name.debugDescription): \(reason): \(message)")
        do {
            let target = try context.outbox.fail(
                context.claims.dataPath(claim), relative: claim.relative, reason: reason, message: message, processor: processor)
            context.claims.release(claim)
            await context.events.record("failed", [
                ("name", .string(name)), ("reason", .string(reason)), ("message", .string(message)),
                ("processor", .optional(processor)), ("moved_to", .string(target.display)),
            ])
        } catch {
            logger.error("cannot move \(name.debugDescription) to failed/: \(error); it stays claimed and is retried at the next start")
        }
        await state.failed(name: name, reason: reason)
        metrics.failed(reason: reason)
        await state.indexedFailure(FailedEntry(name: name, reason: "\(reason): \(message)", time: Date()))
    }

    /// Runs the pipeline, giving up waiting after `timeout`. Processing code may
    /// not notice cancellation (it is CPU-bound), so the daemon stops waiting
    /// rather than waiting for it to stop.
    func runWithTimeout(_ pipeline: Pipeline, _ document: Document, timeout: Duration) async -> Document? {
        await withTimeLimit(timeout) { await pipeline.run(document) }
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
        await state.setQueue(queued: await context.queue.count, settling: await context.tracker.pendingCount)
        let report = await state.report()
        metrics.queueDepth.record(report.queued + report.settling)
        metrics.inFlight.record(report.inFlight)
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

    func keepWatchdog() async {
        guard let interval = notifier.watchdogInterval else { return }
        while !Task.isCancelled {
            notifier.notify("WATCHDOG=1")
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// SIGHUP: reload and validate the configuration; on any error keep the old one.
    func handleReloads() async {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals {
            if Task.isCancelled { return }
            await reload()
        }
    }

    func reload() async {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())\nSTATUS=reloading the configuration")
        defer { notifier.notify("READY=1\nSTATUS=configuration reloaded") }
        logger.notice("SIGHUP: reloading the configuration")
        let new: GleanerConfiguration
        do {
            new = try ConfigurationLoader.load(path: configPath)
        } catch {
            logger.error("the new configuration has errors; keeping the old one:\n\(error)")
            await state.noteError(name: configPath ?? "(embedded default)", reason: "reload refused: \(error.errors.first?.description ?? "")")
            return
        }
        let pipeline: Pipeline
        do {
            pipeline = try await makePipeline(new)
        } catch {
            logger.error("the new configuration's processors have errors; keeping the old one:\n\(error)")
            await state.noteError(name: configPath ?? "(embedded default)", reason: "reload refused: \(error.errors.first?.description ?? "")")
            return
        }
        let old = await state.configuration
        for (key, a, b) in [("inbox", old.inbox, new.inbox), ("outbox", old.outbox, new.outbox), ("state", old.state, new.state)] where a != b {
            logger.warning("\(key) changed from \(a) to \(b): that takes effect at the next restart")
        }
        let previous = await state.replace(configuration: new, pipeline: pipeline)
        logger.notice("configuration reloaded: \(pipeline.descriptors.map(\.name).joined(separator: " → "))")
        // Documents already running keep the old pipeline; stop its workers after a grace period.
        Task {
            try? await Task.sleep(for: new.daemon.documentTimeout)
            await previous.shutdown()
        }
    }
}

public struct DaemonError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
