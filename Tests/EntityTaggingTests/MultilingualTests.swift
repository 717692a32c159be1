import Foundation
import GleanerCore
import GleanerText
import LanguageDetection
import Testing

@testable import EntityTagging

/// Segments a text, detects its languages with the real detector (with segments) and tags it with
/// the real models: the pipeline `gleaner process` runs.
func routed(_ text: String, withLanguage: Bool = true) async throws -> (EntitiesLayer, EntityLanguagesLayer, LanguageLayer?) {
    var doc = Document(text: text)
    try await SegmenterProcessor().process(&doc)
    if withLanguage {
        let language = try await LanguageProcessorFactory().makeProcessor(options: ProcessorOptions(processor: "language"))
        try await language.process(&doc)
    }
    let processor = EntityProcessor(tagger: try EntityTagger.shared())
    try await processor.process(&doc)
    return (try #require(doc[EntitiesLayer.self]), try #require(doc[EntityLanguagesLayer.self]), doc[LanguageLayer.self])
}

/// Mentions of one language's text, tagged with that language's model and rules (as `--lang` does).
func tagged(_ text: String, language code: String) async throws -> [String: EntityType] {
    var doc = Document(text: text)
    try await SegmenterProcessor().process(&doc)
    doc.add(LanguageLayer(code: code, confidence: 1, alternatives: [LanguageHypothesis(code: code, probability: 1)]))
    try await EntityProcessor(tagger: try EntityTagger.shared()).process(&doc)
    let layer = try #require(doc[EntitiesLayer.self])
    let f = found(layer, in: text)
    if ProcessInfo.processInfo.environment["NER_DEBUG"] != nil { print(code, f.map { "\($0.key)=\($0.value)" }.sorted()) }
    return f
}

/// Sentences written for these tests (not taken from any data set).
@Suite("entities in other languages")
struct MultilingualEntityTests {
    @Test func french() async throws {
        let f = try await tagged(
            "Le président Emmanuel Macron a reçu Olaf Scholz à Marseille le 16 mai 2024. "
                + "La Banque de France prévoit un déficit de 2,5 milliards d'euros et une hausse de 12,5 % des prix. "
                + "Pour le ministre, la réforme entrera en vigueur en mars.", language: "fr")
        #expect(f["Emmanuel Macron"] == .person)
        #expect(f["Olaf Scholz"] == .person)
        #expect(f["Marseille"] == .location)
        #expect(f["16 mai 2024"] == .date)
        #expect(f["2,5 milliards d'euros"] == .money)
        #expect(f["12,5 %"] == .percent)
        #expect(f["en mars"] == .date || f["mars"] == .date)
        // Sentence-initial function words are not names.
        for w in ["Le", "La", "Pour", "Le président"] { #expect(f[w] == nil, "\(w)") }
    }

    @Test func german() async throws {
        let f = try await tagged(
            "Bundeskanzler Olaf Scholz traf am 3. März 2024 in Paris den französischen Präsidenten Emmanuel Macron. "
                + "Die Regierung plant Ausgaben von 1.200 Millionen Euro, die Inflation lag bei 12,5 Prozent.", language: "de")
        #expect(f["Olaf Scholz"] == .person)
        #expect(f["Emmanuel Macron"] == .person)
        #expect(f["Paris"] == .location)
        #expect(f["3. März 2024"] == .date)
        #expect(f["1.200 Millionen Euro"] == .money)
        #expect(f["12,5 Prozent"] == .percent)
        #expect(f["Die"] == nil && f["Die Regierung"] == nil && f["Regierung"] == nil)
    }

    @Test("German capitalised nouns are not names")
    func germanNouns() async throws {
        let f = try await tagged(
            "Die Kinder spielen am Nachmittag im Garten, während die Eltern über die Zukunft der Schule sprechen. "
                + "Der Lehrer erklärt den Schülern die Regeln, und die Nachbarn bringen Kuchen und Kaffee.", language: "de")
        // 16 capitalised common nouns. The model was measured to take one of them, the unseen sentence-final
        // "Kaffee", for a place: at most one may come out as a name, never the nouns it has seen.
        let names = f.filter { [.person, .organization, .location, .misc].contains($0.value) }
        #expect(names.count <= 1, "\(names)")
        for noun in ["Kinder", "Nachmittag", "Garten", "Eltern", "Zukunft", "Schule", "Lehrer", "Schülern", "Regeln", "Nachbarn"] {
            #expect(f[noun] == nil, "\(noun)")
        }
    }

    @Test func spanish() async throws {
        let f = try await tagged(
            "El presidente Pedro Sánchez viajó a Buenos Aires el 3 de marzo de 2024. "
                + "El Gobierno aprobó un fondo de 3,5 millones de dólares y el paro bajó un 2,5 por ciento.", language: "es")
        #expect(f["Pedro Sánchez"] == .person)
        #expect(f["Buenos Aires"] == .location)
        #expect(f["3 de marzo de 2024"] == .date)
        #expect(f["3,5 millones de dólares"] == .money)
        #expect(f["2,5 por ciento"] == .percent)
        #expect(f["El"] == nil)
    }

    @Test func italian() async throws {
        let f = try await tagged(
            "Il presidente Sergio Mattarella ha visitato Napoli il 3 marzo 2024. "
                + "Secondo l'Istat la spesa è salita del 4,2 per cento, con un costo di 2 miliardi di euro.", language: "it")
        #expect(f["Sergio Mattarella"] == .person)
        #expect(f["Napoli"] == .location)
        #expect(f["3 marzo 2024"] == .date)
        #expect(f["4,2 per cento"] == .percent)
        #expect(f["2 miliardi di euro"] == .money)
        #expect(f["Il"] == nil)
    }

    @Test func dutch() async throws {
        let f = try await tagged(
            "Premier Mark Rutte sprak op 3 maart 2024 in Rotterdam met de burgemeester. "
                + "De werkloosheid daalde met 3,5 procent en het kabinet trekt 200 miljoen euro uit.", language: "nl")
        #expect(f["Mark Rutte"] == .person)
        #expect(f["Rotterdam"] == .location)
        #expect(f["3 maart 2024"] == .date)
        #expect(f["3,5 procent"] == .percent)
        #expect(f["200 miljoen euro"] == .money)
        #expect(f["De"] == nil)
    }

    @Test func portuguese() async throws {
        let f = try await tagged(
            "O presidente Marcelo Rebelo de Sousa visitou Coimbra em 3 de março de 2024. "
                + "O Governo anunciou um apoio de 2,5 milhões de euros e a inflação caiu 1,5 por cento.", language: "pt")
        #expect(f["Marcelo Rebelo de Sousa"] == .person)
        #expect(f["Coimbra"] == .location)
        #expect(f["3 de março de 2024"] == .date)
        #expect(f["2,5 milhões de euros"] == .money)
        #expect(f["1,5 por cento"] == .percent)
        #expect(f["O"] == nil)
    }
}

@Suite("routing entities by language")
struct EntityRoutingTests {
    @Test("an English article with a French passage: the passage is tagged by the French model")
    func mixed() async throws {
        let text = """
            The French president spoke to reporters in London on Monday about the war and the economy.
            He then read out a long statement in French to the journalists who had travelled with him.
            « Nous avons décidé avec le gouvernement de Gabriel Attal que la France continuera à soutenir l'Ukraine, \
            et je l'ai dit hier soir au chancelier allemand lors de notre rencontre à Strasbourg. »
            After that, the press conference ended and the president left for Brussels.
            """
        let (entities, coverage, language) = try await routed(text)
        let lang = try #require(language)
        #expect(lang.code == "en")
        let french = try #require(lang.segments.first { $0.code == "fr" }, "no French segment: \(lang.segments)")
        #expect(coverage.covered == ["en", "fr"])
        #expect(coverage.notCovered.isEmpty)
        #expect(coverage.assumed == nil)
        #expect(EntityLanguages.shared.loadedCodes.contains("fr"))
        let dt = DocumentText(text)
        let inFrench = entities.mentions.filter { french.span.contains($0.span) }.map { (dt[$0.span], $0.type) }
        #expect(inFrench.contains { $0.0 == "Gabriel Attal" && $0.1 == .person }, "\(inFrench)")
        #expect(inFrench.contains { $0.0 == "Strasbourg" && $0.1 == .location }, "\(inFrench)")
        #expect(inFrench.contains { $0.1 == .location && $0.0 == "France" }, "\(inFrench)")
        // The English parts are tagged by the English model.
        let f = found(entities, in: text)
        #expect(f["London"] == .location && f["Brussels"] == .location)
    }

    @Test("text in a language without a model gets no entities, and the layer says so", arguments: [
        ("ja", "東京都の知事は月曜日に記者会見を開き、来年の予算について新しい計画を発表した。大阪の市長も会議に出席した。"),
        ("fi", "Suomen pääministeri vieraili maanantaina Helsingissä ja tapasi Ruotsin kuninkaan. Tapaamisessa keskusteltiin turvallisuudesta ja taloudesta."),
    ])
    func uncovered(code: String, text: String) async throws {
        let (entities, coverage, language) = try await routed(text)
        #expect(language?.code == code)
        #expect(entities.mentions.isEmpty, "\(entities.mentions)")
        #expect(coverage.notCovered == [code])
        #expect(coverage.covered.isEmpty)
        let json = coverage.jsonValue(in: DocumentText(text))
        #expect(json["not_covered"] == .array([.string(code)]))
    }

    @Test("without a language layer the text is taken as English, and the layer records the assumption")
    func assumed() async throws {
        let (entities, coverage, _) = try await routed("Vladimir Putin visited Beijing on Monday.", withLanguage: false)
        #expect(coverage.assumed == "en")
        #expect(coverage.covered == ["en"])
        #expect(found(entities, in: "Vladimir Putin visited Beijing on Monday.")["Vladimir Putin"] == .person)
    }

    @Test("--conll with a language: each document tagged by that language's model; detected without one")
    func conll() throws {
        let french = "Emmanuel\nMacron\na\nrencontré\nOlaf\nScholz\nà\nMarseille\n.\n"
        var lines = ("-DOCSTART-\n\n" + french).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()
        let fr = try #require(EntityLanguages.shared.language("fr"))
        var out = ""
        var k = 0
        try EntitiesCommand.runCoNLL(tagger: fr.tagger, readLine: { k < lines.count ? { k += 1; return lines[k - 1] }() : nil },
                                     write: { out += $0 })
        #expect(out.contains("Emmanuel\tB-PER\nMacron\tI-PER\n"), "\(out)")
        #expect(out.contains("Marseille\tB-LOC\n"), "\(out)")
        // Detection: a language without a model gives O tags, never another language's guesses.
        k = 0
        out = ""
        try EntitiesCommand.runCoNLL(detect: { _ in "fi" }, models: { EntityLanguages.shared.language($0)?.tagger },
                                     readLine: { k < lines.count ? { k += 1; return lines[k - 1] }() : nil }, write: { out += $0 })
        #expect(out.hasPrefix("-DOCSTART-\n\nEmmanuel\tO\nMacron\tO\n"), "\(out)")
        #expect(!out.contains("B-"))
    }
}
