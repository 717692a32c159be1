import Foundation

/// Under the shipped systemd unit (systemd/gleaner.service), some failures have one likely cause in a unit
/// setting: say which, and which drop-in of systemd/overrides/ lifts it. Pure: the environment is passed in.
public enum UnitHints {
    /// True when the process runs as a systemd service (systemd sets INVOCATION_ID for every unit it starts).
    public static func underSystemd(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["INVOCATION_ID"].map { !$0.isEmpty } ?? false
    }

    /// A worker that died before its handshake, killed by `signal` (nil: it exited with `code`).
    public static func workerDiedBeforeHandshake(
        signal: Int32?, code: Int32?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        guard underSystemd(environment) else { return nil }
        switch signal {
        case SIGSYS?:
            return "under systemd, a worker killed by SIGSYS made a system call that the unit's SystemCallFilter= forbids: add what it needs in a drop-in (systemd/overrides/README.md)"
        case SIGKILL?:
            return "under systemd, SIGKILL before the handshake is usually the unit's MemoryMax=, which all plugin workers share with the daemon: raise it (systemd/overrides/plugin-memory.conf)"
        case SIGSEGV?, SIGTRAP?, SIGABRT?, SIGILL?, SIGBUS?:
            return "under systemd, a plugin whose runtime compiles code (a JIT: Node.js, Java, PyPy, LuaJIT, .NET) cannot map executable memory with the unit's MemoryDenyWriteExecute=yes: install systemd/overrides/jit-plugins.conf"
        case nil where code != nil && code != 0:
            return "under systemd, if it runs by hand, check the unit's hardening: MemoryDenyWriteExecute=yes stops JIT runtimes (systemd/overrides/jit-plugins.conf), ProtectSystem=strict and ProtectHome=yes hide or freeze files, PrivateNetwork=yes leaves it no network"
        default:
            return nil
        }
    }

    /// A socket of `family` (AF_INET, AF_INET6) that could not be created: errno `error`.
    public static func socketRefused(errno error: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard underSystemd(environment) || error == EAFNOSUPPORT else { return nil }
        return "the unit's RestrictAddressFamilies=AF_UNIX forbids network sockets (and PrivateNetwork=yes, IPAddressDeny=any would hide the listener): install systemd/overrides/metrics-listener.conf"
    }
}
