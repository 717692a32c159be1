import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerPipeline
import Testing

@testable import QuoteExtraction

/// Who said it, by name (issue #12): one test per error pattern, each with sentences written for the
/// test, run through the real default pipeline (segmenter, entity tagger, quote extractor).
@Suite("Speaker identity through the real pipeline")
struct IdentityTests {
    static func pipeline(_ text: String) async throws -> (Document, [Quote]) {
        let config = try ConfigurationLoader.load(path: nil)
        let pipeline = try await PipelineBuilder.build(config, registry: BuiltinProcessors.registry)
        let result = await pipeline.run(Document(text: text, name: "identity.txt"))
        #expect(result.runs.allSatisfy { $0.outcome == .ok })
        return (result, result[QuotesLayer.self]?.quotes ?? [])
    }

    func quote(_ prefix: String, _ doc: Document, _ quotes: [Quote], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Quote {
        try #require(quotes.first { doc.text[$0.span].hasPrefix(prefix) }, "no quotation starting with \(prefix)", sourceLocation: sourceLocation)
    }

    @Test("A pronoun goes to the subject of the discourse, not to the last name")
    func pronounBySalience() async throws {
        let (doc, q) = try await Self.pipeline(
            "Tom Reyes, the Valencia midfielder, was booked after a row with referee Paul Hart. “I won’t apologise,” he told local radio.")
        let s = try quote("I won’t apologise", doc, q).speaker
        #expect(s?.name == "Tom Reyes")
        #expect(s?.resolved == true)
    }

    @Test("A title's gender rules out the subject: “she” is Ms Berg, not Paul Holm")
    func pronounGenderFromTitle() async throws {
        let (doc, q) = try await Self.pipeline(
            "Paul Holm met Ms Berg at the ministry on Friday. “I will not sign this agreement in its current form,” she said.")
        #expect(try quote("I will not sign", doc, q).speaker?.name?.hasSuffix("Berg") == true)
    }

    @Test("A run of quotations by one speaker stays together")
    func runOfQuotations() async throws {
        let (doc, q) = try await Self.pipeline("""
            “We have worked for this result since the summer,” said Ada Okafor, the finance minister.
            Critics led by Daniel Frost had called the budget reckless. “Nobody who reads the figures can say that,” she added.
            """)
        #expect(try quote("Nobody who reads", doc, q).speaker?.name == "Ada Okafor")
    }

    @Test("Descriptions resolve through appositions elsewhere in the document: role, age")
    func descriptionsThroughAppositions() async throws {
        let (doc, q) = try await Self.pipeline("""
            Tom Reyes, 31, the Valencia midfielder, was booked on Sunday. Paul Hart, the referee, defended his decision.
            “I saw nothing wrong with the tackle and I still do not,” the Valencia midfielder said.
            “Referees must explain themselves after games like this one,” the 31-year-old added.
            """)
        #expect(try quote("I saw nothing wrong", doc, q).speaker?.name == "Tom Reyes")
        #expect(try quote("Referees must explain", doc, q).speaker?.name == "Tom Reyes")
    }

    @Test("A description with no antecedent stays unresolved: no name rather than a wrong one")
    func descriptionWithoutAntecedent() async throws {
        let (doc, q) = try await Self.pipeline("""
            Paul Hart refereed the match on Sunday and sent off two players.
            “We will appeal against the ban as soon as the rules allow it,” the minister said.
            """)
        let s = try #require(try quote("We will appeal", doc, q).speaker)
        #expect(s.name == nil)
        #expect(s.resolved == false)
        #expect(doc.text[s.span] == "the minister")
    }

    @Test("“it” and “they” never surface as names")
    func pluralAndNeuterPronounsAreUnresolved() async throws {
        let (doc, q) = try await Self.pipeline("""
            Ada Okafor met the bankers on Monday. “We will keep prices stable for as long as we possibly can,” they said.
            """)
        let s = try quote("We will keep prices", doc, q).speaker
        #expect(s?.name == nil)
        #expect(s?.resolved == false)
    }

    @Test("A title plus surname and a middle initial join the full name; the canonical name is the longest")
    func titlesAndMiddleInitialsJoinTheFullName() async throws {
        let (doc, q) = try await Self.pipeline("""
            Robert J. McDonough chairs the committee. Robert McDonough was re-elected last year.
            “The committee will publish its report before the end of the month,” Mr. McDonough said.
            Ada Okafor spoke after him. “This report changes nothing for the families who lost their homes,” Ms Okafor said.
            """)
        #expect(try quote("The committee will publish", doc, q).speaker?.name == "Robert J. McDonough")
        #expect(try quote("This report changes", doc, q).speaker?.name == "Ada Okafor")
        let entities = try #require(doc[EntitiesLayer.self])
        let ids = Set(entities.mentions.filter { doc.text[$0.span].contains("McDonough") }.map(\.entityID))
        #expect(ids.count == 1)
    }

    @Test("Two people who share a surname stay apart: a lone surname goes to the nearest full name")
    func twoPeopleOneSurname() async throws {
        let (doc, q) = try await Self.pipeline("""
            Maria Lopez chairs the board of the company. Her brother Carlos Lopez runs the factory in the north.
            “We will hire two hundred people next year if the orders keep coming,” Lopez said.
            """)
        #expect(try quote("We will hire", doc, q).speaker?.name == "Carlos Lopez")
        let entities = try #require(doc[EntitiesLayer.self])
        let maria = entities.mentions.first { doc.text[$0.span] == "Maria Lopez" }?.entityID
        let carlos = entities.mentions.first { doc.text[$0.span] == "Carlos Lopez" }?.entityID
        #expect(maria != nil && carlos != nil && maria != carlos)
    }

    @Test("The last paragraph of a multi-paragraph quotation keeps its speaker")
    func multiParagraphQuotation() async throws {
        let (doc, q) = try await Self.pipeline("""
            Tom Reyes said: “We played well for an hour and then we simply stopped running.

            “Nobody in this team can accept that kind of second half.” Paul Hart, the referee, said he had no regrets.
            """)
        #expect(try quote("Nobody in this team", doc, q).speaker?.name == "Tom Reyes")
    }

    @Test("“told X:” makes X the addressee; an elided subject is the previous sentence's person")
    func toldIsAddressee() async throws {
        let (doc, q) = try await Self.pipeline(
            "Tom Reyes was booked in the second half. But told Radio Five: “I will not apologise to anyone for that tackle.”")
        let s = try quote("I will not apologise", doc, q).speaker
        #expect(s?.name == "Tom Reyes")
    }

    @Test("A quotation reported inside another source's claim belongs to its own speaker")
    func quotationInsideAClaim() async throws {
        let (doc, q) = try await Self.pipeline(
            "Mr Lund’s memoir claimed that Ms Berg told Mr Holm: “The vote will be lost unless we change the plan now.”")
        let s = try #require(try quote("The vote will be lost", doc, q).speaker)
        #expect(doc.text[s.span].contains("Berg"))
        #expect(s.name?.contains("Lund") != true)
    }

    @Test("A short fragment governed by a cue is a partial quotation with its speaker, not a term")
    func fragmentUnderACue() async throws {
        let (doc, q) = try await Self.pipeline("A €3bn “financing hole” remains in the budget, the IMF said.")
        let f = try quote("financing hole", doc, q)
        #expect(f.kind == .partial)
        #expect(f.speaker.map { doc.text[$0.span] }?.contains("IMF") == true)
    }

    @Test("No speaker from a noun phrase that is not a speaker, a headline fragment or a span across sentences")
    func speakersAreWellFormed() async throws {
        let (doc, q) = try await Self.pipeline("""
            Hart U-turn on transfer ban

            The ministry’s biggest worries are “falling exports”. The report was first published by the Herald. But Acme said: “We never saw the draft of this report before it came out.”
            Hart said the club would “never accept” the ban. “We will take this to the courts if we have to,” Hart said.
            """)
        for quote in q {
            let name = quote.speaker?.name ?? ""
            #expect(!name.contains("worries") && !name.contains("U-turn") && !name.contains("Herald."), "\(name)")
        }
        let exports = try quote("falling exports", doc, q)
        #expect(exports.speaker == nil)
        let acme = try quote("We never saw", doc, q).speaker.map { doc.text[$0.span] }
        #expect(acme?.contains("Herald") != true)
    }

    @Test("Every word list is found, in per-language data files")
    func wordListsLoad() {
        #expect(Words.check().isEmpty)
        #expect(Words.entries("cues", language: "en").contains("said"))
        #expect(Words.entries("cues", language: "fr").contains("déclare"))
        #expect(!Words.entries("cues", language: "en").contains("déclare"))
    }
}
