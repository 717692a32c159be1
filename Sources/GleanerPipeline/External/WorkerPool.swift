import Foundation
import GleanerCore
import Logging

/// How to run one external plugin's workers, validated from its configuration.
struct WorkerSpec: Sendable {
    var name: String
    /// The program (an absolute path) and its arguments.
    var arguments: [String]
    var environment: [String: String]
    var directory: String
    var timeout: Duration
    var startTimeout: Duration
    var workers: Int
    /// Recycle a worker after this many documents (0: never).
    var maxDocuments: Int
    /// Between SIGTERM and SIGKILL, and between end of input and SIGTERM.
    var grace: Duration
    var options: JSONValue
    /// For `required = false`: the first wait before starting a plugin that did not start again.
    var retryInterval: Duration = .seconds(2)
}

/// The workers of one external plugin: starts them, hands one to each request,
/// stops a worker past its timeout, restarts crashed ones with back-off, and
/// recycles them after `maxDocuments`. The actor holds only bookkeeping; the
/// exchanges themselves run outside it, so several workers answer at once.
actor WorkerPool {
    struct Worker: Sendable {
        let process: ChildProcess
        var documents = 0
    }

    let spec: WorkerSpec
    let logger: Logger
    private var idle: [Worker] = []
    /// Workers alive or being started (at most `spec.workers`).
    private var live = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Crashes and timeouts since the last good response: the back-off exponent.
    private var failures = 0
    private var stopping: [Int: Task<Void, Never>] = [:]
    private var nextStop = 0
    private var closed = false
    private(set) var handshake: PluginProtocol.Handshake?
    private var allPIDs: [pid_t] = []
    private(set) var restarts = 0

    init(spec: WorkerSpec, logger: Logger) {
        self.spec = spec
        self.logger = logger
    }

    /// Starts every worker and checks their handshakes; the first failure stops them all.
    func start() async throws(ProtocolError) -> PluginProtocol.Handshake {
        for _ in 0..<spec.workers {
            live += 1
            do {
                idle.append(try await spawn())
            } catch {
                live -= 1
                await shutdown()
                throw error
            }
        }
        guard let handshake else { throw ProtocolError("no worker started") }
        return handshake
    }

    /// The pids of the last 256 workers started (for tests that check nothing is left behind).
    var pids: [pid_t] { allPIDs }
    var liveWorkers: Int { live }

    private func spawn() async throws(ProtocolError) -> Worker {
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(
                arguments: spec.arguments, environment: spec.environment, directory: spec.directory, logger: logger)
        } catch {
            throw ProtocolError(error.message)
        }
        allPIDs.append(process.pid)
        if allPIDs.count > 256 { allPIDs.removeFirst(allPIDs.count - 256) }
        let deadline = ContinuousClock.now + spec.startTimeout
        let event = await process.lines.next(until: deadline)
        let hello: PluginProtocol.Handshake
        do throws(ProtocolError) {
            switch event {
            case .line(let line):
                PluginEvents.trace(spec.name, process.pid, .fromWorker, line)
                hello = try PluginProtocol.parseHandshake(line)
            case .tooLong(let n):
                throw ProtocolError("the handshake line is too long (\(n) bytes)")
            case .timedOut:
                throw ProtocolError("no handshake within \(seconds(spec.startTimeout))")
            case .cancelled:
                throw ProtocolError("cancelled while waiting for the handshake")
            case .closed:
                let status = await process.awaitExitStatus(.milliseconds(500))
                await process.awaitErrorOutput(.milliseconds(500))
                let hint = UnitHints.workerDiedBeforeHandshake(signal: status?.signal, code: status?.code).map { "; \($0)" } ?? ""
                throw ProtocolError("the worker \(status?.description ?? "closed its output") before its handshake\(stderrNote(process))\(hint)")
            }
            if let first = handshake, first != hello {
                throw ProtocolError("the worker's handshake changed: \(first.version) → \(hello.version)")
            }
            guard hello.name == spec.name else {
                throw ProtocolError("the worker calls itself '\(hello.name)', but it is configured as '\(spec.name)'")
            }
            // Version 2: Gleaner answers the handshake with the version and capabilities both sides use.
            if let reply = hello.reply(gleanerVersion: GleanerVersion.current) {
                PluginEvents.trace(spec.name, process.pid, .toWorker, Array(reply.dropLast()))
                switch await process.write(reply, until: deadline) {
                case .written: break
                case .timedOut: throw ProtocolError("the worker did not read Gleaner's answer to its handshake within \(seconds(spec.startTimeout))")
                case .cancelled: throw ProtocolError("cancelled while answering the handshake")
                case .failed: throw ProtocolError("the worker closed its input before Gleaner's answer to its handshake\(stderrNote(process))")
                }
            }
        } catch {
            await process.stop(gently: false, grace: spec.grace)
            throw error
        }
        handshake = hello
        logger.debug("worker started", metadata: ["pid": "\(process.pid)", "version": "\(hello.version)"])
        return Worker(process: process)
    }

    /// An idle worker, a new one if there is room, or the next one released.
    private func checkout() async throws(ProcessorError) -> Worker {
        while true {
            if closed { throw ProcessorError("the plugin '\(spec.name)' is shutting down", code: .cancelled) }
            while let w = idle.popLast() {
                if !w.process.hasExited && !w.process.lines.isDrained { return w }
                failures += 1
                live -= 1
                logger.warning("worker exited while idle: \(w.process.exitStatus?.description ?? "ended")\(stderrNote(w.process))",
                               metadata: ["pid": "\(w.process.pid)"])
                retire(w, gently: false)
            }
            if live < spec.workers {
                live += 1
                if failures > 0 {
                    // Exponential back-off: 100 ms, 200 ms, … up to 10 s.
                    let delay = Duration.milliseconds(min(10_000, 100 << min(failures - 1, 10)))
                    try? await Task.sleep(for: delay)
                }
                do {
                    let w = try await spawn()
                    restarts += 1
                    PluginEvents.workerRestarted(spec.name)
                    return w
                } catch {
                    live -= 1
                    failures += 1
                    wakeOne()
                    logger.error("worker did not restart: \(error)")
                    throw ProcessorError("the plugin's worker did not start: \(error)", code: .crashed)
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func checkin(_ worker: Worker) {
        if closed {
            live -= 1
            retire(worker, gently: true)
        } else {
            idle.append(worker)
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Stops a worker in the background; `shutdown` waits for every stop.
    private func retire(_ worker: Worker, gently: Bool) {
        let key = nextStop
        nextStop += 1
        let grace = spec.grace
        stopping[key] = Task {
            await worker.process.stop(gently: gently, grace: grace)
            self.stopped(key)
        }
    }

    private func stopped(_ key: Int) { stopping[key] = nil }

    /// Sends one request to a worker and returns its validated envelope.
    func run(request: [UInt8], id: String, document: String? = nil) async throws(ProcessorError) -> PluginProtocol.Response {
        var worker = try await checkout()
        let provides = handshake?.provides ?? [LayerName(spec.name)]
        worker.process.currentDocument.withLock { $0 = document }
        let outcome = await Self.exchange(
            worker.process, request: request, id: id, provides: provides, timeout: spec.timeout,
            version: handshake?.protocolVersion ?? 1, logger: logger, document: document, plugin: spec.name)
        switch outcome {
        case .answered(let response):
            failures = 0
            worker.documents += 1
            if spec.maxDocuments > 0 && worker.documents >= spec.maxDocuments {
                logger.debug("recycling worker after \(worker.documents) documents", metadata: ["pid": "\(worker.process.pid)"])
                live -= 1
                retire(worker, gently: true)
                wakeOne()
            } else {
                checkin(worker)
            }
            return response
        case .timedOut:
            failures += 1
            live -= 1
            logger.error(
                "request \(id) timed out after \(seconds(spec.timeout)); stopping the worker (SIGTERM, then SIGKILL)",
                metadata: ["pid": "\(worker.process.pid)"])
            retire(worker, gently: false)
            wakeOne()
            throw ProcessorError("timed out after \(seconds(spec.timeout)); the worker was stopped and will be restarted", code: .timeout)
        case .cancelledAwaitingAnswer where handshake?.capabilities.contains("cancel") == true:
            // A version-2 worker that understands cancel: ask it to drop the request and keep it (and its loaded
            // model) if it answers within kill_grace; otherwise it is stopped as below.
            let provides = self.provides
            let grace = spec.grace
            let version = handshake?.protocolVersion ?? 2
            let logger = self.logger
            Task {
                let kept = await Self.cancel(worker.process, id: id, provides: provides, grace: grace, version: version, logger: logger)
                await self.afterCancel(worker, kept: kept, id: id)
            }
            throw ProcessorError("cancelled while the plugin was working; a cancel message was sent", code: .cancelled)
        case .cancelled, .cancelledAwaitingAnswer:
            // The worker is still busy with the request: only a fresh one can be trusted.
            live -= 1
            logger.warning("request \(id) was cancelled; stopping its worker", metadata: ["pid": "\(worker.process.pid)"])
            retire(worker, gently: false)
            wakeOne()
            throw ProcessorError("cancelled while the plugin was working; the worker was stopped and will be restarted", code: .cancelled)
        case .exited:
            failures += 1
            live -= 1
            let status = await worker.process.awaitExitStatus(.milliseconds(500))
            // Standard error may trail the end of standard output by a moment.
            await worker.process.awaitErrorOutput(.milliseconds(500))
            let note = stderrNote(worker.process)
            logger.error("worker \(status?.description ?? "closed its output") during request \(id)\(note)",
                         metadata: ["pid": "\(worker.process.pid)"])
            retire(worker, gently: false)
            wakeOne()
            throw ProcessorError("the worker \(status?.description ?? "closed its output") while processing the document\(note); it will be restarted", code: .crashed)
        case .invalid(let message):
            // The stream may be out of step: this worker's next line cannot be trusted.
            live -= 1
            logger.error("rejected the response to request \(id): \(message)", metadata: ["pid": "\(worker.process.pid)"])
            retire(worker, gently: false)
            wakeOne()
            throw ProcessorError("invalid response from the plugin: \(message)", code: .invalidResponse)
        }
    }

    private var provides: [LayerName] { handshake?.provides ?? [LayerName(spec.name)] }

    /// Sends `{"cancel": ID}` and reads until the answer to that request (whatever it is) within `grace`:
    /// true when the worker is in step again and can be kept.
    nonisolated static func cancel(
        _ process: ChildProcess, id: String, provides: [LayerName], grace: Duration, version: Int, logger: Logger
    ) async -> Bool {
        let deadline = ContinuousClock.now + grace
        let line: JSONValue = ["cancel": .string(id)]
        guard case .written = await process.write(Array((line.serialized() + "\n").utf8), until: deadline) else { return false }
        while true {
            switch await process.lines.next(until: deadline) {
            case .line(let line):
                switch try? PluginProtocol.parseMessage(line, expectedID: id, provides: provides, version: version) {
                case .log(let level, let message)?:
                    logger.log(level: level, "\(message)", metadata: ["pid": "\(process.pid)"])
                    continue
                case .response?: return true
                case nil: return false
                }
            default:
                return false
            }
        }
    }

    private func afterCancel(_ worker: Worker, kept: Bool, id: String) {
        if kept {
            logger.info("request \(id) was cancelled; the worker acknowledged and is kept", metadata: ["pid": "\(worker.process.pid)"])
            checkin(worker)
        } else {
            live -= 1
            logger.warning("request \(id) was cancelled and the worker did not answer within kill_grace; stopping it",
                           metadata: ["pid": "\(worker.process.pid)"])
            retire(worker, gently: false)
            wakeOne()
        }
    }

    enum Outcome: Sendable {
        case answered(PluginProtocol.Response)
        case timedOut
        /// Cancelled before the request was fully written.
        case cancelled
        /// Cancelled while the worker worked on the whole request (a cancel message can still bring it in step).
        case cancelledAwaitingAnswer
        case exited
        case invalid(String)
    }

    /// Runs outside the actor: write the request, wait for one line, check it.
    nonisolated static func exchange(
        _ process: ChildProcess, request: [UInt8], id: String, provides: [LayerName], timeout: Duration,
        version: Int = 1, logger: Logger? = nil, document: String? = nil, plugin: String = ""
    ) async -> Outcome {
        let deadline = ContinuousClock.now + timeout
        PluginEvents.trace(plugin, process.pid, .toWorker, Array(request.dropLast()))
        switch await process.write(request, until: deadline) {
        case .written: break
        case .timedOut: return .timedOut
        case .cancelled: return .cancelled
        case .failed: return .exited
        }
        while true {
            switch await process.lines.next(until: deadline) {
            case .line(let line):
                PluginEvents.trace(plugin, process.pid, .fromWorker, line)
                do {
                    switch try PluginProtocol.parseMessage(line, expectedID: id, provides: provides, version: version) {
                    case .log(let level, let message):
                        // Version 2 log messages: at their level, with the document they are about.
                        var metadata: Logger.Metadata = ["pid": "\(process.pid)"]
                        if let document { metadata["document"] = "\(document.debugDescription)" }
                        logger?.log(level: level, "\(message)", metadata: metadata)
                        continue
                    case .response(let response):
                        return .answered(response)
                    }
                } catch {
                    return .invalid(error.message)
                }
            case .tooLong(let n): return .invalid("the response line is too long (\(n) bytes)")
            case .timedOut: return .timedOut
            case .cancelled: return .cancelledAwaitingAnswer
            case .closed: return .exited
            }
        }
    }

    /// Stops every worker (end of input, then SIGTERM, then SIGKILL) and waits until all are reaped.
    func shutdown() async {
        closed = true
        let workers = idle
        idle = []
        live -= workers.count
        for w in workers { retire(w, gently: true) }
        for w in waiters { w.resume() }
        waiters = []
        while let (key, task) = stopping.first {
            await task.value
            stopping[key] = nil
        }
    }

    private func stderrNote(_ process: ChildProcess) -> String {
        guard let last = process.lastErrorLines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return "" }
        return " (last line of its standard error: \(last))"
    }
}

func seconds(_ d: Duration) -> String {
    let ms = d.milliseconds
    return ms < 1000 ? "\(Int(ms)) ms" : (ms.truncatingRemainder(dividingBy: 1000) == 0 ? "\(Int(ms / 1000)) s" : String(format: "%.1f s", ms / 1000))
}
