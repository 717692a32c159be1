import Foundation
import GleanerExtract
import Glibc
import Logging

/// A value behind a lock, for the little state shared between the blocking
/// reader threads and async code.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Lines read from a worker's standard output by a dedicated thread, handed to
/// async code without ever blocking the cooperative pool.
final class LineInbox: Sendable {
    enum Event: Sendable {
        case line([UInt8])
        /// A line longer than the limit was dropped.
        case tooLong(Int)
        case closed
        case timedOut
        /// The waiting task was cancelled (the daemon's document timeout).
        case cancelled
    }

    private struct State {
        var queue: [Event] = []
        var head = 0
        var closed = false
        var waiter: (token: UInt64, continuation: CheckedContinuation<Event, Never>)?
        var expired: Set<UInt64> = []
        var nextToken: UInt64 = 0
        /// The token of the `next` call in progress, so a late timer leaves nothing behind.
        var current: UInt64?
    }

    private let state = Locked(State())

    /// Called by the reader thread.
    func push(_ event: Event) {
        let waiter: CheckedContinuation<Event, Never>? = state.withLock { s in
            if let w = s.waiter {
                s.waiter = nil
                return w.continuation
            }
            s.queue.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// Called by the reader thread at end of file.
    func close() {
        let waiter: CheckedContinuation<Event, Never>? = state.withLock { s in
            s.closed = true
            let w = s.waiter
            s.waiter = nil
            return w?.continuation
        }
        waiter?.resume(returning: .closed)
    }

    private func take(_ s: inout State) -> Event? {
        if s.head < s.queue.count {
            let e = s.queue[s.head]
            s.head += 1
            if s.head == s.queue.count { s.queue.removeAll(keepingCapacity: true); s.head = 0 }
            return e
        }
        return s.closed ? .closed : nil
    }

    /// Whether the output has ended and every line was taken: the worker has gone.
    var isDrained: Bool { state.withLock { $0.closed && $0.head >= $0.queue.count } }

    /// The next line, `.closed` at end of file, or `.timedOut` at `deadline`.
    func next(until deadline: ContinuousClock.Instant) async -> Event {
        if let e = state.withLock({ take(&$0) }) { return e }
        let token = state.withLock { s in
            s.nextToken += 1
            s.current = s.nextToken
            return s.nextToken
        }
        let timer = Task { [self] in
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
                self.expire(token)
            } catch {}
        }
        let event = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Event, Never>) in
                let ready: Event? = state.withLock { s in
                    if let e = take(&s) { return e }
                    if s.expired.remove(token) != nil { return Task.isCancelled ? .cancelled : .timedOut }
                    s.waiter = (token, c)
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            self.expire(token, with: .cancelled)
        }
        timer.cancel()
        state.withLock { s in
            s.expired.remove(token)
            s.current = nil
        }
        return event
    }

    private func expire(_ token: UInt64, with event: Event = .timedOut) {
        let waiter: CheckedContinuation<Event, Never>? = state.withLock { s in
            if let w = s.waiter, w.token == token {
                s.waiter = nil
                return w.continuation
            }
            if s.current == token { s.expired.insert(token) }
            return nil
        }
        waiter?.resume(returning: event)
    }
}

/// How a child process ended.
struct ExitStatus: Sendable, CustomStringConvertible {
    var code: Int32?
    var signal: Int32?
    var description: String {
        if let code { return "exited with status \(code)" }
        if let signal { return "killed by signal \(signal)\(signal == SIGKILL ? " (SIGKILL)" : signal == SIGTERM ? " (SIGTERM)" : "")" }
        return "ended"
    }
}

/// Why a program could not be started.
struct SpawnError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One worker process: spawned with posix_spawn (no shell) in its own process
/// group, with pipes for its standard streams. Three threads block on its
/// behalf — stdout lines, stderr lines into the log, and the reaper — so no
/// zombie is left and async code never blocks.
final class ChildProcess: Sendable {
    let pid: pid_t
    let lines = LineInbox()
    private let stdinFD: Locked<Int32>
    private let exit = Locked<ExitStatus?>(nil)
    /// The last lines of standard error, for error messages.
    private let stderrTail = Locked<[String]>([])
    private let stderrEnded = Locked<Bool>(false)
    /// The document the worker is answering for, named in its standard error's log lines.
    let currentDocument = Locked<String?>(nil)
    /// Set (under the lock) before the child is reaped, so a signal is never sent to a reused pid.
    private let reaped = Locked<Bool>(false)

    private init(pid: pid_t, stdin: Int32) {
        self.pid = pid
        self.stdinFD = Locked(stdin)
    }

    static let maxLineBytes = 64 << 20

