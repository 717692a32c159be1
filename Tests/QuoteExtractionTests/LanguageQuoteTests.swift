import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerPipeline
import Testing

@testable import QuoteExtraction

/// Quotations in French, German, Spanish, Italian, Portuguese and Dutch, each read with its own language's
/// word lists (issue #14). Every sentence here was written for the test.
@Suite("Quotations per language")
struct LanguageQuoteTests {
    func q(_ text: String, _ language: String, _ names: [String]) async throws -> (Document, [Quote]) {
        try await run(text, entities: handEntities(text, names.map { ($0, $0, .person) }), language: language)
    }

    // MARK: French

    @Test("fr: inverted cues a-t-il déclaré, explique-t-elle, s'est réjoui le président")
    func frenchInversion() async throws {
        let text = """
            Paul Martin a présenté le budget mardi.
            « Nous tiendrons nos engagements », a-t-il déclaré devant les députés.
            Claire Lenoir a défendu les chiffres du ministère.
            « Les comptes sont sains », explique-t-elle.
            « C'est une journée historique », s'est réjoui le président Paul Martin.
            """
        let (doc, quotes) = try await q(text, "fr", ["Paul Martin", "Claire Lenoir"])
        #expect(try find(doc, quotes, "Nous tiendrons").speaker?.name == "Paul Martin")
        #expect(try find(doc, quotes, "Les comptes").speaker?.name == "Claire Lenoir")
        let c = try find(doc, quotes, "C'est une journée")
        #expect(c.cue.map { doc.text[$0] } == "réjoui")
        #expect(c.speaker?.name == "Paul Martin")
    }

    @Test("fr: selon X, d'après X, pour X")
    func frenchAttributionPhrases() async throws {
        let text = """
            Selon Hélène Roux, « la réforme arrive beaucoup trop tard pour les familles ».
            D'après Marc Aubert, « le texte ne changera rien au quotidien des salariés ».
            Pour Sophie Caron, « il faudra attendre encore plusieurs années avant d'y voir clair ».
            """
        let (doc, quotes) = try await q(text, "fr", ["Hélène Roux", "Marc Aubert", "Sophie Caron"])
        #expect(try find(doc, quotes, "la réforme").speaker?.name == "Hélène Roux")
        #expect(try find(doc, quotes, "le texte ne").speaker?.name == "Marc Aubert")
        #expect(try find(doc, quotes, "il faudra").speaker?.name == "Sophie Caron")
    }

    @Test("fr: an object pronoun before the cue is not the speaker (lui avait dit X)")
    func frenchClitic() async throws {
        let text = "Julie Morel a raconté la scène. « Vous n'avez rien compris à ce pays », lui avait dit Henri Fabre."
        let (doc, quotes) = try await q(text, "fr", ["Julie Morel", "Henri Fabre"])
        let a = try find(doc, quotes, "Vous n'avez")
        #expect(doc.speaker(a) == "Henri Fabre")
        #expect(a.speaker?.name == "Henri Fabre")
    }

    @Test("fr: « » with inner “ ” is one quotation, not cut short")
    func frenchNested() async throws {
        let text = "« Il m'a répondu “jamais de la vie” et il est parti sans un mot », a raconté Lucie Vidal."
        let (doc, quotes) = try await q(text, "fr", ["Lucie Vidal"])
        let a = try find(doc, quotes, "Il m'a répondu")
        #expect(doc.quote(a).hasSuffix("sans un mot"))
        #expect(a.speaker?.name == "Lucie Vidal")
        #expect(!quotes.contains { doc.quote($0) == "jamais de la vie" })
    }

    @Test("fr: a short fragment governed by a cue is a partial quotation with its speaker")
    func frenchPartial() async throws {
        let text = "Le ministre Louis Perrin a jugé la proposition « irréaliste » lors du débat."
        let (doc, quotes) = try await q(text, "fr", ["Louis Perrin"])
        let a = try find(doc, quotes, "irréaliste")
        #expect(a.kind == .partial)
        #expect(a.speaker?.name == "Louis Perrin")
    }

