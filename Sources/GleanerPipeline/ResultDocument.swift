import Foundation
import GleanerCore

/// The `gleaner.document/1` result: one JSON object per document, documented in docs/FORMAT.md.
public enum ResultDocument {
    public static let schema = "gleaner.document/1"

    /// `expectedLayers`: layers the pipeline provides; one missing (its processor failed) is written as null.
    public static func json(for document: Document, gleanerVersion: String, expectedLayers: [LayerName] = []) -> JSONValue {
        let m = document.metadata
        var members: [(String, JSONValue)] = [
            ("schema", .string(schema)),
            ("source", [
                "name": .string(m.sourceName), "sha256": .string(m.sha256), "bytes": .int(m.bytes),
                "media_type": .string(m.mediaType), "encoding": .string(m.encoding),
                "normalizations": .array(m.normalizations.map(JSONValue.string)),
                "received_at": .string(iso8601(m.receivedAt)),
                "title": .optional(m.title), "authors": .array(m.authors.map(JSONValue.string)),
                "published": .optional(m.published), "outlet": .optional(m.outlet), "format": .optional(m.format),
                "extractor": m.extractorName.map { ["name": .string($0), "version": .string(m.extractorVersion ?? "")] } ?? .null,
                "parts": .array(m.parts.map { p in
                    ["kind": .string(p.kind), "start": .int(p.start), "end": .int(p.end), "number": p.number.map(JSONValue.int) ?? .null]
                }),
                "headers": .array(m.headers.map { ["name": .string($0.name), "value": .string($0.value)] }),
                "warnings": .array(m.warnings.map(JSONValue.string)),
            ]),
            ("generator", ["name": "gleaner", "version": .string(gleanerVersion)]),
            ("text", .string(document.text.string)),
            ("processors", .array(document.runs.map { run in
                var members: [(String, JSONValue)] = [
                    ("name", .string(run.name)), ("version", .string(run.version)),
                    ("duration_ms", .double(rounded(run.durationMs, places: 1000))),
                    ("status", .string(run.outcome.rawValue)), ("error", .optional(run.error)),
                ]
                // Why a run failed or was skipped (timeout, crashed, unavailable…): added by issue #16.
                if let reason = run.reason { members.append(("reason", .string(reason))) }
                // Protocol version 2 plugins: warnings, a structured error, rendering hints (issue #16).
                if !run.warnings.isEmpty { members.append(("warnings", .array(run.warnings.map(JSONValue.string)))) }
                if let details = run.errorDetails { members.append(("error_details", details)) }
                if let render = run.render { members.append(("render", render)) }
                return JSONValue.object(members)
            })),
        ]
        for name in Set(document.layerNames).union(expectedLayers).sorted() {
            if document.hasLayer(name) {
                if document.isPublished(name), let value = document.json(of: name) { members.append((name.rawValue, value)) }
            } else if !Self.internalLayers.contains(name) {
                members.append((name.rawValue, .null))
            }
        }
        return .object(members)
    }

    static let internalLayers: Set<LayerName> = [.tokens, .sentences, .paragraphs]

    /// `2026-12-03T14:41:00.123Z` (UTC, milliseconds; without them when `fraction` is false). Formatted by
    /// hand: the daemon stamps every claim, result and log line, and a formatter per call was measurable.
    public static func iso8601(_ date: Date, fraction: Bool = true) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        var millis = Int(((t - Double(seconds)) * 1000).rounded(.down))
        if millis >= 1000 { seconds += 1; millis -= 1000 }
        var tm = tm()
        gmtime_r(&seconds, &tm)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = pad(tm.tm_year + 1900, 4) + "-" + pad(tm.tm_mon + 1, 2) + "-" + pad(tm.tm_mday, 2)
        out += "T" + pad(tm.tm_hour, 2) + ":" + pad(tm.tm_min, 2) + ":" + pad(tm.tm_sec, 2)
        if fraction { out += "." + pad(Int32(millis), 3) }
        return out + "Z"
    }
}
