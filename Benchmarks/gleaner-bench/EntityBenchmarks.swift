import EntityTagging
import Foundation
import GleanerCore
import GleanerText

/// Entity tagging: model load time and tagger throughput on the CoNLL-2003 development tokens.
let entitySuite = BenchmarkSuite(name: "entities") { report in
    let clock = ContinuousClock()
    let t0 = clock.now
    let tagger = try EntityTagger()
    let load = clock.now - t0
    report.add("entities: model load", Double(load.components.attoseconds) * 1e-15 + Double(load.components.seconds) * 1000, "ms")

    // eng.testa as sentences of tokens, grouped by document.
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/ner/conll2003/eng.testa").standardized.path
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        print("  entities: \(path) not found, skipped")
        return
    }
    var docs: [[[String]]] = [[]]
    var sentence: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("-DOCSTART-") {
            if !sentence.isEmpty { docs[docs.count - 1].append(sentence); sentence = [] }
            docs.append([])
        } else if let token = line.split(separator: " ").first {
            sentence.append(String(token))
        } else if !sentence.isEmpty {
            docs[docs.count - 1].append(sentence)
            sentence = []
        }
    }
    if !sentence.isEmpty { docs[docs.count - 1].append(sentence) }
    let tokens = docs.joined().reduce(0) { $0 + $1.count }

    // The tagger alone, on pre-split tokens (as `gleaner entities --conll` does).
    let seconds = BenchReport.time(minimumSeconds: 2) {
        var n = 0
        for doc in docs { for tags in tagger.tagDocument(doc) { n += tags.count } }
        precondition(n == tokens)
    }
    report.add("entities: tagger, eng.testa tokens (one core)", Double(tokens) / seconds, "tokens/s",
               detail: "\(tokens) tokens")

    // The whole processor (names, values, linking) on the samples, segmented beforehand.
    let samples = BenchReport.samples()
    var segmented: [Document] = []
    for s in samples {
        var d = Document(text: s)
        try await SegmenterProcessor().process(&d)
        segmented.append(d)
    }
    let processor = EntityProcessor(tagger: tagger)
    let sampleTokens = segmented.reduce(0) { $0 + ($1[TokensLayer.self]?.tokens.count ?? 0) }
    let s2 = BenchReport.time(minimumSeconds: 1) {
        for d in segmented {
            guard let t = d[TokensLayer.self], let s = d[SentencesLayer.self] else { continue }
            _ = processor.annotate(d.text, tokens: t.tokens, sentences: s.sentences)
        }
    }
    report.add("entities: processor on samples (one core)", Double(sampleTokens) / s2, "tokens/s",
               detail: "\(sampleTokens) tokens")

    // Every other language's model: load time and tagger throughput on its development sentences
    // (the last 10% of shared/data/ner/multilingual/LANG/wikineural.conllu, as Training/entities/multilingual/prepare.py splits it).
    for code in EntityLanguages.available where code != "en" {
        guard let model = try? ModelFile.locate("entities-\(code).bin", bundle: "gleaner_EntityTagging") else { continue }
        let l0 = clock.now
        let tagger = try EntityTagger(modelPath: model)
        let loadTime = clock.now - l0
        report.add("entities \(code): model load", Double(loadTime.components.attoseconds) * 1e-15 + Double(loadTime.components.seconds) * 1000, "ms")
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/ner/multilingual/\(code)/wikineural.conllu").standardized.path
        guard let data = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
        var sentences: [[String]] = []
        var current: [String] = []
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            let cols = line.split(separator: "\t")
            if cols.count >= 3 { current.append(String(cols[1])) } else if !current.isEmpty { sentences.append(current); current = [] }
        }
        if !current.isEmpty { sentences.append(current) }
        let dev = Array(sentences[(sentences.count - sentences.count / 10)...])
        let devTokens = dev.reduce(0) { $0 + $1.count }
        let t = BenchReport.time(minimumSeconds: 1) {
            var n = 0
            for s in dev { n += tagger.tag(s).count }
            precondition(n == devTokens)
        }
        report.add("entities \(code): tagger, WikiNEuRal dev tokens (one core)", Double(devTokens) / t, "tokens/s",
                   detail: "\(devTokens) tokens")
    }
}
