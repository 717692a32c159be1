import Foundation
import GleanerCore
import QuoteExtraction

/// The `quotes` processor alone on the PolNeAR dev articles. The entities layer is
/// left empty (the entity tagger is not on main yet): resolution then falls back to
/// the processor's own name matching, which does slightly more work per speaker.
let quoteSuite = BenchmarkSuite(name: "quotes") { report in
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/quotes/polnear/dev.jsonl").standardized.path
    guard let data = FileManager.default.contents(atPath: path), let all = String(data: data, encoding: .utf8) else {
        print("  quotes: \(path) not found, skipped")
        return
    }
    var docs: [Document] = []
    for line in all.split(separator: "\n") {
        guard let j = try? JSONValue.parse(String(line)), let text = j["text"]?.stringValue else { continue }
        var d = Document(text: text)
        d.add(EntitiesLayer([]))
        docs.append(d)
    }
    guard !docs.isEmpty else { return }
    let settings = QuoteSettings()
    var sink = 0
    let seconds = BenchReport.time(minimumSeconds: 2) {
        for d in docs { sink &+= QuoteProcessor.extract(d, settings: settings).quotes.count }
    }
    let chars = docs.reduce(0) { $0 + $1.text.count }
    report.add("quotes: PolNeAR dev articles/s (1 core, empty entities)", Double(docs.count) / seconds, "docs/s",
               detail: "\(docs.count) docs, \(chars / docs.count) chars avg, \(sink > 0 ? "ok" : "no quotes")")
}
