import Foundation

/// A processor's options from the configuration (`[processors.NAME]`),
/// read through typed accessors that report every mistake with its place.
///
/// A processor reads what it knows, then calls ``finish()``, which turns any
/// key it did not read into an "unknown key" error with a suggestion.
public struct ProcessorOptions: Sendable {
    public let processor: String
    public let table: ConfigTable
    private var read: Set<String> = []
    /// The table's header as written, for messages: `[processors.language]`.
    public let section: String
    /// Keys interpreted elsewhere and so never "unknown" here.
    private let reserved: Set<String>

    public init(processor: String, table: ConfigTable = ConfigTable()) {
        self.processor = processor
        self.table = table
        self.section = "[processors.\(processor)]"
        self.reserved = Self.commonKeys
    }

    /// A reader for any other table of the configuration, e.g. `[daemon]`.
    public init(section: String, table: ConfigTable) {
        self.processor = section
        self.table = table
        self.section = "[\(section)]"
        self.reserved = []
    }

    /// Keys the pipeline itself interprets for every processor.
    public static let commonKeys: Set<String> = ["enabled", "kind", "timeout", "required"]

    /// Where `key` was written, or where the table was opened.
    public func location(_ key: String) -> SourceLocation? { table[key]?.location ?? table.location }

    private func wrongType(_ key: String, _ value: ConfigValue, expected: String) -> ConfigurationError {
        ConfigurationError(
            .wrongType, "\(section) \(key) must be \(expected), not \(value.typeName)", at: value.location)
    }

    public func contains(_ key: String) -> Bool { table[key] != nil }

    public mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let s = value.string else { throw wrongType(key, value, expected: "a string") }
        return s
    }

    public mutating func string(_ key: String, default fallback: String, oneOf allowed: [String]? = nil)
        throws(ConfigurationError) -> String
    {
        guard let s = try string(key) else { return fallback }
        if let allowed, !allowed.contains(s) {
            throw ConfigurationError(
                .invalidValue, "\(section) \(key) = \"\(s)\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))",
                at: location(key), hint: closestMatch(to: s, in: allowed).map { "did you mean \"\($0)\"?" })
        }
        return s
    }

    public mutating func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let items = value.array else { throw wrongType(key, value, expected: "an array of strings") }
        var out: [String] = []
        for item in items {
            guard let s = item.string else { throw wrongType(key, item, expected: "an array of strings") }
            out.append(s)
        }
        return out
    }

    public mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int> = Int.min...Int.max)
        throws(ConfigurationError) -> Int
    {
        read.insert(key)
        guard let value = table[key] else { return fallback }
        guard let i = value.integer else { throw wrongType(key, value, expected: "an integer") }
        guard range.contains(i) else {
            throw ConfigurationError(
                .invalidValue, "\(section) \(key) = \(i) is out of range \(range.lowerBound)...\(range.upperBound)",
                at: value.location)
        }
        return i
    }

    public mutating func double(_ key: String, default fallback: Double, range: ClosedRange<Double> = -.infinity...(.infinity))
        throws(ConfigurationError) -> Double
    {
        read.insert(key)
        guard let value = table[key] else { return fallback }
        guard let d = value.number else { throw wrongType(key, value, expected: "a number") }
        guard range.contains(d) else {
            throw ConfigurationError(
                .invalidValue, "\(section) \(key) = \(d) is out of range \(range.lowerBound)...\(range.upperBound)",
                at: value.location)
        }
        return d
    }

    public mutating func bool(_ key: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        read.insert(key)
        guard let value = table[key] else { return fallback }
        guard let b = value.boolean else { throw wrongType(key, value, expected: "true or false") }
        return b
    }

    /// A table of numbers, e.g. `hints = { en = 2.0, fr = 1.5 }`.
    public mutating func numberTable(_ key: String) throws(ConfigurationError) -> [String: Double]? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let t = value.table else { throw wrongType(key, value, expected: "a table of numbers") }
        var out: [String: Double] = [:]
        for entry in t.entries {
            guard let d = entry.value.number else { throw wrongType("\(key).\(entry.key)", entry.value, expected: "a number") }
            out[entry.key] = d
        }
        return out
    }

    /// A duration such as `"10s"`, `"250ms"`, `"2m"` or a number of seconds.
    /// A duration: a number of seconds, or a string such as `"10s"`, `"250ms"`, `"2m"`. With `positive`,
    /// zero is refused (a time limit of zero would fail everything it limits).
    public mutating func duration(_ key: String, default fallback: Duration, positive: Bool = false) throws(ConfigurationError) -> Duration {
        read.insert(key)
        guard let value = table[key] else { return fallback }
        var parsed: Duration?
        if let seconds = value.number, seconds >= 0 { parsed = .milliseconds(Int64(seconds * 1000)) }
        if parsed == nil, let text = value.string { parsed = parseDuration(text) }
        guard let d = parsed else {
            throw ConfigurationError(
                .invalidValue, "\(section) \(key) must be a duration such as \"10s\", \"250ms\" or \"2m\"",
                at: value.location)
        }
        if positive && d <= .zero {
            throw ConfigurationError(
                .invalidValue, "\(section) \(key) must be longer than zero", at: value.location,
                hint: "a limit of zero would stop everything it limits; remove the key for the default")
        }
        return d
    }

    /// A size in bytes: an integer, or a string such as `"16MiB"`, `"500KB"`, `"2G"`.
    public mutating func bytes(_ key: String, default fallback: Int) throws(ConfigurationError) -> Int {
        read.insert(key)
        guard let value = table[key] else { return fallback }
        if let i = value.integer, i > 0 { return i }
        if let text = value.string, let n = parseByteSize(text), n > 0 { return n }
        throw ConfigurationError(
            .invalidValue, "\(section) \(key) must be a positive size such as 16777216 or \"16MiB\"", at: value.location)
    }

    /// Marks a key as understood without reading it (for keys read elsewhere).
    public mutating func accept(_ key: String) { read.insert(key) }

    /// Throws for the first key no accessor read, with a suggestion.
    public func finish() throws(ConfigurationError) {
        let known = read.union(reserved)
        for entry in table.entries where !known.contains(entry.key) {
            throw ConfigurationError(
                .unknownKey, "unknown key '\(entry.key)' in \(section)", at: entry.value.location,
                hint: closestMatch(to: entry.key, in: known).map { "did you mean '\($0)'?" }
                    ?? "known keys: \(known.sorted().joined(separator: ", "))")
        }
    }
}

/// Parses `"10s"`, `"1.5s"`, `"250ms"`, `"2m"`, `"1h"`.
public func parseDuration(_ text: String) -> Duration? {
    let t = text.trimmingCharacters(in: .whitespaces)
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, factor) in units where t.hasSuffix(suffix) {
        guard let n = Double(t.dropLast(suffix.count)), n >= 0, n.isFinite else { return nil }
        return .milliseconds(Int64((n * factor * 1000).rounded()))
    }
    return nil
}

/// Parses `"16MiB"`, `"500KB"`, `"2G"`, `"1024"` (binary multiples for K, M, G with or without "iB").
public func parseByteSize(_ text: String) -> Int? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Int)] = [
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30),
        ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("b", 1),
    ]
    for (suffix, factor) in units where t.hasSuffix(suffix) {
        guard let n = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n >= 0 else { return nil }
        return Int(n * Double(factor))
    }
    return Int(t)
}
