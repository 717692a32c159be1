import Foundation
import GleanerCore
import GleanerText

/// Names users add: aliases, their canonical names and types, from a TSV file.
///
/// One entry a line: `name<TAB>canonical<TAB>TYPE`, e.g. `Poutine<TAB>Vladimir Putin<TAB>PERSON`.
/// The canonical column may be empty (the name is its own canonical form) and the type
/// may be left out (the model's type is kept). `#` starts a comment line.
/// The canonical name itself is matched too.
public struct UserGazetteer: Sendable {
    struct Entry: Sendable {
        var tokens: [[Unicode.Scalar]]
        var canonical: String
        var type: EntityType?
    }

    /// Entries by the exact hash of their first token, longest first.
    private(set) var byFirstToken: [UInt64: [Entry]] = [:]
    public private(set) var count = 0

    public static let knownTypes: [EntityType] = [
        .person, .organization, .location, .misc, .date, .time, .money, .percent, .quantity,
    ]

    /// Reads a gazetteer file; mistakes are reported with their line.
    public init(path: String) throws(ConfigurationError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(.badPath, "entities gazetteer file '\(path)' does not exist")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(.unreadable, "entities gazetteer file '\(path)' cannot be read as UTF-8 text")
        }
        try self.init(tsv: text, source: path)
    }

    public init(tsv text: String, source: String = "gazetteer") throws(ConfigurationError) {
        let tokenizer = Tokenizer()
        func tokens(_ s: String) -> [[Unicode.Scalar]] {
            let dt = DocumentText(s)
            return tokenizer.tokenize(dt).map { Array(dt.scalars[$0.span.range]) }
        }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines.subtracting(.init(charactersIn: "\t")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let at = SourceLocation(file: source, line: n + 1)
            guard cols.count <= 3, let name = cols.first, !name.isEmpty else {
                throw ConfigurationError(
                    .syntax, "a gazetteer line must be name<TAB>canonical<TAB>TYPE", at: at,
                    hint: "e.g. Poutine\tVladimir Putin\tPERSON")
            }
            let canonical = cols.count > 1 && !cols[1].isEmpty ? cols[1] : name
            var type: EntityType?
            if cols.count > 2, !cols[2].isEmpty {
                let t = EntityType(rawValue: cols[2].uppercased())
                guard Self.knownTypes.contains(t) else {
                    throw ConfigurationError(
                        .invalidValue, "unknown entity type '\(cols[2])' in the gazetteer", at: at,
                        hint: closestMatch(to: cols[2], in: Self.knownTypes.map(\.rawValue)).map { "did you mean \($0)?" }
                            ?? "known types: \(Self.knownTypes.map(\.rawValue).joined(separator: ", "))")
                }
                type = t
            }
            for form in Set([name, canonical]) {
                let toks = tokens(form)
                guard let first = toks.first else { continue }
                byFirstToken[Self.hash(first[...]), default: []].append(Entry(tokens: toks, canonical: canonical, type: type))
                count += 1
            }
        }
        for key in byFirstToken.keys { byFirstToken[key]?.sort { $0.tokens.count > $1.tokens.count } }
    }

    /// Exact (case-sensitive) hash of a token's text.
    static func hash(_ s: ArraySlice<Unicode.Scalar>) -> UInt64 {
        var x: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in s { x = (x ^ UInt64(c.value == 0x2019 ? 39 : c.value)) &* 0x0000_0100_0000_01b3 }
        return x
    }

    /// Matches in a run of tokens: (first token, end token, entry), longest first, not overlapping.
    func matches(_ scalars: [Unicode.Scalar], tokens: [Range<Int>]) -> [(start: Int, end: Int, entry: Entry)] {
        if byFirstToken.isEmpty { return [] }
        var out: [(Int, Int, Entry)] = []
        var i = 0
        while i < tokens.count {
            if let entries = byFirstToken[Self.hash(scalars[tokens[i]])] {
                if let e = entries.first(where: { e in
                    i + e.tokens.count <= tokens.count
                        && e.tokens.indices.allSatisfy { k in Self.same(scalars[tokens[i + k]], e.tokens[k]) }
                }) {
                    out.append((i, i + e.tokens.count, e))
                    i += e.tokens.count
                    continue
                }
            }
            i += 1
        }
        return out
    }

    private static func same(_ a: ArraySlice<Unicode.Scalar>, _ b: [Unicode.Scalar]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let xv = x.value == 0x2019 ? 39 : x.value, yv = y.value == 0x2019 ? 39 : y.value
            if xv != yv { return false }
        }
        return true
    }
}
