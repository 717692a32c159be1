import Logging

/// A line a plugin wrote to its standard error, with the level it says it has: a leading `ERROR`, `WARNING`,
/// `[warn]`, `debug:`, Python logging's `WARNING:name:`, or sd-daemon's `<4>` prefix. Lines without one are
/// logged at info, as before. Pure, tested as values.
public enum PluginLogLine {
    static let words: [(String, Logger.Level)] = [
        ("critical", .critical), ("fatal", .critical), ("error", .error), ("err", .error), ("warning", .warning),
        ("warn", .warning), ("notice", .notice), ("info", .info), ("debug", .debug), ("trace", .trace),
    ]

    public static func parse(_ line: String) -> (level: Logger.Level, message: String) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        // sd-daemon(3) priority prefixes: <0> … <7>.
        if trimmed.count >= 3, trimmed.first == "<", let digit = trimmed.dropFirst().first?.wholeNumberValue, digit <= 7,
            trimmed.dropFirst(2).first == ">"
        {
            let levels: [Logger.Level] = [.critical, .critical, .critical, .error, .warning, .notice, .info, .debug]
            return (levels[digit], String(trimmed.dropFirst(3)).trimmingLeadingSpaces)
        }
        var rest = Substring(trimmed)
        let bracket: Character? = rest.first == "[" ? "]" : rest.first == "<" ? ">" : nil
        if bracket != nil { rest = rest.dropFirst() }
        let lower = rest.prefix(9).lowercased()
        for (word, level) in words where lower.hasPrefix(word) {
            var after = rest.dropFirst(word.count)
            if let bracket {
                guard after.first == bracket else { continue }
                after = after.dropFirst()
            } else {
                // A word of its own: followed by ':', ' ', '-', '|' or the end (not "errors were…").
                guard after.isEmpty || [":", " ", "-", "|"].contains(after.first!) else { continue }
            }
            // Python logging's default format: LEVEL:logger:message.
            if after.first == ":" {
                after = after.dropFirst()
                if let colon = after.firstIndex(of: ":"), !after[..<colon].contains(" ") { after = after[after.index(after: colon)...] }
            }
            let message = String(after.drop { $0 == " " || $0 == "-" || $0 == "|" || $0 == ":" })
            return (level, message.isEmpty ? line : message)
        }
        if trimmed.hasPrefix("Traceback (most recent call last)") { return (.error, line) }
        return (.info, line)
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
