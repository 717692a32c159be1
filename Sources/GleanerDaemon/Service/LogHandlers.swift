import Foundation
import GleanerPipeline
import Logging

/// Logs to standard error. Under systemd (`$JOURNAL_STREAM` set) each line
/// starts with a `<N>` priority prefix that journald turns into the record's
/// priority, and carries no time stamp (the journal has one); elsewhere, plain
/// lines with a time stamp.
public struct StandardErrorLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let journald: Bool

    public init(label: String, level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        self.logLevel = level
        self.journald = environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = self.metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let details = fields.isEmpty ? "" : " " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // One record per line: a newline inside a message (a file name) must not split it.
        let message = "\(event.message)\(details)".replacingOccurrences(of: "\n", with: "\\n")
        let line: String
        if journald {
            line = "<\(Self.priority(event.level))>\(label): \(message)\n"
        } else {
            line = "\(ResultDocument.iso8601(Date(), fraction: false)) \(event.level) \(label): \(message)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// syslog priorities, as sd-daemon(3) defines the prefixes.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }
}
