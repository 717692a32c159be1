import GleanerCore
import GleanerTestSupport
import Testing
@testable import GleanerText

@Suite("Tokens, sentences and paragraphs")
struct SegmentationTests {
    func tokens(_ s: String) -> [String] {
        let text = DocumentText(s)
        return Tokenizer().tokenize(text).map { text[$0.span] }
    }

    @Test("Every quotation mark is its own token; words keep inner apostrophes and hyphens")
    func quotesAndWords() {
        #expect(tokens("“friends” «amis» „Freunde“ ‹x› ‘y’ ‚z‘ \"q\" 'r' ``s''") == [
            "“", "friends", "”", "«", "amis", "»", "„", "Freunde", "“", "‹", "x", "›", "‘", "y", "’", "‚", "z", "‘",
            "\"", "q", "\"", "'", "r", "'", "``", "s", "''",
        ])
        #expect(tokens("L’Express: his “re-election” aujourd’hui") == ["L’Express", ":", "his", "“", "re-election", "”", "aujourd’hui"])
        #expect(tokens("Russia’s allies don’t, they’re") == ["Russia", "’s", "allies", "do", "n’t", ",", "they", "’re"])
    }

    @Test("Abbreviations keep their period: No. 1, U.S., Mr., initials")
    func abbreviations() {
        #expect(tokens("said the Chinese No. 1. Then") == ["said", "the", "Chinese", "No.", "1", ".", "Then"])
        #expect(tokens("the U.S. and Mr. Smith, e.g. J. K. Rowling") == ["the", "U.S.", "and", "Mr.", "Smith", ",", "e.g.", "J.", "K.", "Rowling"])
        #expect(tokens("He said no. Then") == ["He", "said", "no", ".", "Then"])
    }

    @Test("Numbers, money, dates and URLs")
    func numbers() {
        #expect(tokens("240 billion dollars (222 billion euros) in 2023, 3.5% at 10:30 on 1996-08-30, the 43rd time")
            == ["240", "billion", "dollars", "(", "222", "billion", "euros", ")", "in", "2023", ",", "3.5", "%", "at", "10:30",
                "on", "1996-08-30", ",", "the", "43rd", "time"])
        #expect(tokens("see https://example.com/a?b=1. Next") == ["see", "https://example.com/a?b=1", ".", "Next"])
    }

    @Test("Offsets are Unicode scalars, through emoji and combining accents")
    func offsets() {
        let text = DocumentText("Cafe\u{301} 👍🏽 🇫🇷 “ok”")
        let found = Tokenizer().tokenize(text)
        #expect(found.map { text[$0.span] } == ["Cafe\u{301}", "👍🏽", "🇫🇷", "“", "ok", "”"])
        #expect(found.map(\.span.start) == [0, 6, 9, 12, 13, 15])
        #expect(found[1].kind == .emoji && found[3].kind == .quote)
    }

    @Test("Han characters are one token each; Thai runs stay whole")
    func scripts() {
        #expect(tokens("习近平在北京。") == ["习", "近", "平", "在", "北", "京", "。"])
        #expect(tokens("Привет, мир!") == ["Привет", ",", "мир", "!"])
    }

    @Test("Sentences on the samples: quotes, No. 1, L’Express:")
    func samples() throws {
        let text = DocumentText(try TestSupport.sample("000_"))
        let result = Segmenter().segment(text)
        let sentences = result.sentences.map { text[$0.span] }
        #expect(sentences.contains("The China-Russia relationship “is not only in the fundamental interests of the two countries and the two peoples, but it is also conducive to peace,” said the Chinese No. 1."))
        #expect(sentences.contains("“Together, we support the principles of justice and a democratic world order reflecting multipolar realities and based on international law,” Putin, for his part, boldly declared, implicitly emphasizing a common desire to shake up an international order dominated by the United States and its Western allies."))
        #expect(sentences.contains { $0.hasPrefix("L’Express: After his visit to France on May 6 and 7, Xi Jinping visited Serbia") })
        #expect(sentences.contains("Interview."))
        // Paragraphs are the lines of the sample; no sentence crosses one.
        let lines = text.string.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(result.paragraphs.count == lines.count)
        for p in result.paragraphs {
            for s in result.sentences[p.sentences] { #expect(p.span.contains(s.span)) }
        }
        // Every token's text is what its offsets say.
        for token in result.tokens { #expect(!text[token.span].isEmpty) }
        #expect(result.tokens.allSatisfy { !text[$0.span].contains(" ") || $0.kind == .symbol })
    }

    @Test("Sentences end at ! ? … and CJK stops, not at titles or lower-case continuations")
    func sentenceRules() {
        let text = DocumentText("Is it over? No! Mr. Smith came at 5 p.m. today… And then? e.g. this. 他来了。她走了。")
        let result = Segmenter().segment(text)
        #expect(result.sentences.map { text[$0.span] } == [
            "Is it over?", "No!", "Mr. Smith came at 5 p.m. today…", "And then? e.g. this.", "他来了。", "她走了。",
        ])
    }

    @Test("Blank lines and single line breaks separate paragraphs; hard-wrapped prose is joined")
    func paragraphs() {
        let wrapped = """
            This is a long line of hard-wrapped prose that goes on for a while and
            continues on the next line because the author wrapped it at seventy and
            then ends here.

            A second paragraph.
            A third one.
            """
        let text = DocumentText(wrapped)
        let paragraphs = ParagraphSplitter().split(text).map { text[$0] }
        #expect(paragraphs.count == 3)
        #expect(paragraphs[0].hasSuffix("then ends here."))
        #expect(paragraphs[1] == "A second paragraph.")
    }
}
