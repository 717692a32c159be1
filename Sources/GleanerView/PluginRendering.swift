import Foundation
import GleanerCore

/// What an external plugin's `render` hints (protocol version 2, docs/PLUGINS.md) ask the views to show, read
/// from the runs recorded in a document:
///
///     "render": {"LAYER": {"spans": true | "MEMBER", "label": "…", "facts": ["MEMBER", …]}}
///
/// `spans`: the layer (true) or its member MEMBER is an array of objects with `start` and `end`, highlighted in the
/// text; `label` names them in the legend and tooltips; `facts`: members of the layer with a scalar value, shown
/// in the summary panel and as columns of the outbox index. Pure, tested as values.
public struct PluginRendering: Sendable, Hashable {
    public struct Highlight: Sendable, Hashable {
        public var start: Int
        public var end: Int
        /// A tooltip: the span's own `label`, `type` or `value` member when it has one.
        public var note: String?
    }

    public var processor: String
    public var layer: String
    public var label: String
    /// Its place among the document's plugin highlights (for the colour).
    public var index: Int
    public var highlights: [Highlight]
    /// "layer.member" → the value as text, in the order the hints list them.
    public var facts: [(key: String, value: String)]

    public static func == (a: Self, b: Self) -> Bool {
        a.processor == b.processor && a.layer == b.layer && a.highlights == b.highlights && a.facts.map(\.key) == b.facts.map(\.key)
            && a.facts.map(\.value) == b.facts.map(\.value)
    }

    public func hash(into h: inout Hasher) {
        h.combine(processor)
        h.combine(layer)
    }

    /// Every layer of `document` with render hints, in run order; spans outside the text are dropped.
    public static func of(_ document: Document) -> [PluginRendering] {
        var out: [PluginRendering] = []
        let n = document.text.count
        for run in document.runs where run.outcome == .ok {
            guard let hints = run.render?.objectValue else { continue }
            for (layer, hint) in hints {
                guard let json = document.json(of: LayerName(layer)) else { continue }
                var rendering = PluginRendering(
                    processor: run.name, layer: layer, label: hint["label"]?.stringValue ?? layer, index: out.count, highlights: [], facts: [])
                let spanSource: JSONValue?
                switch hint["spans"] {
                case .bool(true)?: spanSource = json
                case .string(let member)?: spanSource = json[member]
                default: spanSource = nil
                }
                for item in spanSource?.arrayValue ?? [] {
                    guard let s = item["start"]?.intValue, let e = item["end"]?.intValue, s >= 0, e <= n, s < e else { continue }
                    let note = ["label", "type", "value"].lazy.compactMap { item[$0].flatMap(Self.scalarText) }.first
                    rendering.highlights.append(Highlight(start: s, end: e, note: note))
                }
                for key in hint["facts"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    if let value = json[key].flatMap(Self.scalarText) { rendering.facts.append(("\(layer).\(key)", value)) }
                }
                out.append(rendering)
            }
        }
        return out
    }

    /// Strings, numbers and booleans as text; nil for objects, arrays and null.
    static func scalarText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return HTMLText.oneLine(s, limit: 200)
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(format: "%.3g", d)
        case .bool(let b): return b ? "yes" : "no"
        default: return nil
        }
    }

    /// Four colours, repeated; each works on the light and the dark theme.
    static let palette = ["#fde68a", "#bbf7d0", "#fbcfe8", "#c7d2fe"]
}
