import Foundation
import GleanerCore
import Testing

@testable import LanguageDetection

/// The language answers other processors route on: confusable languages, headlines full of
/// names, thin evidence, and passages in another language inside a document.
@Suite("Language routing")
struct LanguageRoutingTests {
    let detector: LanguageDetector

    init() throws { detector = try LanguageDetector.shared() }

    private func analyse(_ text: String, _ settings: LanguageProcessor.Settings = .init()) throws -> (LanguageLayer, [Unicode.Scalar]) {
        let processor = LanguageProcessor(
            descriptor: LanguageProcessorFactory().descriptor, detector: detector, filter: detector.defaultFilter,
            settings: settings)
        let scalars = Array(text.unicodeScalars)
        return (processor.analyse(scalars), scalars)
    }

    /// Sentences written for this test, one per language of each confusable group, each with the
    /// words that tell the languages apart (kewangan/keuangan, tisuću/hiljadu/tisoč, ikke/ikkje...).
    @Test(arguments: [
        ("Kerajaan akan memberikan bantuan kewangan kepada rakyat yang terjejas akibat banjir minggu lepas.", "ms"),
        ("Pemerintah akan memberikan bantuan keuangan kepada warga yang terdampak banjir minggu lalu.", "id"),
        ("Vlada je u četvrtak objavila da će sveučilište idući tjedan dobiti tisuću novih računala.", "hr"),
        ("Vlada je u četvrtak objavila da će univerzitet sedmicu poslije dobiti hiljadu novih računara.", "bs"),
        ("Vlada je v četrtek sporočila, da bo univerza prihodnji teden dobila tisoč novih računalnikov.", "sl"),
        ("Vláda vo štvrtok oznámila, že univerzita budúci týždeň dostane tisíc nových počítačov.", "sk"),
        ("Vláda ve čtvrtek oznámila, že univerzita příští týden dostane tisíc nových počítačů.", "cs"),
        ("Regjeringen sa torsdag at universitetet ikke får flere penger før neste år.", "nb"),
        ("Regeringen sagde torsdag, at universitetet ikke får flere penge før næste år.", "da"),
        ("Regjeringa sa torsdag at universitetet ikkje får fleire pengar før neste år.", "nn"),
    ])
    func confusableLanguagesOnWrittenSentences(text: String, code: String) {
        let answer = detector.hypotheses(for: text, maximum: 2)
        #expect(answer.first?.code == code, "\(text) → \(answer)")
    }

    /// English headlines: a few common words among names and numbers.
    @Test(arguments: [
        "Tesla shares fall after Musk sells stake",
        "Sunak and Starmer clash over tax plans in final debate",
        "Nkosazana Dlamini-Zuma to stand for the party leadership",
        "Kuala Lumpur flights cancelled as haze worsens",
        "Obama tells Congress to act on guns",
    ])
    func englishHeadlinesWithNames(headline: String) {
        let answer = detector.hypotheses(for: headline, maximum: 2)
        #expect(answer.first?.code == "en", "\(headline) → \(answer)")
    }

    /// Five words, one of them a name and one rare ("axe"): whatever the first answer, it must not be
    /// a confident wrong one, and English must be among the two hypotheses given.
    @Test func shortHeadlineIsNeverConfidentlyWrong() {
        let answer = detector.hypotheses(for: "Telegraph newspapers axe 90 jobs", maximum: 2)
        #expect(answer.contains { $0.code == "en" }, "\(answer)")
        if let first = answer.first, first.code != "en" { #expect(first.probability < 0.9, "\(answer)") }
    }

    @Test func capitalisedTokensInsideASentenceAreKeptApart() {
        let fx = FeatureExtractor(bucketBits: 17)
        var buffers = FeatureBuffers()
        fx.extract("Yesterday Angela Merkel's aide met the press. Then she left".unicodeScalars, into: &buffers)
        func count(_ text: String) -> Int { fx.features(of: text).count }
        #expect(buffers.features[Int(TokenKind.initial.rawValue)].count == count("Yesterday Then"))
        #expect(buffers.features[Int(TokenKind.name.rawValue)].count == count("Angela Merkel s"))
        #expect(buffers.features[Int(TokenKind.plain.rawValue)].count == count("aide met the press she left"))
        #expect(buffers.lowerTokens == 6)
        // The trainer's view: every feature, in one list, whatever its kind.
        #expect(Set(fx.features(of: "Yesterday Angela Merkel's aide met the press. Then she left"))
            == Set(buffers.features.flatMap { $0 }))
    }

