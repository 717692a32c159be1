import Foundation
import GleanerCore

/// What the catalogue keeps of one `gleaner.document/1` result: pure values, read from the JSON.
public struct ResultRecord: Sendable, Hashable {
    public struct Mention: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var text: String
        public var type: String
        /// The document's cluster id (`E1`…), or nil.
        public var cluster: String?
    }

    /// One entity of the document: a cluster of mentions with its canonical name.
    public struct Cluster: Sendable, Hashable {
        public var id: String
        public var type: String
        public var name: String
        public var mentions: Int
    }

    public struct Quotation: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var text: String
        public var kind: String
        public var speakerText: String?
        /// The resolved name (`speaker.resolved` when present, else `speaker.name`), or nil.
        public var speakerName: String?
        /// The document's cluster id of the speaker, or nil.
        public var speakerCluster: String?
        public var cue: String?
    }

    public var sourceName: String
    public var sha256: String
    public var bytes: Int
    public var mediaType: String
    public var receivedAt: String
    /// `source.title`, else the first non-empty line of the text (at most 200 characters).
    public var headline: String
    /// Where the headline came from: `metadata` or `first-line` (or `file-name` for an empty text).
    public var headlineSource: String
    /// `source.published` when present.
    public var published: String?
    /// The document's date for sorting and timelines: `published`, else `received_at` (ISO 8601).
    public var date: String
    public var outlet: String?
    public var byline: String?
    public var language: String?
    public var text: String
    public var mentions: [Mention]
    public var clusters: [Cluster]
    public var quotations: [Quotation]
    /// Processors that failed or were skipped.
    public var problems: [String]

    public var speechCount: Int { quotations.filter { $0.kind != "term" }.count }

    public enum ParseError: Error, CustomStringConvertible {
        case invalidJSON(String)
        case notAResult(String)
        public var description: String {
            switch self {
            case .invalidJSON(let m): "not valid JSON: \(m)"
            case .notAResult(let m): "not a gleaner.document/1 result: \(m)"
            }
        }
    }

    public init(json bytes: [UInt8]) throws(ParseError) {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes: bytes) } catch { throw .invalidJSON(error.description) }
        try self.init(value)
    }

    public init(_ value: JSONValue) throws(ParseError) {
        guard value["schema"]?.stringValue == "gleaner.document/1" else { throw .notAResult("no schema gleaner.document/1") }
        guard let source = value["source"], let text = value["text"]?.stringValue else { throw .notAResult("no source or text") }
        sourceName = source["name"]?.stringValue ?? ""
        sha256 = source["sha256"]?.stringValue ?? ""
        bytes = source["bytes"]?.intValue ?? 0
        mediaType = source["media_type"]?.stringValue ?? ""
        receivedAt = source["received_at"]?.stringValue ?? ""
        self.text = text
        let title = source["title"]?.stringValue.map(Self.oneLine) ?? ""
        if !title.isEmpty {
            headline = String(title.prefix(200))
            headlineSource = "metadata"
        } else if let line = Self.firstLine(of: text) {
            headline = line.count > 200 ? String(line.prefix(199)) + "…" : line
            headlineSource = "first-line"
        } else {
            headline = sourceName
            headlineSource = "file-name"
        }
        published = source["published"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        date = published ?? receivedAt
        outlet = source["outlet"]?.stringValue.map(Self.oneLine).flatMap { $0.isEmpty ? nil : $0 }
        let authors = source["authors"]?.arrayValue?.compactMap { $0.stringValue.map(Self.oneLine) }.filter { !$0.isEmpty } ?? []
        byline = authors.isEmpty ? nil : authors.joined(separator: ", ")
        language = value["language"]?["code"]?.stringValue

        var mentions: [Mention] = []
        var clusters: [String: Cluster] = [:]
        var order: [String] = []
        for e in value["entities"]?.arrayValue ?? [] {
            guard let start = e["start"]?.intValue, let end = e["end"]?.intValue, let type = e["type"]?.stringValue else { continue }
            let t = e["text"]?.stringValue ?? ""
            let id = e["id"]?.stringValue
            mentions.append(Mention(start: start, end: end, text: t, type: type, cluster: id))
            guard let id else { continue }
            let canonical = e["canonical"]?.stringValue ?? t
            if clusters[id] == nil {
                order.append(id)
                clusters[id] = Cluster(id: id, type: type, name: canonical, mentions: 0)
            }
            clusters[id]?.mentions += 1
            // The longest canonical seen names the cluster.
            if canonical.count > clusters[id]!.name.count { clusters[id]?.name = canonical }
        }
        self.mentions = mentions
        self.clusters = order.compactMap { clusters[$0] }

        var quotations: [Quotation] = []
        for q in value["quotes"]?.arrayValue ?? [] {
            guard let start = q["start"]?.intValue, let end = q["end"]?.intValue else { continue }
            let speaker = q["speaker"]
            let resolved = speaker?["resolved"]
            let resolvedName = resolved?.stringValue ?? resolved?["name"]?.stringValue
            quotations.append(Quotation(
                start: start, end: end, text: q["text"]?.stringValue ?? "", kind: q["kind"]?.stringValue ?? "direct",
                speakerText: speaker?["text"]?.stringValue, speakerName: resolvedName ?? speaker?["name"]?.stringValue,
                speakerCluster: speaker?["entity"]?.stringValue, cue: q["cue"]?["text"]?.stringValue))
        }
        self.quotations = quotations
        problems = (value["processors"]?.arrayValue ?? []).compactMap { p in
            guard let status = p["status"]?.stringValue, status != "ok", let name = p["name"]?.stringValue else { return nil }
            return "\(name) \(status)" + (p["error"]?.stringValue.map { ": \($0)" } ?? "")
        }
    }

    /// The first line with something other than white space, as one line (without reading the rest of the text).
    static func firstLine(of text: String) -> String? {
        var rest = text.unicodeScalars[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(where: Self.breaksLine) ?? rest.endIndex
            let line = oneLine(String(String.UnicodeScalarView(rest[..<end])))
            if !line.isEmpty { return line }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return nil
    }

    /// What `Character.isNewline` calls a newline, as scalars ("\r\n" ends a line at "\r").
    static func breaksLine(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// A `failed/NAME.error.json` sidecar.
public struct FailureRecord: Sendable, Hashable {
    public var name: String
    public var reason: String
    public var message: String
    public var time: String

    public init(json bytes: [UInt8]) throws(ResultRecord.ParseError) {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes: bytes) } catch { throw .invalidJSON(error.description) }
        guard let name = value["name"]?.stringValue, let reason = value["reason"]?.stringValue else {
            throw .notAResult("no name or reason")
        }
        self.name = name
        self.reason = reason
        message = value["message"]?.stringValue ?? ""
        time = value["time"]?.stringValue ?? ""
    }
}