    @Test("fr: reported speech without marks (X a déclaré que…, selon X, …, …, a-t-il ajouté)")
    func frenchIndirect() async throws {
        let text = """
            Le maire Pierre Vasseur a déclaré que les travaux commenceraient au printemps prochain.
            Selon Anne Brunet, la ville manque de logements pour les jeunes familles.
            Le chantier durera au moins deux ans, a-t-il ajouté.
            """
        let (doc, quotes) = try await q(text, "fr", ["Pierre Vasseur", "Anne Brunet"])
        let a = try find(doc, quotes, "les travaux commenceraient")
        #expect(a.kind == .indirect)
        #expect(a.speaker?.name == "Pierre Vasseur")
        let b = try find(doc, quotes, "la ville manque")
        #expect(b.kind == .indirect && b.speaker?.name == "Anne Brunet")
        let c = try find(doc, quotes, "Le chantier durera")
        #expect(c.kind == .indirect && c.speaker?.name == "Pierre Vasseur")
    }

    // MARK: German

    @Test("de: „…“ with sagte er, erklärte die Ministerin, laut X, nach Angaben von X")
    func germanCues() async throws {
        let text = """
            Jonas Becker und Ministerin Petra Lang besuchten am Montag die Baustelle.
            „Wir liegen gut im Zeitplan“, sagte er am Nachmittag.
            „Die Kosten bleiben unter Kontrolle“, erklärte die Ministerin Petra Lang.
            Laut Petra Lang „ist das Projekt ein Vorbild für das ganze Land“.
            Nach Angaben von Jonas Becker „werden bis zum Sommer zweihundert Wohnungen fertig“.
            """
        let (doc, quotes) = try await q(text, "de", ["Jonas Becker", "Petra Lang"])
        #expect(try find(doc, quotes, "Wir liegen").speaker?.name == "Jonas Becker")
        #expect(try find(doc, quotes, "Die Kosten").speaker?.name == "Petra Lang")
        #expect(try find(doc, quotes, "ist das Projekt").speaker?.name == "Petra Lang")
        #expect(try find(doc, quotes, "werden bis zum Sommer").speaker?.name == "Jonas Becker")
    }

    @Test("de: »…« and „…“ with inner ‚…‘ are one quotation each")
    func germanMarks() async throws {
        let text = """
            Eva Krüger erinnerte sich. »Ich habe damals gesagt: ‚So geht es nicht weiter‘, und dann bin ich gegangen«, sagte sie.
            „Der Satz ‚Wir schaffen das‘ ist oft zitiert worden“, sagte Eva Krüger später.
            """
        let (doc, quotes) = try await q(text, "de", ["Eva Krüger"])
        let a = try find(doc, quotes, "Ich habe damals")
        #expect(doc.quote(a).hasSuffix("bin ich gegangen"))
        #expect(a.speaker?.name == "Eva Krüger")
        let b = try find(doc, quotes, "Der Satz")
        #expect(doc.quote(b).hasSuffix("zitiert worden"))
        #expect(b.speaker?.name == "Eva Krüger")
    }

    @Test("de: reported speech (X sagte, dass …; …, sagte er; …, wie X mitteilte)")
    func germanIndirect() async throws {
        let text = """
            Der Bürgermeister Karl Huber sagte, dass die Brücke im Herbst gesperrt werden müsse.
            Die Arbeiten würden mindestens drei Monate dauern, sagte er.
            Die Umleitung führe über die Hauptstraße, wie die Stadtverwaltung mitteilte.
            """
        let (doc, quotes) = try await q(text, "de", ["Karl Huber"])
        let c = try find(doc, quotes, "Die Umleitung führe")
        #expect(c.kind == .indirect && doc.speaker(c) == "die Stadtverwaltung")
        let a = try find(doc, quotes, "die Brücke im Herbst")
        #expect(a.kind == .indirect && a.speaker?.name == "Karl Huber")
        let b = try find(doc, quotes, "Die Arbeiten würden")
        #expect(b.kind == .indirect && b.speaker?.name == "Karl Huber")
    }

    // MARK: Spanish

