import Foundation
import GleanerExtract
import Testing

@Suite struct PDFLayoutTests {
    @Test func repeatedHeadersAndFootersAreKeptOutAndPagesAreSpans() {
        let pages = [
            "Acme Weekly\n\nFirst paragraph of page one.\n\nPage 1 of 2\n",
            "Acme Weekly\n\nSecond page text.\n\nPage 2 of 2\n",
        ]
        let r = PDFLayout.assemble(pages: pages)
        #expect(r.text == "First paragraph of page one.\n\nSecond page text.")
        #expect(r.pages == [SourcePart(kind: "page", start: 0, end: 28, number: 1), SourcePart(kind: "page", start: 30, end: 47, number: 2)])
        #expect(r.removed.contains("Acme Weekly") && r.removed.contains("Page 1 of 2"))
    }

    @Test func pageNumbersBetweenColumnsAreKeptOut() {
        let pages = [
            "Left column of page one ends\nPage 1\n\nright column of page one.\n",
            "Left column of page two ends\nPage 2\n\nright column of page two.\n",
            "Left column of page three ends\nPage 3\n\nright column of page three.\n",
        ]
        let r = PDFLayout.assemble(pages: pages)
        #expect(!r.text.contains("Page"))
        #expect(r.text.hasPrefix("Left column of page one ends right column of page one."))
    }

    @Test func aLineOnOnePageOnlyIsText() {
        let r = PDFLayout.assemble(pages: ["Only here\n\nBody one.\n", "Body two.\n"])
        #expect(r.text.hasPrefix("Only here"))
    }

    @Test func hyphenationAtLineEndsIsUndoneAndWrappedLinesJoined() {
        let r = PDFLayout.assemble(pages: ["The govern-\nment said on Tues-\nday that a well-\nKnown rule holds.\n"])
        #expect(r.text == "The government said on Tuesday that a well- Known rule holds.")
    }

    @Test func aParagraphCutByAPageBreakIsJoined() {
        let r = PDFLayout.assemble(pages: ["It was a long\n", "sentence that goes on.\n"])
        #expect(r.text == "It was a long sentence that goes on.")
        #expect(r.pages[1].start == 14)
    }

    @Test func shortLinesEndingSentencesEndParagraphs() {
        let block = "This is a long line of justified text that fills\nthe column as justified text does in a PDF, yes.\nShort end.\nNext paragraph starts here and runs long enough\nto the end."
        let r = PDFLayout.assemble(pages: [block])
        #expect(r.text.contains("Short end.\n\nNext paragraph"))
    }
}

@Suite struct SnifferTests {
    @Test func contentFirst() {
        #expect(Sniffer.byContent(Array("%PDF-1.7\n".utf8)) == Sniffer.pdf)
        let c = Sniffer.choose(Array("%PDF-1.4 ...".utf8), fileName: "a.docx", extensionTypes: Sniffer.byExtension)
        #expect(c.mediaType == Sniffer.pdf && c.warning?.hasPrefix("content-mismatch") == true)
        let t = Sniffer.choose(Array("Just text".utf8), fileName: "a.pdf", extensionTypes: Sniffer.byExtension)
        #expect(t.mediaType == "text/plain" && t.warning != nil)
        #expect(Sniffer.choose(Array("From: a@b\nSubject: x\n\nhi".utf8), fileName: "noext", extensionTypes: Sniffer.byExtension).mediaType == Sniffer.eml)
        #expect(Sniffer.choose(Array("From: a@b\nSubject: x\n\nhi".utf8), fileName: "a.txt", extensionTypes: Sniffer.byExtension).mediaType == "text/plain")
    }
}

@Suite struct MIMETests {
    @Test func encodedWordsAndTransferEncodings() {
        #expect(MIME.decodeWords("=?UTF-8?B?Q2Fmw6k=?= =?ISO-8859-1?Q?_cr=E8me?=") == "Café crème")
        #expect(MIME.decodeWords("Re: =?utf-8?q?R=C3=A9union?= demain") == "Re: Réunion demain")
        #expect(MIME.quotedPrintable(Array("caf=C3=A9 long=\nline".utf8)[...]) == Array("café longline".utf8))
        #expect(MIME.base64(Array("SGVs\nbG8=".utf8)[...]) == Array("Hello".utf8))
        #expect(MIME.decode([0xE9, 0x74, 0xE9], charset: "iso-8859-1") == "été")
    }

    @Test func nestedMultipart() throws {
        let message = """
            From: "Doe, Jane" <jane@example.org>
            Subject: =?utf-8?q?Le_communiqu=C3=A9?=
            Date: Tue, 5 Mar 2024 10:15:00 +0100
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Bonjour =C3=A0 tous.
            --inner
            Content-Type: text/html

            <p>Bonjour</p>
            --inner--
            --outer
            Content-Type: text/markdown; name="notes.md"
            Content-Disposition: attachment; filename="notes.md"

            # Notes
            --outer--
            """
        let part = try MIME.parse(Array(message.utf8)[...], maxParts: 100)
        #expect(part.header("subject") == "Le communiqué")
        #expect(part.children.count == 2 && part.children[0].children.count == 2)
        #expect(part.children[0].children[0].text == "Bonjour à tous.")
        #expect(part.children[1].fileName == "notes.md")
    }
}

@Suite struct StatedMetadataTests {
    @Test func htmlHeadline() {
        let html = """
            <html><head><title>Minister resigns | The Daily</title>
            <meta property="og:site_name" content="The Daily">
            <meta property="article:published_time" content="2024-03-05T10:15:00+01:00">
            <meta name="author" content="By Jane Doe">
            </head><body><h1>Ignored</h1><time datetime="2020-01-01">x</time></body></html>
            """
        let m = HTMLMetadata.read(html)
        #expect(m.title == "Minister resigns")
        #expect(m.outlet == "The Daily")
        #expect(m.published == "2024-03-05T10:15:00+01:00")
        #expect(m.authors == ["Jane Doe"])
        let og = HTMLMetadata.read(#"<meta property="og:title" content="Caf&eacute; opens"><title>x</title><time datetime="2021-02-03">"#)
        #expect(og.title == "Café opens" && og.published == "2021-02-03")
    }

    @Test func markdownFrontMatterOrFirstHeading() {
        let m = MarkdownMetadata.read("---\ntitle: \"A title\"\nauthors:\n  - Ana\n  - Ben\ndate: 2023-04-05\n---\n# Other\n")
        #expect(m.title == "A title" && m.authors == ["Ana", "Ben"] && m.published == "2023-04-05")
        #expect(MarkdownMetadata.read("Intro\n\n# The *real* heading\n\ntext").title == "The real heading")
    }

    @Test func plainTextFirstLineOnlyWhenItStandsAlone() {
        #expect(PlainTextMetadata.headline("Storm hits the coast\n\nThe storm arrived on Monday.") == "Storm hits the coast")
        #expect(PlainTextMetadata.headline("The storm arrived on Monday.\n\nIt was bad.") == nil)
        #expect(PlainTextMetadata.headline("One line only") == nil)
        #expect(PlainTextMetadata.headline("Two lines\nof text\n\nbody") == nil)
    }

    @Test func dates() {
        #expect(DateText.iso8601("Tue, 5 Mar 2024 10:15:00 +0100") == "2024-03-05T09:15:00Z")
        #expect(DateText.iso8601("D:20240305101500+01'00'") == "2024-03-05T10:15:00+01:00")
        #expect(DateText.iso8601("2024-03-05 10:15:00") == "2024-03-05T10:15:00")
        #expect(DateText.iso8601("yesterday") == nil)
    }
}
