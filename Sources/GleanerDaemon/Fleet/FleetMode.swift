import Foundation
import GleanerCatalogue
import GleanerConfig
import GleanerCore
import GleanerFleet
import GleanerPipeline
import GleanerView
import Metrics

#if canImport(Glibc)
import Glibc
#endif

/// What a daemon in fleet mode (issue #18, `[fleet] enabled = true`) shares with its fleet services.
public struct FleetRuntime: Sendable {
    public let store: FleetStore
    public let leases: LeaseRegistry
    public let doorbell: Doorbell
    public let health: FleetHealth
    public let settings: FleetSettings
    let gate = FleetGate()

    public init(store: FleetStore, leases: LeaseRegistry, doorbell: Doorbell, health: FleetHealth, settings: FleetSettings) {
        self.store = store
        self.leases = leases
        self.doorbell = doorbell
        self.health = health
        self.settings = settings
    }
}

/// Opens once the node is ready to work (schema migrated, node announced, outbox reconciled).
actor FleetGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func open() {
        isOpen = true
        for w in waiters { w.resume() }
        waiters = []
    }
    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}

/// Metrics of fleet mode, per node.
struct FleetMetrics {
    let registered: Counter
    let duplicates: Counter
    let fenced: Counter
    let databaseRetries: Counter
    let databaseUp: Gauge
    init(node: String) {
        let d = [("node", node)]
        registered = Counter(label: "gleaner_fleet_registered_total", dimensions: d)
        duplicates = Counter(label: "gleaner_fleet_duplicate_drops_total", dimensions: d)
        fenced = Counter(label: "gleaner_fleet_fenced_commits_total", dimensions: d)
        databaseRetries = Counter(label: "gleaner_fleet_database_retries_total", dimensions: d)
        databaseUp = Gauge(label: "gleaner_fleet_database_up", dimensions: d)
    }
}

// Fleet mode: the watcher and the claims stay as they are; a claimed file is registered in PostgreSQL and leaves
// the claim folder only once its row is committed. Workers take documents from the fleet's queue instead of the
// local one. The crash windows are written down in docs/FLEET.md.
extension Daemon {
    /// Before any work: the schema, this node's row, its own leases from before a crash, and result files whose
    /// commit a crash interrupted. Retries with back-off while the database does not answer.
    func prepareFleet(_ fleet: FleetRuntime, _ context: Context, workers: Int) async {
        let backoff = Backoff()
        var attempt = 0
        let m = FleetMetrics(node: fleet.store.node)
        while !(await state.isShuttingDown) {
            do throws(FleetError) {
                try await fleet.store.database.migrate(node: fleet.store.node)
                try await fleet.store.announce(workers: workers, status: "starting")
                let recovered = try await fleet.store.recoverOwnLeases()
                if recovered > 0 { logger.notice("fleet: \(recovered) document(s) this node held when it stopped are queued again") }
                try await reconcilePending(fleet, context)
                fleet.health.ok()
                m.databaseUp.record(1)
                logger.notice("fleet: node \(fleet.store.node) joined \(fleet.store.database.url)")
                await fleet.gate.open()
                return
            } catch {
                attempt += 1
                fleet.health.failed(error)
                m.databaseUp.record(0)
                m.databaseRetries.increment()
                let delay = backoff.delay(attempt: attempt)
                if attempt == 1 || attempt % 20 == 0 {
                    logger.error("fleet: cannot reach the database (\(error)); retrying (attempt \(attempt), next in \(delay)); inbox files are kept")
                }
                try? await Task.sleep(for: delay)
            }
        }
        await fleet.gate.open()
    }

    /// The pending-commit notes (`state/fleet/N.pending`: the result files written before the commit): files of
    /// a commit that did not happen are removed, so a document has its result only on the node that committed it.
    func reconcilePending(_ fleet: FleetRuntime, _ context: Context) async throws(FleetError) {
        let folder = fleetFolder(context)
        try? RawFS.makeDirectories(folder)
        for (name, _) in RawFS.entries(folder) ?? [] {
            let path = folder.appending(name)
            guard name.display.hasSuffix(".pending") else {
                // Inputs of documents in flight when the node stopped.
                removeTree(path)
                continue
            }
            guard let bytes = try? RawFS.readAll(path) else { continue }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            let relative = lines.filter { !$0.isEmpty }
            let committed = try await fleet.store.committed(paths: relative)
            for p in relative where !committed.contains(p) {
                try? RawFS.unlink(context.outbox.outbox.appending(p))
            }
            try? RawFS.unlink(path)
        }
    }

    func fleetFolder(_ context: Context) -> RawPath { context.claims.folder.parent.appending("fleet") }

