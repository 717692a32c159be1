// Tuning driver: JSON lines {"doc_id","text"[, "entities"]} on stdin → predictions in the scorer's form
// ({"doc_id","quotes":[{"start","end","speaker","name","kind"}]}), terms left out.
// `--bench N`: time N passes over the input instead.
import Foundation

let args = CommandLine.arguments
var docs: [(JSONValue, Document)] = []
while let line = readLine() {
    guard let j = try? JSONValue.parse(line), let text = j["text"]?.stringValue else { continue }
    var d = Document(text: text)
    if let ents = j["entities"]?.arrayValue {
        var ms: [EntityMention] = []
        for e in ents {
            guard let s = e["start"]?.intValue, let en = e["end"]?.intValue else { continue }
            ms.append(EntityMention(span: Span(start: s, end: en), type: EntityType(rawValue: e["type"]?.stringValue ?? "PERSON"),
                                    entityID: e["id"]?.stringValue ?? "", canonical: e["canonical"]?.stringValue ?? ""))
        }
        d.add(EntitiesLayer(ms))
    }
    docs.append((j["doc_id"] ?? .null, d))
}
if let bi = args.firstIndex(of: "--bench"), bi + 1 < args.count, let n = Int(args[bi + 1]) {
    let t0 = Date()
    var total = 0
    for _ in 0..<n { for (_, d) in docs { total += QuoteProcessor.extract(d).quotes.count } }
    let dt = Date().timeIntervalSince(t0)
    print("docs/s: \(Double(n * docs.count) / dt)  quotes=\(total)")
    exit(0)
}
let settings = QuoteSettings(includeTerms: args.contains("--terms"))
for (id, d) in docs {
    let layer = QuoteProcessor.extract(d, settings: settings)
    var qs: [JSONValue] = []
    for q in layer.quotes {
        var sp: JSONValue = .null
        var name: JSONValue = .null
        var ss: JSONValue = .null, se: JSONValue = .null
        if let s = q.speaker { sp = .string(d.text[s.span]); name = .optional(s.name); ss = .int(s.span.start); se = .int(s.span.end) }
        qs.append(["start": .int(q.span.start), "end": .int(q.span.end), "speaker": sp, "name": name,
                   "speaker_start": ss, "speaker_end": se,
                   "kind": .string(q.kind.rawValue), "cue": .optional(q.cue.map { d.text[$0] }),
                   "text": .string(d.text[q.span])])
    }
    print(JSONValue.object([("doc_id", id), ("quotes", .array(qs))]).serialized())
}