    @Test("es: dijo, ha añadido, ha dicho a la prensa, según X, « » and “ ”")
    func spanishCues() async throws {
        let text = """
            La ministra Carmen Ruiz y el alcalde Jorge Molina visitaron el hospital.
            «Vamos a contratar a más médicos este año», dijo Carmen Ruiz.
            “El presupuesto está garantizado”, ha añadido la ministra Carmen Ruiz.
            «Nadie se quedará sin atención», ha dicho a la prensa el alcalde Jorge Molina.
            Según Jorge Molina, «la ciudad necesita un segundo hospital cuanto antes».
            """
        let (doc, quotes) = try await q(text, "es", ["Carmen Ruiz", "Jorge Molina"])
        #expect(try find(doc, quotes, "Vamos a contratar").speaker?.name == "Carmen Ruiz")
        #expect(try find(doc, quotes, "El presupuesto").speaker?.name == "Carmen Ruiz")
        #expect(try find(doc, quotes, "Nadie se quedará").speaker?.name == "Jorge Molina")
        #expect(try find(doc, quotes, "la ciudad necesita").speaker?.name == "Jorge Molina")
    }

    @Test("es: reported speech (X dijo que …; según X, …; …, dijo el ministro)")
    func spanishIndirect() async throws {
        let text = """
            El ministro Andrés Vega dijo que el plan de vivienda se aprobará en marzo.
            Según Lucía Paredes, los alquileres han subido un veinte por ciento en dos años.
            Las obras empezarán antes del verano, dijo el ministro Andrés Vega.
            """
        let (doc, quotes) = try await q(text, "es", ["Andrés Vega", "Lucía Paredes"])
        let a = try find(doc, quotes, "el plan de vivienda")
        #expect(a.kind == .indirect && a.speaker?.name == "Andrés Vega")
        let b = try find(doc, quotes, "los alquileres")
        #expect(b.kind == .indirect && b.speaker?.name == "Lucía Paredes")
        let c = try find(doc, quotes, "Las obras empezarán")
        #expect(c.kind == .indirect && c.speaker?.name == "Andrés Vega")
    }

