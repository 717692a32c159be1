import GleanerCore
import Testing

@Suite struct LanguageRegionTests {
    @Test func regionsCoverTheTextInOrder() {
        let layer = LanguageLayer(
            code: "en", confidence: 0.99, alternatives: [],
            segments: [
                LanguageSegment(span: Span(start: 40, end: 60), code: "fr", confidence: 0.9),
                LanguageSegment(span: Span(start: 10, end: 20), code: "de", confidence: 0.9),
                LanguageSegment(span: Span(start: 15, end: 30), code: "es", confidence: 0.9),  // overlaps: ignored
                LanguageSegment(span: Span(start: 60, end: 70), code: "fr", confidence: 0.9),  // joined with the previous
            ])
        let regions = layer.regions(length: 80)
        #expect(regions.map(\.code) == ["en", "de", "en", "fr", "en"])
        #expect(regions.map(\.span) == [
            Span(start: 0, end: 10), Span(start: 10, end: 20), Span(start: 20, end: 40),
            Span(start: 40, end: 70), Span(start: 70, end: 80),
        ])
        #expect(layer.code(at: 45) == "fr")
        #expect(layer.code(at: 75) == "en")
    }

    @Test func segmentsBeyondTheTextAreClipped() {
        let layer = LanguageLayer(
            code: "fr", confidence: 0.9, alternatives: [],
            segments: [LanguageSegment(span: Span(start: 5, end: 500), code: "en", confidence: 0.9)])
        #expect(layer.regions(length: 8) == [
            LanguageRegion(span: Span(start: 0, end: 5), code: "fr"), LanguageRegion(span: Span(start: 5, end: 8), code: "en"),
        ])
        #expect(layer.regions(length: 0).isEmpty)
    }
}