    @Test func evidenceAddsUpOverSentences() {
        let a = Array("Die Regierung hat am Mittwoch ein neues Gesetz beschlossen.".unicodeScalars)
        let b = Array("Der Minister sprach von einem wichtigen Schritt.".unicodeScalars)
        var scratch = LanguageDetector.Scratch(detector)
        var sum = detector.evidence(for: a[...], scratch: &scratch)
        sum.add(detector.evidence(for: b[...], scratch: &scratch))
        let whole = detector.evidence(for: (a + [" "] + b)[...], scratch: &scratch)
        #expect(sum.scripts == whole.scripts)
        #expect(sum.lowerTokens == whole.lowerTokens)
        for (x, y) in zip(sum.main, whole.main) {
            let d = x - y
            #expect(max(d.max(), -d.min()) < 1e-2, "float sums in another order")
        }
        #expect(detector.probabilities(of: sum, filter: nil, prior: nil, scratch: &scratch))
        #expect(detector.top(scratch.probabilities, 1).first?.code == "de")
    }

    @Test func thinEvidenceGivesBothHypothesesOrUnd() throws {
        // One word written alike in Bokmål and Danish: both hypotheses, neither certain.
        let word = detector.hypotheses(for: "hus", maximum: 3)
        #expect(word.count >= 2)
        #expect(word[0].probability < 0.9, "\(word)")
        // A document too thin to decide says `und` and keeps the hypotheses as alternatives.
        let (layer, _) = try analyse("hus")
        if layer.code == "und" {
            #expect(layer.confidence == 0)
            #expect(layer.alternatives.count >= 2)
        } else {
            #expect(layer.confidence >= 0.5, "an answer is given only when it is more likely than not")
        }
        let (strict, _) = try analyse("hus", .init(minConfidence: 0.99))
        #expect(strict.code == "und")
        #expect(strict.alternatives.first.map { $0.probability < 0.99 } == true)
        // A clear document keeps its code.
        let (clear, _) = try analyse("The committee will publish its report on Thursday, officials said.")
        #expect(clear.code == "en" && clear.confidence > 0.9)
    }

    @Test func germanArticleWithAnEnglishParagraph() throws {
        let text = """
            Die Bundesregierung hat am Mittwoch ein neues Gesetz zum Klimaschutz beschlossen. Der Minister erklärte, \
            dass die Kosten für die Bürger gering bleiben sollen.

            In an interview with the BBC, the minister said that the plan was ambitious but realistic, and that other \
            countries would soon follow the German example.

            Die Opposition kritisierte den Entwurf scharf und kündigte Widerstand im Bundestag an.
            """
        let (layer, scalars) = try analyse(text)
        #expect(layer.code == "de")
        #expect(layer.segments.count == 1, "\(layer.segments)")
        let segment = try #require(layer.segments.first)
        #expect(segment.code == "en")
        let passage = String(String.UnicodeScalarView(scalars[segment.span.start..<segment.span.end]))
        #expect(passage.hasPrefix("In an interview with the BBC"))
        #expect(passage.hasSuffix("German example."))
        // The regions other processors route on: German, English, German.
        let regions = layer.regions(length: scalars.count)
        #expect(regions.map(\.code) == ["de", "en", "de"])
    }

    @Test func englishArticleQuotingAFrenchSentence() throws {
        let text = """
            The French president arrived in Brussels on Thursday for talks with other European leaders about energy prices.

            Speaking to reporters, he said: "Nous devons agir ensemble et protéger les ménages les plus fragiles cet hiver." \
            Officials expect an agreement before the end of the month.
            """
        let (layer, scalars) = try analyse(text)
        #expect(layer.code == "en")
        #expect(layer.segments.count == 1, "\(layer.segments)")
        let segment = try #require(layer.segments.first)
        #expect(segment.code == "fr")
        let passage = String(String.UnicodeScalarView(scalars[segment.span.start..<segment.span.end]))
        #expect(passage.contains("Nous devons agir ensemble"))
        #expect(!passage.contains("Officials expect"))
    }

    @Test func namesAndShortQuotationsMakeNoSegment() throws {
        let text = """
            Chancellor Olaf Scholz met President Emmanuel Macron and Prime Minister Mette Frederiksen at the Élysée \
            Palace on Monday. "Merci beaucoup," Macron told reporters before the talks.

            Jean-Luc Mélenchon, Marine Le Pen, Éric Zemmour, Valérie Pécresse.

            The leaders discussed Ukraine, energy prices and the future of the European Union, according to officials \
            in Paris, Berlin and Copenhagen.
            """
        let (layer, _) = try analyse(text)
        #expect(layer.code == "en")
        #expect(layer.segments.isEmpty, "\(layer.segments)")
    }
}