    /// Starts `arguments` (the first is the program's path) with exactly `environment`, in `directory`.
    static func spawn(arguments: [String], environment: [String: String], directory: String, logger: Logger)
        throws(SpawnError) -> ChildProcess
    {
        guard let GNU = GlibcSpawn.shared else {
            throw SpawnError(message: "this C library lacks posix_spawn_file_actions_addchdir_np/addclosefrom_np (glibc 2.34 or later is needed)")
        }
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard GNU.pipe2(&inPipe, O_CLOEXEC) == 0 else { throw SpawnError(message: "pipe: \(String(cString: strerror(errno)))") }
        guard GNU.pipe2(&outPipe, O_CLOEXEC) == 0 else {
            close(inPipe[0]); close(inPipe[1])
            throw SpawnError(message: "pipe: \(String(cString: strerror(errno)))")
        }
        guard GNU.pipe2(&errPipe, O_CLOEXEC) == 0 else {
            for fd in inPipe + outPipe { close(fd) }
            throw SpawnError(message: "pipe: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        _ = GNU.addChdir(&actions, directory)
        // Nothing else of Gleaner's (inbox files, sockets) leaks into the plugin.
        _ = GNU.addClosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        GlibcSpawn.setChildAttributes(&attributes)

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw SpawnError(message: "cannot start \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        // Writes never block: a worker that stops reading is caught by the timeout.
        _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        // A larger pipe (F_SETPIPE_SZ, Linux) lets a long document go in a few writes; failure is harmless.
        _ = fcntl(inPipe[1], 1031, Int32(1 << 20))

        let child = ChildProcess(pid: pid, stdin: inPipe[1])
        child.startThreads(stdout: outPipe[0], stderr: errPipe[0], logger: logger)
        return child
    }

    private func startThreads(stdout: Int32, stderr: Int32, logger: Logger) {
        let inbox = lines
        Thread.detachNewThread {
            ChildProcess.readLines(from: stdout, limit: ChildProcess.maxLineBytes) { line, overflow in
                inbox.push(overflow > 0 ? .tooLong(overflow) : .line(line))
            }
            close(stdout)
            inbox.close()
        }
        let tail = stderrTail
        let ended = stderrEnded
        let pid = self.pid
        let document = currentDocument
        Thread.detachNewThread {
            ChildProcess.readLines(from: stderr, limit: 1 << 20) { line, overflow in
                var text = String(decoding: line.prefix(4096), as: UTF8.self)
                if line.count > 4096 || overflow > 0 { text += "…" }
                // At the level the line announces, with the document being processed (issue #16).
                let (level, message) = PluginLogLine.parse(text)
                var metadata: Logger.Metadata = ["pid": "\(pid)"]
                if let name = document.withLock({ $0 }) { metadata["document"] = "\(name.debugDescription)" }
                logger.log(level: level, "\(message)", metadata: metadata)
                tail.withLock { t in
                    t.append(text)
                    if t.count > 20 { t.removeFirst(t.count - 20) }
                }
            }
            close(stderr)
            ended.withLock { $0 = true }
        }
        let exit = self.exit
        let reaped = self.reaped
        Thread.detachNewThread {
            // Wait without reaping, mark, then reap: kill() checks the mark under the same lock.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
            reaped.withLock { $0 = true }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7F
            exit.withLock {
                $0 = signal == 0 ? ExitStatus(code: (status >> 8) & 0xFF) : ExitStatus(signal: signal)
            }
        }
    }

    /// Reads `fd` until end of file, calling `body` per line (without the newline).
    private static func readLines(from fd: Int32, limit: Int, _ body: ([UInt8], Int) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var pending: [UInt8] = []
        var dropping = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            var start = 0
            for i in 0..<n where buffer[i] == 0x0A {
                if dropping > 0 {
                    body([], dropping + i - start)
                    dropping = 0
                } else {
                    pending.append(contentsOf: buffer[start..<i])
                    if pending.last == 0x0D { pending.removeLast() }
                    body(pending, 0)
                    pending.removeAll(keepingCapacity: true)
                }
                start = i + 1
            }
            if dropping > 0 {
                dropping += n - start
            } else {
                pending.append(contentsOf: buffer[start..<n])
                if pending.count > limit {
                    dropping = pending.count
                    pending = []
                }
            }
        }
        if dropping > 0 { body([], dropping) } else if !pending.isEmpty { body(pending, 0) }
    }

    var exitStatus: ExitStatus? { exit.withLock { $0 } }
    var hasExited: Bool { reaped.withLock { $0 } }
    var lastErrorLines: [String] { stderrTail.withLock { $0 } }

    /// Writes all of `bytes` to the worker's standard input, or fails at `deadline`
    /// (a worker that does not read) or when the worker has gone.
    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) async -> WriteOutcome {
        var offset = 0
        while offset < bytes.count {
            let n: Int = stdinFD.withLock { fd in
                guard fd >= 0 else { errno = EBADF; return -1 }
                return bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            }
            if n > 0 { offset += n; continue }
            let error = errno
            if n < 0 && (error == EAGAIN || error == EWOULDBLOCK || error == EINTR) {
                if Task.isCancelled { return .cancelled }
                if ContinuousClock.now >= deadline { return .timedOut }
                try? await Task.sleep(for: .milliseconds(1))
                continue
            }
            return .failed(String(cString: strerror(error)))
        }
        return .written
    }

    enum WriteOutcome: Sendable {
        case written
        case timedOut
        case cancelled
        case failed(String)
    }

    /// Sends `signal` to the worker's process group, unless it has already been reaped.
    func kill(_ signal: Int32) {
        reaped.withLock { done in
            if !done { _ = Glibc.kill(-pid, signal) }
        }
    }

    /// Closes standard input: a well-behaved worker exits at end of file.
    func closeInput() {
        stdinFD.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    /// Waits up to `limit` for the worker to end.
    func waitForExit(_ limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !hasExited {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Stops the worker: end of input first when `gently`, then SIGTERM, then
    /// SIGKILL after `grace`. Returns when it has been reaped.
    func stop(gently: Bool, grace: Duration) async {
        if gently {
            closeInput()
            if await waitForExit(grace) { return }
        }
        kill(SIGTERM)
        if !(await waitForExit(grace)) {
            kill(SIGKILL)
            _ = await waitForExit(.seconds(10))
        }
        closeInput()
    }

    /// Waits up to `limit` until standard error is at its end (all lines logged).
    func awaitErrorOutput(_ limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while !stderrEnded.withLock({ $0 }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// The exit status once the reaper has it (it follows `hasExited` closely).
    func awaitExitStatus(_ limit: Duration) async -> ExitStatus? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let s = exitStatus { return s }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}

