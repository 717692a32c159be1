import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What every child process of Gleaner's is started with, shared by the extractor supervisor and the
/// external plugin workers: the glibc calls Swift does not import without _GNU_SOURCE (looked up once by
/// name), and the spawn attributes (its own process group, no blocked signal, default dispositions).
public struct GlibcSpawn: @unchecked Sendable {
    public typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    public typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    public typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    public typealias Prlimit = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?, UnsafeMutablePointer<rlimit>?) -> Int32

    public let pipe2: Pipe2
    public let addChdir: AddChdir
    public let addClosefrom: AddClosefrom
    public let prlimit: Prlimit

    /// Nil on a C library without these extensions (glibc before 2.34).
    public static let shared: GlibcSpawn? = {
        guard let handle = dlopen(nil, RTLD_NOW),
            let p = dlsym(handle, "pipe2"),
            let c = dlsym(handle, "posix_spawn_file_actions_addchdir_np"),
            let f = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np"),
            let l = dlsym(handle, "prlimit")
        else { return nil }
        return GlibcSpawn(
            pipe2: unsafeBitCast(p, to: Pipe2.self), addChdir: unsafeBitCast(c, to: AddChdir.self),
            addClosefrom: unsafeBitCast(f, to: AddClosefrom.self), prlimit: unsafeBitCast(l, to: Prlimit.self))
    }()

    /// Sets initialised attributes for a child: a process group of its own (so the whole group can be
    /// killed), no blocked signal, and default dispositions (Gleaner ignores SIGPIPE; the child must not).
    public static func setChildAttributes(_ attributes: inout posix_spawnattr_t) {
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }
}
