import Testing

@testable import GleanerView

@Suite struct MarkupTests {
    func render(_ text: String, _ marks: [(Int, Int, String)], insertions: [Insertion] = []) -> String {
        let scalars = Array(text.unicodeScalars)
        let list = marks.enumerated().map { i, m in
            Mark(start: m.0, end: m.1, rank: i, open: "<\(m.2)>", reopen: "<\(m.2)+>", close: "</\(m.2)>")
        }
        var out = ""
        MarkupBuilder.render(scalars, range: 0..<scalars.count, marks: list, insertions: insertions, into: &out)
        return out
    }

    @Test func crossingSpansAreSplitAtTheInnerEnd() {
        // a = [0,5) and b = [3,8) cross: b is closed with a and reopened after.
        #expect(render("abcdefgh", [(0, 5, "a"), (3, 8, "b")]) == "<a>abc<b>de</b></a><b+>fgh</b>")
    }

    @Test func nestedAndEqualSpansKeepTheirOrder() {
        #expect(render("abcdef", [(0, 6, "q"), (2, 4, "e")]) == "<q>ab<e>cd</e>ef</q>")
        // Same range: the lower rank is outside.
        #expect(render("abc", [(0, 3, "outer"), (0, 3, "inner")]) == "<outer><inner>abc</inner></outer>")
        // Starting together, the longer one is outside.
        #expect(render("abcd", [(0, 2, "short"), (0, 4, "long")]) == "<long><short>ab</short>cd</long>")
    }

    @Test func insertionsGoAfterClosingAndBeforeOpening() {
        let out = render("ab cd", [(0, 2, "q"), (3, 5, "e")], insertions: [Insertion(at: 2, html: "[A]"), Insertion(at: 3, html: "[B]")])
        #expect(out == "<q>ab</q>[A] [B]<e>cd</e>")
    }

    @Test func textIsEscapedAndEmptySpansIgnored() {
        #expect(render("<&>", [(1, 1, "x"), (0, 3, "y")]) == "<y>&lt;&amp;&gt;</y>")
    }

    @Test func hrefsArePercentEncodedBySegment() {
        #expect(HTMLText.href(relativePath: "a b/c#d?e.txt.html") == "a%20b/c%23d%3Fe.txt.html")
        #expect(HTMLText.href(relativePath: "ü/'\"<&>.json") == "%C3%BC/%27%22%3C%26%3E.json")
        #expect(HTMLText.href(relativePath: "C:x") == "C%3Ax")
    }
}