    func removeTree(_ path: RawPath) {
        if let st = RawFS.lstat(path), st.st_mode & S_IFMT == S_IFDIR {
            for (name, _) in RawFS.entries(path) ?? [] { removeTree(path.appending(name)) }
            rmdir(path.display)
        } else {
            try? RawFS.unlink(path)
        }
    }

    // MARK: Registering

    /// Takes inbox files (and claims left by a stop) from the local queue and registers them in the fleet.
    func fleetRegistrar(_ fleet: FleetRuntime, _ context: Context) async {
        await fleet.gate.wait()
        while let item = await context.queue.pop(large: true) {
            switch item {
            case .inbox(let path):
                defer { Task { await context.tracker.done(path) } }
                guard let relative = relativePath(path, inbox: context.inbox) else { continue }
                guard let st = RawFS.lstat(path), st.st_mode & S_IFMT != S_IFDIR else { continue }
                await context.events.record("received", [("name", .string(relative.display)), ("bytes", .int(Int(st.st_size)))])
                metrics.received.increment()
                await state.received()
                let claim: Claim
                do {
                    claim = try context.claims.claim(path, relative: relative)
                } catch {
                    if case .failed(let failure) = error {
                        logger.error("cannot claim \(relative.display.debugDescription): \(failure); it stays in the inbox")
                    }
                    continue
                }
                await register(claim, fleet, context)
            case .claimed(let claim):
                await register(claim, fleet, context)
            }
        }
    }

    /// One claimed file into the fleet's queue: read it (up to input.max_bytes), register it with its sha256 in one
    /// transaction, and only then let it leave the claim folder (archived or deleted as after_success says).
    func register(_ claim: Claim, _ fleet: FleetRuntime, _ context: Context) async {
        let name = claim.relative.display
        let file = context.claims.dataPath(claim)
        let configuration = await state.configuration
        let m = FleetMetrics(node: fleet.store.node)
        guard let st = RawFS.lstat(file) else { context.claims.release(claim); return }
        if Int(st.st_size) > configuration.input.maxBytes {
            await fail(claim, context, reason: "too-large",
                       message: "\(st.st_size) bytes is more than input.max_bytes (\(configuration.input.maxBytes))", processor: nil)
            return
        }
        let bytes: [UInt8]
        do { bytes = try RawFS.readAll(file) } catch {
            logger.error("cannot read the claimed \(name.debugDescription): \(error); it stays claimed and is retried at the next start")
            return
        }
        let content = Data(bytes)
        let sha = FleetStore.sha256(content)
        let backoff = Backoff()
        var attempt = 0
        var registration: FleetStore.Registration?
        while registration == nil {
            do throws(FleetError) {
                registration = try await fleet.store.register(name: name, sha256: sha, content: content)
                fleet.health.ok()
                m.databaseUp.record(1)
            } catch {
                attempt += 1
                fleet.health.failed(error)
                m.databaseUp.record(0)
                m.databaseRetries.increment()
                if await state.isShuttingDown {
                    logger.warning("\(name.debugDescription) is not registered (the database does not answer); it stays claimed and is registered at the next start")
                    return
                }
                let delay = backoff.delay(attempt: attempt)
                if attempt == 1 { logger.warning("cannot register \(name.debugDescription): \(error); retrying with back-off (the file is kept)") }
                try? await Task.sleep(for: delay)
            }
        }
        switch registration! {
        case .queued(let id):
            m.registered.increment()
            await context.events.record("registered", [("name", .string(name)), ("fleet_id", .int(Int(id))), ("sha256", .string(sha))])
        case .duplicate(let id, let st):
            m.duplicates.increment()
            logger.notice("\(name.debugDescription) was dropped before with the same content (fleet document \(id), \(st)): not processed again")
            await context.events.record("duplicate", [("name", .string(name)), ("fleet_id", .int(Int(id))), ("state", .string(st))])
        }
        // The row is committed: the original may leave.
        do {
            if configuration.daemon.afterSuccess == .delete {
                try RawFS.unlink(file)
            } else {
                try context.outbox.archive(file, relative: claim.relative)
            }
            context.claims.release(claim)
        } catch {
            logger.warning("registered \(name.debugDescription), but cannot \(configuration.daemon.afterSuccess.rawValue) it: \(error); it stays claimed (registering it again is recognised as a duplicate)")
        }
    }

    // MARK: Processing

    /// A worker of fleet mode: takes documents from the fleet's queue until the daemon stops.
    func fleetWorker(_ fleet: FleetRuntime, _ context: Context) async {
        await fleet.gate.wait()
        let backoff = Backoff()
        var failures = 0
        let m = FleetMetrics(node: fleet.store.node)
        while !(await state.isShuttingDown) {
            alive.beat()
            let rung = fleet.doorbell.rung
            let lease: FleetStore.Lease?
            do throws(FleetError) {
                lease = try await fleet.store.take(lease: fleet.settings.lease)
                failures = 0
            } catch {
                failures += 1
                fleet.health.failed(error)
                m.databaseUp.record(0)
                m.databaseRetries.increment()
                try? await Task.sleep(for: backoff.delay(attempt: failures))
                continue
            }
            guard let lease else {
                await fleet.doorbell.wait(since: rung, upTo: fleet.settings.poll)
                continue
            }
            let (pipeline, generation) = await state.acquirePipeline()
            await processLease(lease, fleet, context, pipeline: pipeline)
            await state.release(generation: generation)
        }
    }

