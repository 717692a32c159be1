import Foundation
import GleanerCore
import Testing

@testable import GleanerView

@Suite struct EntityLanguagesView {
    @Test("a language without an entity model: one notice line, and the layer is not listed as a plugin's")
    func notCoveredNotice() throws {
        var doc = handMadeDocument()
        doc.add(EntityLanguagesLayer(covered: ["en"], notCovered: ["ja"]))
        let html = HTMLView.render(doc)
        let root = try HTMLTree.parse(html)
        let notices = root.descendants.filter { $0.hasClass("notice") && $0.text(skipping: []).contains("No entities tagged") }
        #expect(notices.count == 1)
        #expect(notices.first?.text(skipping: []).contains("ja") == true)
        #expect(!html.contains(">entity_languages<"))
        // Every language covered: no notice.
        var covered = handMadeDocument()
        covered.add(EntityLanguagesLayer(covered: ["en"], notCovered: []))
        #expect(!HTMLView.render(covered).contains("No entities tagged"))
    }
}
