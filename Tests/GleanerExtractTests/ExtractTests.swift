import Foundation
import GleanerExtract
import Testing

/// Real files of each format, made by LibreOffice and Python's email package from
/// openly licensed articles (Fixtures/README.md), read by the real extractors.
@Suite struct FixtureExtractionTests {
    /// `extra`: text the fixture has beyond its source (a table, a footnote added by make-fixtures.py).
    func expectMatch(_ fixture: String, source: String, extra: String = "", isolated: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ExtractedDocument {
        let docs = try await Fixtures.extraction(isolated: isolated).extract(path: Fixtures.path(fixture), name: fixture)
        let doc = try #require(docs.first, sourceLocation: sourceLocation)
        let r = WordMatch.ratios(source: try Fixtures.source(source) + extra, extracted: doc.text)
        #expect(r.recall >= 0.99, "\(fixture): \(r.recall) of the source's words in order", sourceLocation: sourceLocation)
        #expect(r.precision >= 0.99, "\(fixture): \(r.precision) of the extracted words are the source's", sourceLocation: sourceLocation)
        return doc
    }

    @Test func pdfSingleColumnWithRunningHeaderAndPageNumbers() async throws {
        let doc = try await expectMatch("fr-45037.pdf", source: "fr-45037.txt")
        #expect(doc.format == "pdf" && doc.extractorName == "pdf")
        #expect(doc.parts.filter { $0.kind == "page" }.map(\.number) == [1, 2])
        #expect(!doc.text.contains("CC BY 2.5"), "the running header is kept out of the text")
        #expect(!doc.text.contains("Page 1") && !doc.text.contains("Page 2"), "the page-number footer is kept out")
        #expect(doc.title == "Fukushima fait muter les papillons")
        #expect(doc.authors == ["Wikinews contributors"])
        #expect(doc.published?.hasPrefix("20") == true)
        // Pages tile the text: page 2 starts where page 1 ends (or after a separator).
        let pages = doc.parts
        #expect(pages[0].start == 0 && pages[0].end <= pages[1].start && pages[1].end == doc.text.unicodeScalars.count)
        // Paragraphs are kept apart, lines within them joined.
        #expect(doc.text.hasPrefix("Fukushima fait muter les papillons\n\n1er septembre 2012. - Le 12 mars 2011, une centrale nucléaire"))
    }

    @Test func pdfTwoColumns() async throws {
        let doc = try await expectMatch("fr-45037-2col.pdf", source: "fr-45037.txt")
        #expect(doc.parts.count >= 2)
    }

    @Test func pdfOnePageWithoutHeader() async throws {
        let doc = try await expectMatch("fr-44374.pdf", source: "fr-44374.txt")
        #expect(doc.parts == [SourcePart(kind: "page", start: 0, end: doc.text.unicodeScalars.count, number: 1)])
        #expect(doc.text.contains("\n\n26 juin 2012. - Le Parquet fédéral annonce que des hackers ont volé"))
    }

    static let tableAndNote = "\n\nLieu Date Paris 2012\n\nSource : Wikinews."

    @Test func docx() async throws {
        let doc = try await expectMatch("fr-45364.docx", source: "fr-45364.txt", extra: Self.tableAndNote)
        #expect(doc.format == "docx")
        #expect(doc.title == "Union européenne : Lancement prévu aujourd'hui de deux satellites du programme Galileo")
        #expect(doc.authors == ["Wikinews contributors"])
        #expect(doc.published == "2012-11-20T10:00:00Z" || doc.published?.hasPrefix("2012-11-20") == true)
        // The footnote after the body, the table's cells separated and rows on lines.
        let notes = try #require(doc.parts.first { $0.kind == "footnotes" })
        let scalars = Array(doc.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[notes.start..<notes.end])) == "Source : Wikinews.")
        #expect(doc.text.contains("Lieu\tDate\nParis\t2012"))
    }

    @Test func odt() async throws {
        let doc = try await expectMatch("fr-45364.odt", source: "fr-45364.txt", extra: Self.tableAndNote)
        #expect(doc.format == "odt" && doc.title == "Union européenne : Lancement prévu aujourd'hui de deux satellites du programme Galileo")
        #expect(doc.text.contains("Lieu\tDate\nParis\t2012"))
        #expect(doc.parts.first { $0.kind == "footnotes" } != nil)
    }

    @Test func spanishODTandDOCX() async throws {
        _ = try await expectMatch("es-test-100.odt", source: "es-test-100.txt")
        let doc = try await expectMatch("es-test-100.docx", source: "es-test-100.txt")
        #expect(doc.authors == ["El Tiempo"])
    }

    @Test func epub() async throws {
        let doc = try await expectMatch("es-test-100.epub", source: "es-test-100.txt")
        #expect(doc.format == "epub")
        #expect(doc.title == "Uso de plasma disminuye hospitalización en pacientes con covid")
        #expect(doc.parts.contains { $0.kind == "chapter" })
    }

    @Test func emailWithAlternativeAndAttachment() async throws {
        let docs = try await Fixtures.extraction().extract(path: Fixtures.path("fr-45037.eml"), name: "fr-45037.eml")
        #expect(docs.count == 2)
        let message = docs[0]
        #expect(message.suffix == nil && message.format == "eml")
        #expect(message.title == "Fukushima fait muter les papillons")
        #expect(message.authors == ["Rédaction Wikinews"])
        #expect(message.published == "2012-11-20T09:15:00Z")
        #expect(message.headers.map(\.name) == ["From", "To", "Date", "Subject"])
        let r = WordMatch.ratios(source: try Fixtures.source("fr-45037.txt"), extracted: message.text)
        #expect(r.recall >= 0.99 && r.precision >= 0.99, "\(r)")
        let attachment = docs[1]
        #expect(attachment.suffix == "#2-attachment-communiqué.pdf")
        #expect(attachment.format == "pdf")
        #expect(attachment.parts.count == 2)
        #expect(WordMatch.ratios(source: try Fixtures.source("fr-45037.txt"), extracted: attachment.text).recall >= 0.99)
    }

    @Test func emailHTMLOnlyLatin1Base64() async throws {
        let docs = try await Fixtures.extraction().extract(path: Fixtures.path("es-test-100.eml"), name: "es-test-100.eml")
        let doc = try #require(docs.first)
        #expect(docs.count == 1)
        #expect(doc.title == "Uso de plasma disminuye hospitalización en pacientes con covid")
        #expect(doc.authors == ["El Tiempo"])
        let r = WordMatch.ratios(source: try Fixtures.source("es-test-100.txt"), extracted: doc.text)
        #expect(r.recall >= 0.99 && r.precision >= 0.99, "\(r)")
    }

    @Test func mboxGivesOneDocumentPerMessage() async throws {
        let docs = try await Fixtures.extraction().extract(path: Fixtures.path("three.mbox"), name: "three.mbox")
        #expect(docs.map(\.suffix) == ["#1-message", "#2-message", "#3-message"])
        for (doc, source) in zip(docs, ["fr-45037.txt", "fr-44374.txt", "fr-45364.txt"]) {
            let r = WordMatch.ratios(source: try Fixtures.source(source), extracted: doc.text)
            #expect(r.recall >= 0.99 && r.precision >= 0.99, "\(source): \(r)")
        }
    }

    @Test(.enabled(if: Fixtures.binary != nil, "needs the built gleaner binary"))
    func isolatedExtractionGivesTheSameDocuments() async throws {
        for name in ["fr-45364.docx", "fr-45364.odt", "es-test-100.epub", "fr-45037.eml", "three.mbox"] {
            let inside = try await Fixtures.extraction().extract(path: Fixtures.path(name), name: name)
            let child = try await Fixtures.extraction(isolated: true).extract(path: Fixtures.path(name), name: name)
            #expect(inside == child, "\(name)")
        }
    }

    @Test func contentWinsOverExtensionAndTheMismatchIsReported() async throws {
        let bytes = try Fixtures.bytes("fr-45364.docx")
        let docs = try await Fixtures.extraction().extract(bytes: bytes, name: "report.pdf")
        #expect(docs.first?.format == "docx")
        #expect(docs.first?.warnings.first?.hasPrefix("content-mismatch") == true)
    }
}