    @Test("es: no word of another language names a speaker (Para, No, Así are not people)")
    func spanishSentenceOpeners() async throws {
        let text = "Para muchos vecinos, «esto ya no es vida». No hay respuesta del ayuntamiento. Así lo contó Rosa Díaz: «Estamos cansados de esperar»."
        let (doc, quotes) = try await q(text, "es", ["Rosa Díaz"])
        for q in quotes { #expect(!["Para", "No", "Así"].contains(q.speaker?.name ?? "")) }
        #expect(try find(doc, quotes, "Estamos cansados").speaker?.name == "Rosa Díaz")
    }

    // MARK: Italian, Portuguese, Dutch

    @Test("it: ha detto, secondo X")
    func italian() async throws {
        let text = """
            Il sindaco Marco Rossi ha incontrato i cittadini.
            «La piazza sarà pronta entro l'estate», ha detto Marco Rossi.
            Secondo Giulia Bianchi, «il progetto costa troppo per un comune così piccolo».
            """
        let (doc, quotes) = try await q(text, "it", ["Marco Rossi", "Giulia Bianchi"])
        #expect(try find(doc, quotes, "La piazza").speaker?.name == "Marco Rossi")
        #expect(try find(doc, quotes, "il progetto").speaker?.name == "Giulia Bianchi")
    }

    @Test("pt: disse, segundo X")
    func portuguese() async throws {
        let text = """
            O ministro João Costa visitou a escola.
            «Vamos abrir mais vagas no próximo ano letivo», disse João Costa.
            Segundo Ana Lopes, «as famílias esperam há demasiado tempo por esta decisão».
            """
        let (doc, quotes) = try await q(text, "pt", ["João Costa", "Ana Lopes"])
        #expect(try find(doc, quotes, "Vamos abrir").speaker?.name == "João Costa")
        #expect(try find(doc, quotes, "as famílias").speaker?.name == "Ana Lopes")
    }

    @Test("nl: zei hij, volgens X")
    func dutch() async throws {
        let text = """
            Wethouder Pieter de Vries opende de nieuwe brug.
            "We hebben hier tien jaar op gewacht," zei hij tegen de bewoners.
            Volgens Sanne Bakker "is de brug veel te smal voor al het verkeer".
            """
        let (doc, quotes) = try await q(text, "nl", ["Pieter de Vries", "Sanne Bakker"])
        #expect(try find(doc, quotes, "We hebben hier").speaker?.name == "Pieter de Vries")
        #expect(try find(doc, quotes, "is de brug").speaker?.name == "Sanne Bakker")
    }

    // MARK: English indirect, routing, coverage

    @Test("en: reported speech X said that … is indirect, with its speaker")
    func englishIndirect() async throws {
        let text = "Mayor Ruth Collins said that the new bridge would open in the spring of next year."
        let (doc, quotes) = try await q(text, "en", ["Ruth Collins"])
        let a = try find(doc, quotes, "the new bridge")
        #expect(a.kind == .indirect && a.speaker?.name == "Ruth Collins")
    }

    @Test("A language without word lists: quotations by their marks, no speaker, and the layer says so")
    func uncoveredLanguage() async throws {
        let text = "Minister Jan Kowalski powiedział: „Nie zgadzamy się na takie rozwiązanie w tej sprawie”, dodał Jan Kowalski."
        var doc = Document(text: text)
        doc.add(handEntities(text, [("Jan Kowalski", "Jan Kowalski", .person)]))
        doc.add(LanguageLayer(code: "pl", confidence: 0.99, alternatives: []))
        let (quotes, coverage) = QuoteProcessor.extractWithCoverage(doc)
        let a = try #require(quotes.quotes.first { doc.text[$0.span].hasPrefix("Nie zgadzamy") })
        #expect(a.speaker == nil && a.cue == nil)
        #expect(coverage.notCovered == ["pl"])
        #expect(coverage.covered.isEmpty)
        #expect(coverage.jsonValue(in: doc.text)["not_covered"] == .array([.string("pl")]))
    }

    @Test("Each language region is read with its own word lists")
    func regionsRouteToTheirLexicon() async throws {
        // "sagte" is a cue only in German; "said" only in English.
        let en = "Officials met on Monday to discuss the budget for the coming year. "
        let de = "„Wir brauchen mehr Zeit für die Verhandlungen“, sagte Jonas Becker."
        let text = en + de
        var doc = Document(text: text)
        doc.add(handEntities(text, [("Jonas Becker", "Jonas Becker", .person)]))
        let start = en.unicodeScalars.count
        doc.add(LanguageLayer(code: "en", confidence: 0.9, alternatives: [],
                              segments: [LanguageSegment(span: Span(start: start, end: text.unicodeScalars.count), code: "de", confidence: 0.95)]))
        let (layer, coverage) = QuoteProcessor.extractWithCoverage(doc)
        let a = try #require(layer.quotes.first { doc.text[$0.span].hasPrefix("Wir brauchen") })
        #expect(a.speaker?.name == "Jonas Becker")
        #expect(Set(coverage.covered) == ["en", "de"])
        // The same German sentence read as English finds no German cue.
        var asEnglish = Document(text: text)
        asEnglish.add(LanguageLayer(code: "en", confidence: 0.9, alternatives: []))
        let b = try #require(QuoteProcessor.extract(asEnglish).quotes.first { asEnglish.text[$0.span].hasPrefix("Wir brauchen") })
        #expect(b.cue == nil)
    }

    @Test("Mixed document through the real pipeline: an English article quoting a French sentence")
    func mixedDocumentRealPipeline() async throws {
        let text = """
            The French president spoke to students in Lyon on Thursday about research funding and the future of universities.

            Emmanuel Macron told them that the budget would grow, and then switched to French for the cameras.

            « Nous allons investir massivement dans la recherche publique et dans nos universités », a-t-il déclaré devant les étudiants réunis dans le grand amphithéâtre.

            The announcement was welcomed by the unions, who had asked for more money for laboratories for several years.
            """
        let config = try ConfigurationLoader.load(path: nil)
        let pipeline = try await PipelineBuilder.build(config, registry: BuiltinProcessors.registry)
        let result = await pipeline.run(Document(text: text))
        let language = try #require(result[LanguageLayer.self])
        #expect(language.code == "en")
        let french = try #require(language.segments.first { $0.code == "fr" }, "the language plugin finds the French passage")
        #expect(result.text[french.span].contains("Nous allons investir"))
        let quotes = try #require(result[QuotesLayer.self]).quotes
        let a = try #require(quotes.first { result.text[$0.span].hasPrefix("Nous allons investir") })
        // French handling: the inverted cue "a-t-il déclaré", read with the French word lists.
        #expect(a.cue.map { result.text[$0] } == "déclaré")
        #expect(a.speaker.map { result.text[$0.span] } == "il")
        let coverage = try #require(result[QuoteLanguagesLayer.self])
        #expect(coverage.covered.contains("fr") && coverage.covered.contains("en"))
    }
}