    func processLease(_ lease: FleetStore.Lease, _ fleet: FleetRuntime, _ context: Context, pipeline: Pipeline) async {
        fleet.leases.add(lease)
        defer { fleet.leases.remove(lease) }
        await state.started()
        let m = FleetMetrics(node: fleet.store.node)
        let configuration = await state.configuration
        let name = lease.name
        let clock = ContinuousClock()
        let started = clock.now
        let folder = fleetFolder(context).appending("\(lease.id)-\(lease.generation)")
        defer { removeTree(folder) }
        let base = name.split(separator: "/").last.map(String.init) ?? "document"
        let file = folder.appending(base)
        do {
            try RawFS.makeDirectories(folder)
            try RawFS.writeAtomically([UInt8](lease.content), to: file)
        } catch {
            logger.error("fleet: cannot write \(name.debugDescription) to \(folder.display): \(error); the lease expires and another node takes it")
            await state.finished()
            return
        }
        let job = DocumentJob(file: file, name: name, pipeline: pipeline, html: configuration.output.html, pretty: configuration.output.pretty)
        var abandoned: LateWork?
        let outcome = await withTimeLimit(configuration.daemon.documentTimeout, late: { abandoned = $0 }) { await job.prepare() }
        let prepared: [DocumentJob.Prepared]
        switch outcome {
        case nil:
            let stopping = await state.isShuttingDown
            if Task.isCancelled || stopping {
                _ = try? await fleet.store.release(lease)
                await state.finished()
                return
            }
            await fleetFail(lease, fleet, context, file: file, reason: "timeout",
                            message: "processing took longer than \(configuration.daemon.documentTimeout) (daemon.document_timeout)")
            if let abandoned { await waitUnlessShuttingDown(abandoned) }
            return
        case .failure(let error)?:
            await fleetFail(lease, fleet, context, file: file, reason: error.code, message: error.message)
            return
        case .success(let (results, _))?:
            prepared = results
        }

        // The result files first (with a note of them, for a crash before the commit), then the commit.
        let pending = fleetFolder(context).appending("\(lease.id)-\(lease.generation).pending")
        var written: [(item: DocumentJob.Prepared, paths: (json: RawPath, html: RawPath, number: Int))] = []
        defer { for w in written { context.outbox.release(w.paths) } }
        var results: [FleetStore.Result] = []
        let outboxPrefix = context.outbox.outbox.display + "/"
        func relativeToOutbox(_ p: RawPath) -> String {
            p.display.hasPrefix(outboxPrefix) ? String(p.display.dropFirst(outboxPrefix.count)) : p.display
        }
        for item in prepared {
            let result = item.document
            let suffix = Array(result.metadata.sourceName.utf8.dropFirst(name.utf8.count))
            let relative = RawPath(bytes: Array(name.utf8) + suffix)
            let paths = context.outbox.resultPaths(relative: relative, sha256: result.metadata.sha256)
            written.append((item, paths))
            guard let record = try? ResultRecord(json: item.json) else { continue }
            results.append(FleetStore.Result(
                record: record, resultPath: relativeToOutbox(paths.json), viewPath: item.html == nil ? nil : relativeToOutbox(paths.html)))
        }
        let note = results.flatMap { [$0.resultPath] + ($0.viewPath.map { [$0] } ?? []) }.joined(separator: "\n") + "\n"
        do {
            try RawFS.writeAtomically(Array(note.utf8), to: pending)
            for w in written {
                try await onIOThreads { () -> Result<Void, RawFS.Failure> in
                    do throws(RawFS.Failure) { try context.outbox.writeResult(json: w.item.json, html: w.item.html, to: w.paths); return .success(()) }
                    catch { return .failure(error) }
                }.get()
            }
            await state.setOutboxProblem(nil)
        } catch {
            await state.setOutboxProblem("\(error)")
            logger.error("fleet: cannot write the result of \(name.debugDescription): \(error); the document goes back to the queue")
            removeWritten(written.map(\.paths), pending: pending)
            _ = try? await fleet.store.release(lease)
            await state.finished()
            return
        }

        let backoff = Backoff()
        var attempt = 0
        while true {
            do throws(FleetError) {
                let outcome = try await fleet.store.commit(lease, results: results)
                fleet.health.ok()
                try? RawFS.unlink(pending)
                if outcome == .fenced {
                    m.fenced.increment()
                    logger.warning("fleet: \(name.debugDescription) was taken over by another node after this node's lease expired: its result here is discarded")
                    removeWritten(written.map(\.paths), pending: pending)
                    await context.events.record("fenced", [("name", .string(name)), ("fleet_id", .int(Int(lease.id)))])
                    await state.finished()
                    return
                }
                break
            } catch {
                attempt += 1
                fleet.health.failed(error)
                m.databaseUp.record(0)
                m.databaseRetries.increment()
                if await state.isShuttingDown {
                    // The note stays: the next start removes these files unless the commit did happen.
                    logger.warning("fleet: stopping before \(name.debugDescription) could be committed (\(error)); another node takes it when its lease expires")
                    await state.finished()
                    return
                }
                if attempt == 1 { logger.warning("fleet: cannot commit \(name.debugDescription): \(error); retrying with back-off") }
                try? await Task.sleep(for: backoff.delay(attempt: attempt))
            }
        }
        let ms = (clock.now - started).milliseconds
        for w in written {
            await context.events.record("processed", [
                ("name", .string(w.item.document.metadata.sourceName)), ("result", .string(w.paths.json.display)),
                ("duration_ms", .double((ms * 10).rounded() / 10)), ("fleet_id", .int(Int(lease.id))),
            ])
            await state.indexed(OutboxIndex.entry(
                for: w.item.document, htmlPath: w.item.html == nil ? nil : relativeToOutbox(w.paths.html), jsonPath: relativeToOutbox(w.paths.json)))
        }
        logger.info("processed \(name.debugDescription) (fleet document \(lease.id)) in \(Int(ms)) ms")
        metrics.processed.increment()
        await state.processed()
    }

