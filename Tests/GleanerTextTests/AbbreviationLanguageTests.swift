import GleanerCore
import Testing
@testable import GleanerText

/// Sentence splitting with each language's abbreviations (data files per language, issue #14).
/// Sentences written for the test.
@Suite("Abbreviations per language in sentence splitting")
struct AbbreviationLanguageTests {
    func sentences(_ s: String) -> [String] {
        let text = DocumentText(s)
        let result = Segmenter().segment(text)
        return result.sentences.map { text[$0.span] }
    }

    @Test("Every language's list is found, with its source")
    func listsFound() {
        #expect(Abbreviations.missing.isEmpty)
        #expect(Abbreviations.titles.isSuperset(of: ["mme", "sra", "sr", "dr", "dott", "dhr"]))
        #expect(Abbreviations.others.isSuperset(of: ["z", "b", "etc", "bzw", "ecc"]))
    }

    @Test(arguments: [
        ("fr", "M. Dupont est arrivé hier soir. Mme Durand l'attendait à la gare.", 2),
        ("fr", "Le Dr. Martin a opéré. Il est reparti ensuite.", 2),
        ("de", "Das gilt z. B. für Berlin und Hamburg. Danach kam der Rest.", 2),
        ("de", "Prof. Dr. Weber sprach zuerst. Dann kam die Fragerunde.", 2),
        ("es", "El Sr. García llegó tarde. La Sra. López no vino.", 2),
        ("es", "La Dra. Ruiz opera hoy. Mañana descansa en casa.", 2),
        ("it", "Il dott. Rossi è arrivato. Il prof. Verdi no.", 2),
        ("pt", "O Sr. Costa chegou cedo. A Sra. Lopes saiu.", 2),
        ("nl", "Dhr. Jansen vertrok vroeg. Mevr. de Vries bleef nog.", 2),
        ("en", "Mr. Smith met Dr. Jones in the U.S. capital. They talked.", 2),
    ])
    func splitting(_ language: String, _ text: String, _ count: Int) {
        let s = sentences(text)
        #expect(s.count == count, "\(language): \(s)")
    }
}
