import Foundation
import GleanerCore
import GleanerTestSupport
import Testing
@testable import GleanerText

@Suite("Input extraction")
struct ExtractionTests {
    let extractor = Extractor(maxBytes: 1 << 20)

    @Test("UTF-8 with and without a BOM")
    func utf8() throws {
        let plain = try extractor.extract(Array("Alice Ekman: “Beijing” — déjà vu".utf8), fileName: "a.txt")
        #expect(plain.text == "Alice Ekman: “Beijing” — déjà vu")
        #expect(plain.encoding == "utf-8" && plain.normalizations.isEmpty)
        let bom = try extractor.extract([0xEF, 0xBB, 0xBF] + Array("Größe".utf8), fileName: "a.txt")
        #expect(bom.text == "Größe" && bom.normalizations == ["bom"])
    }

    @Test("UTF-16 LE and BE with BOM, with non-ASCII text; BOM-less UTF-16 by its NUL pattern")
    func utf16() throws {
        let text = "Frédéric Charillon « souligne » 北京 👍"
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { (u: UInt16) -> [UInt8] in [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { (u: UInt16) -> [UInt8] in [UInt8(u >> 8), UInt8(u & 0xFF)] }
        #expect(try extractor.extract(le, fileName: "x.txt").text == text)
        #expect(try extractor.extract(le, fileName: "x.txt").encoding == "utf-16le")
        #expect(try extractor.extract(be, fileName: "x.txt").encoding == "utf-16be")
        #expect(try extractor.extract(be, fileName: "x.txt").text == text)
        let bomless: [UInt8] = "Plain English text here".utf16.flatMap { (u: UInt16) -> [UInt8] in [UInt8(u & 0xFF), UInt8(u >> 8)] }
        #expect(try extractor.extract(bomless, fileName: "x.txt").text == "Plain English text here")
        // A truncated UTF-16 file is refused, not guessed.
        let error = #expect(throws: ExtractionError.self) { try extractor.extract(Array(le.dropLast()), fileName: "x.txt") }
        #expect(error?.code == .invalidEncoding)
    }

    @Test("Latin-1 and Windows-1252 are detected and decoded")
    func legacy() throws {
        // "Café crème à Noël" in Latin-1.
        let latin1: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me ".utf8) + [0xE0] + Array(" No".utf8) + [0xEB, 0x6C]
        let decoded = try extractor.extract(latin1, fileName: "menu.txt")
        #expect(decoded.text == "Café crème à Noël")
        #expect(decoded.encoding == "iso-8859-1")
        // Windows-1252 curly quotes (0x93, 0x94) and the euro sign (0x80).
        let cp1252: [UInt8] = [0x93] + Array("Hello".utf8) + [0x94] + Array(" costs 5".utf8) + [0x80]
        let quoted = try extractor.extract(cp1252, fileName: "q.txt")
        #expect(quoted.text == "“Hello” costs 5€")
        #expect(quoted.encoding == "windows-1252")
    }

    @Test("Binary, damaged and unknown content is refused with a typed error")
    func refusals() {
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract([], fileName: "e.txt") })?.code == .empty)
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract(Array("  \n\t ".utf8), fileName: "e.txt") })?.code == .empty)
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract(Array("%PDF-1.7 ...".utf8), fileName: "a.txt") })?.code == .binary)
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract([0x89, 0x50, 0x4E, 0x47, 1, 2], fileName: "a.txt") })?.code == .binary)
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract(Array("abc".utf8) + [0, 1, 2] + Array("def".utf8), fileName: "a.txt") })?.code == .binary)
        // Damaged UTF-8: valid multi-byte sequences next to invalid bytes.
        let damaged = Array("Déjà vu, ".utf8) + [0xC3] + Array(" à bientôt".utf8)
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract(damaged, fileName: "a.txt") })?.code == .invalidEncoding)
        // Cyrillic in KOI8-R: runs of high bytes are not Latin-1 text.
        let koi8: [UInt8] = [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4, 0x20, 0xCD, 0xC9, 0xD2]
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract(koi8, fileName: "a.txt") })?.code == .invalidEncoding)
        #expect((#expect(throws: ExtractionError.self) { try extractor.extract(Array("x".utf8), fileName: "a.docx") })?.code == .unsupportedType)
    }

    @Test("Oversize input is refused")
    func oversize() {
        let small = Extractor(maxBytes: 10)
        let error = #expect(throws: ExtractionError.self) { try small.extract(Array("eleven byte".utf8), fileName: "a.txt") }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("max_bytes") == true)
    }

    @Test("CRLF and NFC normalisation is recorded and offsets point into the normalised text")
    func normalisation() throws {
        let decomposed = "Cafe\u{301}\r\nsecond line\rthird"
        let result = try extractor.extract(Array(decomposed.utf8), fileName: "a.txt")
        #expect(result.text == "Café\nsecond line\nthird")
        #expect(Array(result.text.unicodeScalars).count == 22)
        #expect(result.normalizations == ["crlf", "nfc"])
    }

    @Test("NFC is applied whenever a character could change, and only then recorded", arguments: [
        ("“Quoted” — Zürich, 5 €, Москва, 東京", false),
        ("Cafe\u{301}", true),              // a combining mark
        ("\u{212B}ngström", true),           // a singleton: ANGSTROM SIGN becomes Å
        ("\u{1100}\u{1161}", true),          // Hangul jamo compose
        ("\u{0958}", true),                  // precomposed qa: a composition exclusion, decomposed by NFC
    ])
    func nfcWhenNeeded(_ text: String, _ changes: Bool) throws {
        let result = try extractor.extract(Array(text.utf8), fileName: "a.txt")
        #expect(result.text == text.precomposedStringWithCanonicalMapping)
        #expect(result.normalizations.contains("nfc") == changes)
    }

    @Test("HTML: scripts and styles dropped, entities decoded, blocks become paragraphs")
    func html() throws {
        let html = """
            <!DOCTYPE html><html><head><title>Summit</title><style>p { color: red }</style>
            <script>var x = "<p>not text</p>";</script></head>
            <body><h1>Xi &amp; Putin</h1><p>&ldquo;Together,&rdquo; said   the <b>Chinese</b>
            No.&nbsp;1.</p><!-- a comment --><ul><li>One</li><li>Two &#233;&#x20AC;</li></ul>
            <p>a &lt; b</p><noscript>enable JS</noscript></body></html>
            """
        let result = try extractor.extract(Array(html.utf8), fileName: "page.html")
        #expect(result.mediaType == "text/html")
        #expect(result.text == "Summit\n\nXi & Putin\n\n“Together,” said the Chinese No.\u{00A0}1.\n\nOne\n\nTwo é€\n\na < b")
    }

    @Test("HTML: a `<` that opens no tag is text, whatever follows it")
    func strayLessThan() throws {
        let html = "<p>a <” b < c <3 d</p><p>x <é>y</é> z</p><script>if (a<b) {}</script ><p>“Fin”</p>"
        let result = try extractor.extract(Array(html.utf8), fileName: "page.html")
        #expect(result.text == "a <” b < c <3 d\n\nx y z\n\n“Fin”")
    }

    @Test("HTML is sniffed in a .txt file")
    func sniffing() throws {
        let result = try extractor.extract(Array("<!doctype html><p>Hi</p>".utf8), fileName: "a.txt")
        #expect(result.mediaType == "text/html" && result.text == "Hi")
    }

    @Test("Markdown: markup stripped, paragraphs kept")
    func markdown() throws {
        let md = """
            ---
            title: front matter
            ---
            # Xi meets *Putin*

            The **China-Russia** relationship, [says](https://example.com) the `Chinese` No. 1,
            is _strong_ ![a photo](p.png).

            > “We support a democratic world order,” Putin said.

            - first item
            - second item

            ```
            code stays
            ```
            [ref]: https://example.com
            """
        let result = try extractor.extract(Array(md.utf8), fileName: "a.md")
        #expect(result.mediaType == "text/markdown")
        #expect(result.text == """
            Xi meets Putin

            The China-Russia relationship, says the Chinese No. 1, is strong a photo.

            “We support a democratic world order,” Putin said.

            first item

            second item

            code stays
            """)
    }
}
