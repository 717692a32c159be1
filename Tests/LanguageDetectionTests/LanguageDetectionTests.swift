import Foundation
import GleanerCore
import Testing

@testable import LanguageDetection

/// The real model, loaded once for all tests.
private let detector: LanguageDetector = {
    do { return try LanguageDetector.shared() } catch { fatalError("language model: \(error)") }
}()

private func detect(_ text: String, among languages: [String]? = nil) -> LanguageHypothesis {
    let filter = languages.map { try? detector.filter(languages: $0) } ?? nil
    return detector.dominantLanguage(for: text, filter: filter)
}

@Suite("Language detection")
struct LanguageDetectionTests {
    @Test func knowsTheSeventyFiveLanguages() {
        #expect(detector.supportedLanguages.count == 75)
        #expect(Set(detector.supportedLanguages) == Set(LanguageInventory.codes))
    }

    /// Values printed by Training/language/features.py, the independent re-implementation.
    @Test func featureHashMatchesTheTrainingScript() {
        let fx = FeatureExtractor(bucketBits: 17)
        #expect(Array(fx.features(of: "Gleaner språk").prefix(12))
            == [104258, 39203, 75534, 66362, 123422, 65182, 49245, 41632, 15146, 123667, 84041, 40132])
        #expect(fx.features(of: "Ÿes, ДА 42")
            == [17163, 73579, 5912, 16023, 95833, 98186, 63563, 620, 123640, 57693, 82143, 108954, 28837, 116453,
                31855, 18142, 23373, 13423, 91982, 62809, 13987, 107802, 102781])
        #expect(fx.features(of: "日本語")
            == [35524, 17069, 282, 94045, 23381, 349, 40770, 9656, 45046, 128295, 114471, 127024, 95241, 32617])
    }

    @Test(arguments: [
        ("Η γλώσσα είναι ένα σύστημα επικοινωνίας.", "el"),
        ("השפה היא מערכת תקשורת.", "he"),
        ("اللغة هي نظام للتواصل بين البشر.", "ar"),
        ("زبان یک سیستم ارتباطی است که مردم از آن استفاده می‌کنند.", "fa"),
        ("زبان ایک نظام ہے جس کے ذریعے لوگ بات کرتے ہیں۔", "ur"),
        ("ภาษาเป็นระบบการสื่อสารของมนุษย์", "th"),
        ("ენა არის კომუნიკაციის სისტემა.", "ka"),
        ("Լեզուն հաղորդակցման համակարգ է։", "hy"),
        ("언어는 의사소통의 체계이다.", "ko"),
        ("言語はコミュニケーションの体系です。", "ja"),
        ("语言是人类交流的系统。", "zh"),
        ("ભાષા એ સંદેશાવ્યવહારની પ્રણાલી છે.", "gu"),
        ("ভাষা হল যোগাযোগের একটি ব্যবস্থা।", "bn"),
        ("மொழி என்பது தொடர்பு முறையாகும்.", "ta"),
        ("భాష అనేది సమాచార వ్యవస్థ.", "te"),
        ("ਭਾਸ਼ਾ ਸੰਚਾਰ ਦਾ ਇੱਕ ਸਾਧਨ ਹੈ।", "pa"),
        ("भाषा संचार का एक माध्यम है और हम इसे रोज़ बोलते हैं।", "hi"),
        ("भाषा हे संवादाचे एक माध्यम आहे आणि आपण ती रोज बोलतो.", "mr"),
        ("Язык является важнейшим средством человеческого общения.", "ru"),
        ("Мова є найважливішим засобом людського спілкування.", "uk"),
        ("Мова з'яўляецца найважнейшым сродкам зносін паміж людзьмі.", "be"),
        ("Езикът е най-важното средство за общуване между хората.", "bg"),
        ("Language is the most important means of human communication.", "en"),
        ("Die Sprache ist das wichtigste Mittel der menschlichen Kommunikation.", "de"),
    ])
    func everyScriptFamily(text: String, code: String) {
        let answer = detect(text)
        #expect(answer.code == code, "\(text) → \(answer.code) \(answer.probability)")
    }

    @Test(arguments: [
        ("Sveučilište u Zagrebu objavilo je natječaj za tisuću novih studenata iduće godine.", "hr"),
        ("Ово је једна од најлепших књига које сам прочитао ове године.", "sr"),
        ("Jeg har ikke tid til å hjelpe deg i dag, men kanskje i morgen.", "nb"),
        ("Eg har ikkje tid til å hjelpa deg i dag, men kanskje i morgon.", "nn"),
        ("Jeg har ikke tid til at hjælpe dig i dag, men måske i morgen.", "da"),
        ("Saya tidak tahu apa yang harus saya lakukan sekarang.", "id"),
        ("El gobierno anunció nuevas medidas para reducir la inflación este año.", "es"),
        ("El govern va anunciar noves mesures per reduir la inflació aquest any.", "ca"),
        ("O governo anunciou novas medidas para reduzir a inflação este ano.", "pt"),
        ("Abantu abaningi bathanda ukudla inyama nemifino ekhaya.", "zu"),
        ("Abantu abaninzi bathanda ukutya inyama nemifuno ekhaya.", "xh"),
    ])
    func confusableGroups(text: String, code: String) {
        let answer = detect(text)
        #expect(answer.code == code, "\(text) → \(answer.code) \(answer.probability)")
    }

    @Test func bosnianAndMalayAreTellable() {
        // Bosnian vs Croatian and Malay vs Indonesian are close: lexical cues
        // (univerzitet/hiljadu vs sveučilište/tisuću; baharu/rakyat) must decide.
        #expect(detect("Ovaj univerzitet ima hiljadu studenata i mnogo profesora iz cijele Bosne.").code == "bs")
        #expect(detect("Ovaj univerzitet ima hiljadu studenata i mnogo profesora iz cijele Bosne.", among: ["bs", "hr", "sr"]).code == "bs")
        #expect(detect("Kerajaan Malaysia akan melaksanakan dasar baharu bagi membantu rakyat.", among: ["id", "ms"]).code == "ms")
    }

    @Test(arguments: ["", "   ", "12345 678", "3.14 + 2 = 5.14 !!!", "📈 💬 #42"])
    func noLettersIsUndetermined(text: String) {
        let answer = detect(text)
        #expect(answer.code == "und")
        #expect(answer.probability == 0)
    }

    @Test func constraintsAndHints() throws {
        let onlyGerman = try detector.filter(languages: ["de", "nl"])
        #expect(detector.dominantLanguage(for: "the house is big", filter: onlyGerman).code != "en")
        let greekOnlyLatin = try detector.filter(languages: ["en", "fr"])
        #expect(detector.dominantLanguage(for: "Καλημέρα", filter: greekOnlyLatin).code == "und")
        // A strong hint tips an ambiguous single word.
        let hinted = try detector.filter(hints: ["da": 1000])
        #expect(detector.dominantLanguage(for: "hus", filter: hinted).code == "da")
    }

    @Test func calibratedConfidence() {
        let long = detect("This is a perfectly ordinary English sentence about the weather and the news.")
        #expect(long.code == "en" && long.probability > 0.95)
        let hyps = detector.hypotheses(for: "die", maximum: 3)
        #expect(hyps.count == 3)
        #expect(hyps[0].probability < 0.99, "a three-letter word shared by several languages is not certain")
        #expect(abs(hyps.map(\.probability).reduce(0, +) - 1) < 0.05 || hyps[0].probability < 1)
    }

    @Test func samplesAreEnglishWithHighConfidence() async throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/samples").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }
        #expect(files.count >= 2)
        let processor = try await LanguageProcessorFactory().makeProcessor(options: ProcessorOptions(processor: "language"))
        for file in files {
            var document = Document(text: try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8), name: file)
            try await processor.process(&document)
            let layer = try #require(document[LanguageLayer.self])
            #expect(layer.code == "en", "\(file)")
            #expect(layer.confidence > 0.99, "\(file): \(layer.confidence)")
            #expect(layer.alternatives.first?.code == "en")
        }
    }

    @Test func frenchQuotationInAnEnglishArticle() async throws {
        let text = """
            The minister spoke to reporters on Tuesday morning outside the parliament building. \
            She said the new rules would take effect next year and that companies had been consulted.

            « Nous ne laisserons personne de côté, et nous travaillerons avec toutes les régions du pays. »

            Critics argued that the plan did not go far enough. Ok. The opposition leader called it a missed opportunity \
            and promised to raise the matter again when parliament returns after the summer break.
            """
        let processor = try await LanguageProcessorFactory().makeProcessor(options: ProcessorOptions(processor: "language"))
        var document = Document(text: text)
        try await processor.process(&document)
        let layer = try #require(document[LanguageLayer.self])
        #expect(layer.code == "en")
        #expect(layer.segments.count == 1, "\(layer.segments)")
        let segment = try #require(layer.segments.first)
        #expect(segment.code == "fr")
        #expect(document.text[segment.span].hasPrefix("« Nous ne laisserons"))
    }

    @Test func optionValidation() async throws {
        func options(_ entries: [(String, ConfigValue)]) -> ProcessorOptions {
            var table = ConfigTable()
            for (k, v) in entries { table[k] = v }
            return ProcessorOptions(processor: "language", table: table)
        }
        func strings(_ items: [String]) -> ConfigValue { ConfigValue(.array(items.map { ConfigValue(.string($0)) })) }
        func numbers(_ items: [(String, Double)]) -> ConfigValue {
            var t = ConfigTable()
            for (k, v) in items { t[k] = ConfigValue(.float(v)) }
            return ConfigValue(.table(t))
        }
        let factory = LanguageProcessorFactory()
        #expect(factory.descriptor.name == "language")
        #expect(factory.descriptor.provides == [.language])
        await #expect { _ = try await factory.makeProcessor(options: options([("languages", strings(["en", "xx"]))])) } throws: { error in
            "\(error)".contains("'xx'")
        }
        await #expect { _ = try await factory.makeProcessor(options: options([("hints", numbers([("fr", 2.0), ("klingon", 1.0)]))])) } throws: { error in
            "\(error)".contains("'klingon'")
        }
        await #expect { _ = try await factory.makeProcessor(options: options([("hints", numbers([("fr", -1.0)]))])) } throws: { error in
            "\(error)".contains("non-negative")
        }
        await #expect(throws: ConfigurationError.self) {
            _ = try await factory.makeProcessor(options: options([("min_segment_chars", ConfigValue(.integer(0)))]))
        }
        await #expect(throws: ConfigurationError.self) {
            _ = try await factory.makeProcessor(options: options([("languagez", strings(["en"]))]))
        }
        _ = try await factory.makeProcessor(options: options([("languages", strings(["en", "fr"])), ("hints", numbers([("fr", 2.0)]))]))
    }
}