    func removeWritten(_ paths: [(json: RawPath, html: RawPath, number: Int)], pending: RawPath) {
        for p in paths {
            try? RawFS.unlink(p.json)
            try? RawFS.unlink(p.html)
        }
        try? RawFS.unlink(pending)
    }

    /// A document that cannot be processed: its original and `NAME.error.json` into this node's failed/, and the
    /// failed state with its reason, fenced like a result.
    func fleetFail(_ lease: FleetStore.Lease, _ fleet: FleetRuntime, _ context: Context, file: RawPath, reason: String, message: String) async {
        let name = lease.name
        logger.error("failed \(name.debugDescription): \(reason): \(message)")
        let target: RawPath
        do {
            target = try context.outbox.fail(file, relative: RawPath(name), reason: reason, message: message, processor: nil)
        } catch {
            logger.error("fleet: cannot write \(name.debugDescription) to failed/: \(error); the document goes back to the queue")
            _ = try? await fleet.store.release(lease)
            await state.finished()
            return
        }
        let sidecar = target.display + ".error.json"
        let prefix = context.outbox.outbox.display + "/"
        let stored = sidecar.hasPrefix(prefix) ? String(sidecar.dropFirst(prefix.count)) : sidecar
        let backoff = Backoff()
        var attempt = 0
        while true {
            do throws(FleetError) {
                if try await fleet.store.fail(lease, reason: reason, message: message, sidecarPath: stored) == .fenced {
                    try? RawFS.unlink(target)
                    try? RawFS.unlink(RawPath(sidecar))
                    await state.finished()
                    return
                }
                break
            } catch {
                attempt += 1
                fleet.health.failed(error)
                if await state.isShuttingDown { await state.finished(); return }
                try? await Task.sleep(for: backoff.delay(attempt: attempt))
            }
        }
        await state.failed(name: name, reason: reason)
        metrics.failed(reason: reason)
        await state.indexedFailure(FailedEntry(name: name, reason: "\(reason): \(message)", time: Date()))
        await context.events.record("failed", [("name", .string(name)), ("reason", .string(reason)), ("message", .string(message))])
    }
}

extension Daemon {
    /// `[catalogue] backend = "postgres"`: the repair at start-up (this node's rows against its result files), retried
    /// with back-off while the database does not answer; results committed meanwhile are written as usual.
    func repairInBackground(_ hook: PostgresCatalogueHook) {
        Task {
            let backoff = Backoff()
            var attempt = 0
            while !(await state.isShuttingDown) {
                do throws(FleetError) {
                    try await hook.database.migrate(node: hook.node)
                    let (added, removed) = try await hook.repair()
                    if added + removed > 0 { logger.notice("catalogue (postgres): repaired: \(added) added, \(removed) no longer on disk") }
                    await state.setDatabaseProblem(nil)
                    return
                } catch {
                    attempt += 1
                    await state.setDatabaseProblem(error.description)
                    if attempt == 1 { logger.error("catalogue (postgres): \(error); retrying with back-off") }
                    try? await Task.sleep(for: backoff.delay(attempt: attempt))
                }
            }
        }
    }
}
