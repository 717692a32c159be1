import Foundation
import GleanerCore
import GleanerView
import Testing

/// Page numbers of a PDF and the headers of an e-mail in the view; the text itself is unchanged.
@Suite struct ExtractedViewTests {
    @Test func pageMarkersAndMessageHeaders() throws {
        let text = "Headline\n\nFirst page text.\n\nSecond page text."
        var metadata = DocumentMetadata(sourceName: "report.pdf", bytes: 10, sha256: String(repeating: "0", count: 64), mediaType: "application/pdf")
        metadata.title = "A <b>headline</b>"
        metadata.authors = ["Jane Doe"]
        metadata.parts = [.init(kind: "page", start: 0, end: 26, number: 1), .init(kind: "page", start: 28, end: 45, number: 2)]
        metadata.headers = [.init(name: "From", value: "Jane <jane@example.org>"), .init(name: "Subject", value: "Report")]
        let html = HTMLView.render(Document(text: text, metadata: metadata))
        #expect(html.contains("id=\"page-1\"") && html.contains("id=\"page-2\""))
        let page2 = try #require(html.range(of: "id=\"page-2\""))
        let second = try #require(html.range(of: "Second page text."))
        let first = try #require(html.range(of: "First page text."))
        #expect(first.upperBound < page2.lowerBound && page2.upperBound < second.lowerBound)
        #expect(html.contains("<dt>From</dt><dd class=\"break\">Jane &lt;jane@example.org&gt;</dd>"))
        #expect(html.contains("<h1>A &lt;b&gt;headline&lt;/b&gt;</h1>"))
        #expect(html.contains("report.pdf"))
    }
}
