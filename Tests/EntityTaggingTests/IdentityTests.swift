import GleanerCore
import GleanerText
import Testing

@testable import EntityTagging

/// Person clusters within a document and amounts with symbols and scale words (issue #12), on sentences written for the tests.
@Suite struct PersonClusterTests {
    func ids(_ layer: EntitiesLayer, _ text: String, _ surface: String) -> Set<String> {
        let dt = DocumentText(text)
        return Set(layer.mentions.filter { dt[$0.span] == surface }.map(\.entityID))
    }

    @Test func middleInitialsTitlesAndSurnamesFormOnePerson() async throws {
        let text = "Donald J. Trump spoke first. Donald Trump then left the room. Later Mr. Trump returned, and Trump’s aides followed."
        let layer = try await entities(text)
        let dt = DocumentText(text)
        let trump = layer.mentions.filter { dt[$0.span].contains("Trump") }
        #expect(trump.count >= 3)
        #expect(Set(trump.map(\.entityID)).count == 1)
        #expect(trump.allSatisfy { $0.canonical == "Donald J. Trump" })
    }

    @Test func hyphenatedSurnamesAreOneWord() async throws {
        let text = "Ana García-López won the vote in Madrid. García-López thanked her team on Sunday."
        let layer = try await entities(text)
        let a = ids(layer, text, "Ana García-López"), b = ids(layer, text, "García-López")
        #expect(a.count == 1 && a == b)
    }

    @Test func twoPeopleWhoShareASurnameStayApart() async throws {
        let text = "Maria Lopez chairs the board. Her brother Carlos Lopez runs the factory. Lopez said the factory would grow."
        let layer = try await entities(text)
        let maria = ids(layer, text, "Maria Lopez"), carlos = ids(layer, text, "Carlos Lopez"), lone = ids(layer, text, "Lopez")
        #expect(maria.count == 1 && carlos.count == 1 && maria != carlos)
        // A lone surname joins the nearest full name before it.
        #expect(lone == carlos)
    }

    @Test func aHeadlineFragmentIsNoPartOfAName() async throws {
        let text = "Hart U-turn on transfer ban\n\nPaul Hart said on Monday that the ban would stay."
        let layer = try await entities(text)
        #expect(!layer.mentions.contains { $0.type == .person && $0.canonical.contains("U-turn") })
    }
}

@Suite struct AmountTests {
    @Test func moneyWithSymbolsAndScaleWords() async throws {
        let text = "The fund raised £1bn in May and $27.5bn in June. The club paid €2.5 billion for the stadium and £38.5m for the striker, while 38.5m tickets were sold."
        let layer = try await entities(text)
        let f = found(layer, in: text)
        for amount in ["£1bn", "$27.5bn", "€2.5 billion", "£38.5m"] {
            #expect(f[amount] == .money, "\(amount): \(String(describing: f[amount]))")
        }
        #expect(f["38.5m"] == .quantity)
    }
}
