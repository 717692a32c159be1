import Testing
@testable import GleanerCore

@Suite("Document model")
struct DocumentModelTests {
    @Test("Offsets count Unicode scalars, so emoji and combining accents slice the same in every language")
    func scalarOffsets() {
        // "e\u{301}" is two scalars (decomposed é); 👍🏽 is two scalars; 🇫🇷 is two.
        let text = DocumentText("Cafe\u{301} 👍🏽 🇫🇷 ok")
        #expect(text.count == 14)
        #expect(text[Span(start: 0, end: 5)] == "Cafe\u{301}")
        #expect(text[Span(start: 6, end: 8)] == "👍🏽")
        #expect(text[Span(start: 9, end: 11)] == "🇫🇷")
        #expect(text[Span(start: 12, end: 14)] == "ok")
        #expect(text.isValid(Span(start: 0, end: 14)))
        #expect(!text.isValid(Span(start: 3, end: 15)))
    }

    @Test func typedLayersAreStoredAndPublished() {
        var document = Document(text: "Xi met Putin.")
        document.add(EntitiesLayer([
            EntityMention(span: Span(start: 0, end: 2), type: .person, entityID: "E1", canonical: "Xi Jinping"),
            EntityMention(span: Span(start: 7, end: 12), type: .person, entityID: "E2", canonical: "Vladimir Putin"),
        ]))
        document.add(TokensLayer([Token(span: Span(start: 0, end: 2), kind: .word)]))
        #expect(document[EntitiesLayer.self]?.mentions.count == 2)
        #expect(document.isPublished(.entities))
        #expect(!document.isPublished(.tokens))
        let json = document.json(of: .entities)
        #expect(json?.arrayValue?.first?["text"] == "Xi")
        #expect(json?.arrayValue?.last?["canonical"] == "Vladimir Putin")
        #expect(document[EntitiesLayer.self]?.entities.map(\.id) == ["E1", "E2"])
    }

    @Test func invalidSpansAreFound() {
        var document = Document(text: "short")
        document.add(EntitiesLayer([EntityMention(span: Span(start: 2, end: 9), type: .misc, entityID: "E1", canonical: "x")]))
        #expect(document.invalidSpans(in: .entities) == [Span(start: 2, end: 9)])
    }

    @Test func externalLayersKeepTheirJSON() {
        var document = Document(text: "abc")
        document.add(layer: "sentiment", json: ["score": 0.5])
        #expect(document.hasLayer("sentiment"))
        #expect(document.json(of: "sentiment")?["score"]?.doubleValue == 0.5)
    }
}

@Suite("JSON")
struct JSONTests {
    @Test func roundTripKeepsOrderAndEscapes() throws {
        let value: JSONValue = ["b": 1, "a": ["x", .null, true, 2.5], "text": "quote \" backslash \\ newline \n tab \t \u{1} “curly” 👍"]
        let text = value.serialized()
        #expect(text.hasPrefix("{\"b\":1,\"a\":"))
        #expect(try JSONValue.parse(text) == value)
        #expect(try JSONValue.parse(value.prettyPrinted()) == value)
    }

    @Test func parsesSurrogatePairsAndRejectsGarbage() throws {
        #expect(try JSONValue.parse(#""\ud83d\udc4d""#) == "👍")
        #expect(throws: JSONParseError.self) { try JSONValue.parse("{\"a\": }") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1, 2] trailing") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("\"unterminated") }
    }
}

@Suite("Processor options")
struct ProcessorOptionsTests {
    func table(_ entries: [(String, ConfigValue.Kind)]) -> ConfigTable {
        var t = ConfigTable(location: SourceLocation(file: "g.toml", line: 3))
        for (i, e) in entries.enumerated() { t[e.0] = ConfigValue(e.1, at: SourceLocation(file: "g.toml", line: 4 + i)) }
        return t
    }

    @Test func typedAccessorsAndUnknownKeys() throws {
        var options = ProcessorOptions(processor: "language", table: table([
            ("languages", .array([ConfigValue(.string("en")), ConfigValue(.string("fr"))])),
            ("timout", .string("10s")), ("enabled", .boolean(true)),
        ]))
        #expect(try options.strings("languages") == ["en", "fr"])
        let error = #expect(throws: ConfigurationError.self) { try options.finish() }
        #expect(error?.code == .unknownKey)
        #expect(error?.location?.line == 5)
        #expect(error?.hint?.contains("timeout") == true)
    }

    @Test func wrongTypesSayWhatWouldBeRight() {
        var options = ProcessorOptions(processor: "quotes", table: table([("min_words", .string("three"))]))
        let error = #expect(throws: ConfigurationError.self) { try options.int("min_words", default: 3) }
        #expect(error?.code == .wrongType)
        #expect(error?.description == "g.toml:4: [processors.quotes] min_words must be an integer, not string")
    }

    @Test func durationsAndSizes() throws {
        #expect(parseDuration("250ms") == .milliseconds(250))
        #expect(parseDuration("1.5s") == .milliseconds(1500))
        #expect(parseDuration("2m") == .seconds(120))
        #expect(parseDuration("soon") == nil)
        #expect(parseByteSize("16MiB") == 16 << 20)
        #expect(parseByteSize("500KB") == 500 << 10)
        #expect(parseByteSize("1024") == 1024)
    }
}
