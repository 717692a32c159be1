import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a helper program (pdftotext, `gleaner extract --child`) to completion
/// under a time limit and an address-space limit: posix_spawn without a shell,
/// its own process group, a clean descriptor table, standard output collected
/// up to a cap. Past the time limit the process group is killed (SIGKILL).
public enum Supervisor {
    public struct Outcome: Sendable {
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// Exit status, when it exited.
        public var status: Int32?
        /// The signal that ended it, when one did.
        public var signal: Int32?
        public var timedOut: Bool
        /// Standard output went past the cap (the rest was dropped).
        public var truncated: Bool
        public var elapsed: Duration

        public var stderrText: String { String(decoding: stderr.suffix(2000), as: UTF8.self) }
    }

    /// Runs `arguments` (the first is the program's absolute path).
    public static func run(
        _ arguments: [String], timeLimit: Duration, memoryLimit: Int = 0, maxOutput: Int = 512 << 20,
        environment: [String: String]? = nil
    ) async throws(ExtractError) -> Outcome {
        let started = ContinuousClock.now
        let spawned = try spawn(arguments, memoryLimit: memoryLimit, environment: environment)
        let deadline = started + timeLimit
        return await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
            Thread.detachNewThread {
                c.resume(returning: supervise(spawned, deadline: deadline, maxOutput: maxOutput, started: started))
            }
        }
    }

    struct Spawned { var pid: pid_t; var out: Int32; var err: Int32 }

    static func spawn(_ arguments: [String], memoryLimit: Int, environment: [String: String]?) throws(ExtractError) -> Spawned {
        guard let GNU = GlibcSpawn.shared else { throw ExtractError(.toolMissing, "this C library lacks posix_spawn extensions (glibc 2.34 or later)") }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard GNU.pipe2(&outPipe, O_CLOEXEC) == 0 else { throw ExtractError(.toolMissing, "pipe: \(String(cString: strerror(errno)))") }
        guard GNU.pipe2(&errPipe, O_CLOEXEC) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw ExtractError(.toolMissing, "pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        _ = GNU.addClosefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        GlibcSpawn.setChildAttributes(&attributes)
        let env = environment ?? ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw ExtractError(.toolMissing, "cannot start \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        if memoryLimit > 0 {
            // The limit is set from outside right after the start (prlimit(2)); the program has not yet
            // got past its loader, let alone the input.
            var limit = rlimit(rlim_cur: rlim_t(memoryLimit), rlim_max: rlim_t(memoryLimit))
            _ = GNU.prlimit(pid, Int32(RLIMIT_AS.rawValue), &limit, nil)
        }
        return Spawned(pid: pid, out: outPipe[0], err: errPipe[0])
    }

    static func supervise(_ s: Spawned, deadline: ContinuousClock.Instant, maxOutput: Int, started: ContinuousClock.Instant) -> Outcome {
        let out = Collected(), err = Collected()
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread { out.drain(s.out, cap: maxOutput); group.leave() }
        group.enter()
        Thread.detachNewThread { err.drain(s.err, cap: 64 << 10); group.leave() }
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(s.pid, &status, WNOHANG)
            if r == s.pid { break }
            if r < 0 && errno != EINTR { break }
            if ContinuousClock.now >= deadline {
                timedOut = true
                _ = kill(-s.pid, SIGKILL)
                _ = kill(s.pid, SIGKILL)
                while waitpid(s.pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(1000)
        }
        // Grandchildren left in the group would keep the pipes open.
        _ = kill(-s.pid, SIGKILL)
        group.wait()
        let signal = status & 0x7F
        return Outcome(
            stdout: out.bytes, stderr: err.bytes, status: signal == 0 ? (status >> 8) & 0xFF : nil,
            signal: signal == 0 ? nil : signal, timedOut: timedOut, truncated: out.overflow, elapsed: ContinuousClock.now - started)
    }

    final class Collected: @unchecked Sendable {
        var bytes: [UInt8] = []
        var overflow = false
        func drain(_ fd: Int32, cap: Int) {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                if bytes.count + n <= cap { bytes.append(contentsOf: buffer[0..<n]) } else { overflow = true }
            }
            close(fd)
        }
    }

    /// The absolute path of a program in the usual folders, or nil.
    public static func which(_ program: String) -> String? {
        ["/usr/bin", "/bin", "/usr/local/bin"].map { "\($0)/\(program)" }.first { access($0, X_OK) == 0 }
    }
}

