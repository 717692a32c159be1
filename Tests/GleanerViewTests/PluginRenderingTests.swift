import Foundation
import GleanerCore
import Testing

@testable import GleanerView

/// Issue #16: a plugin's render hints, as values and in the page.
@Suite struct PluginRenderingTests {
    func document() -> Document {
        var doc = Document(text: "Say <NO> to it, and YES to that.")
        doc.add(layer: LayerName("loud"), json: [
            "words": [["start": 4, "end": 8, "label": "<b>angry</b>"], ["start": 20, "end": 23], ["start": 30, "end": 99]],
            "share": .double(0.25), "nested": ["a": 1],
        ])
        var run = ProcessorRun(name: "loud", version: "1", durationMs: 1, outcome: .ok)
        run.render = ["loud": ["spans": "words", "label": "Loud <words>", "facts": ["share", "nested", "missing"]]]
        doc.runs = [run]
        return doc
    }

    @Test("Spans inside the text are kept with their note; facts are scalar members only")
    func values() {
        let r = PluginRendering.of(document())
        #expect(r.count == 1)
        #expect(r.first?.highlights.map { [$0.start, $0.end] } == [[4, 8], [20, 23]])
        #expect(r.first?.highlights.first?.note == "<b>angry</b>")
        #expect(r.first?.facts.map(\.key) == ["loud.share"])
        #expect(r.first?.facts.first?.value == "0.25")
        var failed = document()
        failed.runs[0].outcome = .failed
        #expect(PluginRendering.of(failed).isEmpty, "a failed run's hints are not followed")
    }

    @Test("The page highlights the spans, escapes labels and notes, and lists the facts; the index gets a column")
    func page() {
        let html = HTMLView.render(document())
        #expect(html.contains(#"title="Loud &lt;words&gt;: &lt;b&gt;angry&lt;/b&gt;">&lt;NO&gt;</span>"#), "\(html)")
        #expect(html.contains(#"title="Loud &lt;words&gt;">YES</span>"#))
        #expect(!html.contains("<b>angry"))
        #expect(html.contains("<dt>loud.share</dt><dd>0.25</dd>"))
        let entry = OutboxIndex.entry(for: document(), htmlPath: "a.html", jsonPath: "a.json")
        #expect(entry.facts == ["loud.share": "0.25"])
        let index = OutboxIndex.render(entries: [entry], failed: [], generatedAt: Date())
        #expect(index.contains(#"<th scope="col" class="fact-col">loud.share</th>"#))
        #expect(index.contains(#"<td data-label="loud.share" class="num"><div>0.25</div></td>"#))
    }
}
